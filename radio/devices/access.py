"""Which device is calling: by its bearer token, or (simple players) by a token in the URL."""
from __future__ import annotations

import hashlib
import hmac

from flask import request
from werkzeug.exceptions import Forbidden, Unauthorized

from .. import db
from ..api.access import bearer_token
from ..models import Device
from .operations import device_by_token


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


def device_secret(secret: str, purpose: str, code: str, token_hash: str) -> str:
    """A secret of one device for one purpose (its poll file's name, the key sealing its play logs
    over MQTT): unguessable without SECRET_KEY, and new with every token."""
    return hmac.new(secret.encode(), f"{purpose}\n{code}\n{token_hash}".encode(), hashlib.sha256).hexdigest()
