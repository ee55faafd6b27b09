"""Refusals raised by operations under a page, answered as the HTTP error of the same status.

Operations raise `radio.errors.RadioError` (the CLI calls them too); on the web side it becomes
the werkzeug exception of its status, so each blueprint's own 403/404 pages (the office's, in
Vietnamese: `office_refusals`) and Flask's defaults answer it as they answer an `abort`. A page
that shows the refusal next to a form catches it itself."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError, NotFound, default_exceptions

from ..errors import RadioError


def as_http_error(error: RadioError) -> HTTPException:
    http_error = default_exceptions.get(error.status, InternalServerError)
    return http_error(description=error.message)


def _refused(error: RadioError):
    return current_app.handle_http_exception(as_http_error(error))


def init_app(app: Flask) -> None:
    app.register_error_handler(RadioError, _refused)


def _forbidden(_error):
    """Refusals in the user's language (the reason in English stays in the log, not the page)."""
    return render_template("error.html", title=_("Không có quyền"),
                           message=_("Trang này thuộc địa bàn hoặc vai trò ngoài phạm vi của bạn.")), 403


def _not_found(_error):
    return render_template("error.html", title=_("Không tìm thấy"),
                           message=_("Không có trang hoặc bản ghi này trong phạm vi của bạn.")), 404


def office_refusals(bp: Blueprint) -> None:
    """The culture office's pages answer 403 and 404 with a page in the user's language."""
    bp.register_error_handler(Forbidden, _forbidden)
    bp.register_error_handler(NotFound, _not_found)
