"""Who is calling the API: a bearer token (devices: radio/devices/access.py), or a signed-in user
(whose writes also need the CSRF token, as a form would)."""
from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden, Unauthorized

from ..auth.web import csrf
from ..models import User


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def authenticated_user(writes: bool = False) -> User:
    """The signed-in user; a write must carry the session's CSRF token (X-CSRFToken header)."""
    if not current_user.is_authenticated:
        raise Unauthorized("sign in first (POST /login)")
    if writes:
        try:
            csrf.protect()
        except CSRFError as exc:
            raise Forbidden(f"CSRF check failed: {exc.description}; send the X-CSRFToken header") from None
    return current_user._get_current_object()
