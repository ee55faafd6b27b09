"""Every API error is JSON, `{"error": code, "message": text}`, with the right status: a device
or script never has to parse an HTML error page, and nothing the client sends causes a 500."""
from __future__ import annotations

import logging
import re

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from ..errors import RadioError

log = logging.getLogger(__name__)
PREFIX = "/api/"


def error_response(status: int, code: str, message: str):
    response = jsonify(error=code, message=message)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="radio devices"'
    return response


def _code(error: HTTPException) -> str:
    return re.sub(r"[^a-z0-9]+", "_", (error.name or "error").lower()).strip("_")


def refusal(error: RadioError):
    """Every refusal (bad JSON, wrong types, domain refusals) answered with its own status and code."""
    return error_response(error.status, error.code, error.message)


def http_error(error: HTTPException):
    return error_response(error.code or 500, _code(error), error.description or error.name)


def unexpected_error(error: Exception):
    """A bug: logged with its traceback, answered without details."""
    log.exception("unhandled error in %s %s", request.method, request.path)
    return error_response(500, "internal_server_error", "the server failed; the error has been logged")


def _unmatched_api_url():
    """An unknown URL or method under /api/ answers JSON before any handler runs.

    Routing fails before a blueprint is chosen, so no API blueprint's handlers see it; and the
    app-wide error handlers are the pages' (radio/ui/errors.py, which leave /api/ alone). Its
    routing error is known here already, so it is answered here."""
    error = request.routing_exception
    if isinstance(error, HTTPException) and (error.code or 0) >= 400 and request.path.startswith(PREFIX):
        return http_error(error)
    return None


def attach(bp) -> None:
    """Errors raised inside the API's handlers (once, when the blueprint is defined)."""
    bp.register_error_handler(RadioError, refusal)
    bp.register_error_handler(HTTPException, http_error)
    bp.register_error_handler(Exception, unexpected_error)


def register(app: Flask) -> None:
    """Errors of URLs no handler matched (per app)."""
    app.before_request(_unmatched_api_url)
