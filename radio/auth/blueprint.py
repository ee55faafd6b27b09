"""URL rules of the auth area."""
from flask import Blueprint, current_app

from . import controllers, limiter

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


bp.add_url_rule(
    "/login",
    view_func=limiter.limit(_login_limit, methods=["POST"])(controllers.login),
    methods=["GET", "POST"],
)
bp.add_url_rule("/logout", view_func=controllers.logout, methods=["POST"])
