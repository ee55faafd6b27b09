"""Who is calling the API: a device by its bearer token, a simple player by a token in the URL,
or a signed-in user (whose writes also need the CSRF token, as a form would)."""
from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden, Unauthorized

from .. import db
from ..auth import csrf
from ..devices.operations import device_by_token
from ..models import Device, User


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def authenticated_device(code: str, token_in_url: bool = False, find=device_by_token) -> Device:
    """The device whose path this is: 401 without a valid token, 403 with another device's token.

    `find(session, token)` looks the device up: a record by default, or the poll path's plain
    row (devices.polling.poll_by_token)."""
    token = bearer_token() or (request.args.get("token") if token_in_url else None)
    if not token:
        raise Unauthorized("a device token is needed: Authorization: Bearer <token>")
    device = find(db.session(), token)
    if device is None:
        raise Unauthorized("the device token is wrong or has been revoked")
    if device.code != code:
        raise Forbidden("this token belongs to another device")
    return device


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
