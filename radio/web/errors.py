"""Refusals raised by operations under a page, answered as the HTTP error of the same status.

Operations raise `radio.errors.RadioError` (the CLI calls them too); on the web side it becomes
the werkzeug exception of its status, so each blueprint's own 403/404 pages (the office's, in
Vietnamese) and Flask's defaults answer it as they answer an `abort`. A page that shows the
refusal next to a form catches it itself."""
from __future__ import annotations

from flask import Flask, current_app
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

from ..errors import RadioError


def as_http_error(error: RadioError) -> HTTPException:
    http_error = default_exceptions.get(error.status, InternalServerError)
    return http_error(description=error.message)


def _refused(error: RadioError):
    return current_app.handle_http_exception(as_http_error(error))


def init_app(app: Flask) -> None:
    app.register_error_handler(RadioError, _refused)
