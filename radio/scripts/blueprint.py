"""URL rules of the script pages, and their menu entries."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..web.nav import NavItem, register_nav
from . import controllers

bp = Blueprint("scripts", __name__, url_prefix="/scripts")
bp.add_url_rule("/", view_func=controllers.index)
bp.add_url_rule("/queue", view_func=controllers.queue)
bp.add_url_rule("/new", view_func=controllers.new, methods=["GET", "POST"])
bp.add_url_rule("/<int:script_id>", view_func=controllers.show)
bp.add_url_rule("/<int:script_id>/edit", view_func=controllers.edit, methods=["GET", "POST"])
bp.add_url_rule("/<int:script_id>/submit", view_func=controllers.submit, methods=["POST"])
bp.add_url_rule("/<int:script_id>/approve", view_func=controllers.approve, methods=["POST"])
bp.add_url_rule("/<int:script_id>/reject", view_func=controllers.reject, methods=["POST"])
bp.add_url_rule("/<int:script_id>/voice", view_func=controllers.voice, methods=["POST"])
bp.add_url_rule("/<int:script_id>/versions/<int:number>/preview", view_func=controllers.version_preview)
bp.add_url_rule("/previews/<name>", view_func=controllers.preview_audio)

bp.record_once(lambda state: register_nav(
    state.app,
    NavItem("scripts.index", _l("Kịch bản"), ("operator", "approver", "oversight"), "/scripts/"),
    NavItem("scripts.queue", _l("Duyệt kịch bản"), ("approver",), "/scripts/queue")))
