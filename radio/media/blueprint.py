"""URL rules of the audio library pages, and their menu entry."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from ..web.nav import NavItem, register_nav
from . import controllers

bp = Blueprint("library", __name__, url_prefix="/library")
bp.add_url_rule("/", view_func=controllers.index)
bp.add_url_rule("/upload", view_func=controllers.upload, methods=["POST"])
bp.register_error_handler(RequestEntityTooLarge, controllers.too_large)
bp.add_url_rule("/episodes/<int:episode_id>", view_func=controllers.episode, methods=["GET", "POST"])

bp.record_once(lambda state: register_nav(
    state.app, NavItem("library.index", _l("Thư viện âm thanh"), ("operator", "approver", "oversight"), "/library/")))
