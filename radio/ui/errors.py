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
from .words import words

API_PREFIX = "/api/"

TITLES = {400: _l("Yêu cầu không hợp lệ"), 403: _l("Không có quyền"), 404: _l("Không tìm thấy"),
          405: _l("Không làm được theo cách này"), 409: _l("Dữ liệu đã thay đổi"), 413: _l("Tệp quá lớn"),
          429: _l("Thử quá nhiều lần"), 500: _l("Đã có lỗi"), 503: _l("Tạm thời chưa phục vụ được")}
MESSAGES = {
    400: _l("Yêu cầu này không hợp lệ. Vui lòng quay lại trang trước và thử lại."),
    403: _l("Trang này thuộc địa bàn hoặc vai trò ngoài phạm vi của bạn."),
    404: _l("Không có trang hoặc bản ghi này trong phạm vi của bạn."),
    405: _l("Trang này không nhận yêu cầu theo cách vừa gửi. Vui lòng mở lại trang từ menu."),
    409: _l("Việc này vướng với dữ liệu đã lưu. Vui lòng tải lại trang và thử lại."),
    413: _l("Dữ liệu gửi lên quá lớn."),
    429: _l("Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại."),
    500: _l("Hệ thống gặp sự cố khi xử lý yêu cầu này; không có gì được lưu dở dang. Lỗi đã được ghi lại để "
            "khắc phục. Vui lòng thử lại sau ít phút."),
    503: _l("Hệ thống tạm thời chưa phục vụ được. Vui lòng thử lại sau ít phút."),
}


def _is_api() -> bool:
    return request.path.startswith(API_PREFIX)


def error_page(status: int, message: str | None = None):
    """The page of an error: its title by status, and `message` or what that status means."""
    title = TITLES.get(status, _l("Không thực hiện được"))
    return render_template("error.html", title=title, status=status,
                           message=message or MESSAGES.get(status, MESSAGES[400])), status


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
