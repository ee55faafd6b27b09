"""URL rules of the auth area.

Login attempts are limited per account and address (LOGIN_RATE_LIMIT): the staff of a culture
office share one public address, and one person's typos must not lock out the others. A looser
ceiling per address (LOGIN_ADDRESS_RATE_LIMIT) stops one address trying many accounts.
"""
from flask import Blueprint, current_app, request
from flask_limiter.util import get_remote_address

from . import controllers, limiter

bp = Blueprint("auth", __name__)


def _account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _account_and_address() -> str:
    """The account as login reads it (trimmed; usernames are compared without case here, so
    changing the case is no way round the limit) and the client's address."""
    return f"{get_remote_address()}|{request.form.get('username', '').strip().casefold()}"


_limited = limiter.limit(_address_limit, methods=["POST"])(
    limiter.limit(_account_limit, methods=["POST"], key_func=_account_and_address)(controllers.login))

bp.add_url_rule("/login", view_func=_limited, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=controllers.logout, methods=["POST"])
