"""Every page's errors as pages in the site's layout, in the reader's language: refusals of
operations (radio.errors.RadioError, with their own words: words.py), HTTP errors (403, 404, 405,
…, also for URLs no handler matched) and failures (500: the traceback goes to the log, the page
stays calm).

App-wide, for every page URL; under /api/ the API kit answers (JSON, radio/api/errors.py), so
these handlers leave such URLs to it. A page that shows a refusal next to its form catches it
itself.
"""
from __future__ import annotations

from flask import Flask, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from .. import db
from ..errors import RadioError
from .words import REFUSED, STATUS_MESSAGES, words

API_PREFIX = "/api/"

TITLES = {400: _l("Yêu cầu không hợp lệ"), 403: _l("Không có quyền"), 404: _l("Không tìm thấy"),
          405: _l("Không làm được theo cách này"), 409: _l("Dữ liệu đã thay đổi"), 413: _l("Tệp quá lớn"),
          429: _l("Thử quá nhiều lần"), 500: _l("Đã có lỗi"), 503: _l("Tạm thời chưa phục vụ được")}


def _is_api() -> bool:
    return request.path.startswith(API_PREFIX)


def error_page(status: int, message: str | None = None):
    """The page of an error: its title by status, and `message` or what that status means."""
    title = TITLES.get(status, _l("Không thực hiện được"))
    return render_template("error.html", title=title, status=status,
                           message=message or STATUS_MESSAGES.get(status, REFUSED)), status


def _refused(error: RadioError):
    """A refusal raised under a page (the API's blueprints answer their own): the page of its
    status, saying what the refusal says."""
    return error_page(error.status, words(error))


def _http_error(error: HTTPException):
    if _is_api():
        return error
    response = make_response(error_page(error.code or 500))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _failed(error: InternalServerError):
    """An unexpected failure: Flask has logged its traceback already; the request's unsaved work
    is dropped, so that the layout (which reads the signed-in user) can still be drawn."""
    if _is_api():
        return error
    if db.in_transaction():
        db.session().rollback()
    return error_page(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(RadioError, _refused)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _failed)
