"""The JSON API kit under every feature's `api.py`: blueprints under /api/v1 that answer every
error as JSON, who is calling (access.py), payload checks (schemas.py), JSON answers
(responses.py) and the OpenAPI document. It knows no feature."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, request

PREFIX = "/api/v1"


def _limit_bodies():
    """API payloads are small: refuse big ones (413) before reading them."""
    request.max_content_length = current_app.config["API_MAX_BODY_KB"] * 1024


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /api/v1. Its callers authenticate by token, so form CSRF does not apply
    (signed-in users' writes check the CSRF header themselves: access.authenticated_user)."""
    from ..auth.web import csrf
    from . import errors

    bp = Blueprint(name, import_name, url_prefix=PREFIX)
    errors.attach(bp)
    bp.before_request(_limit_bodies)
    csrf.exempt(bp)
    return bp


def init_app(app: Flask) -> None:
    """JSON errors for API URLs no handler matched, and the OpenAPI document."""
    from . import errors
    from .openapi import bp

    errors.register(app)
    app.register_blueprint(bp)
