"""URL rules of the operator-facing pages, and their menu entries."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from . import controllers
from .nav import NavItem, register_nav

bp = Blueprint("web", __name__)
bp.add_url_rule("/", view_func=controllers.home)
bp.add_url_rule("/language", view_func=controllers.language, methods=["POST"])
bp.add_url_rule("/stations/<code>/today", view_func=controllers.today)
bp.add_url_rule("/stations/<code>/on/<day>", view_func=controllers.day)
bp.add_url_rule("/stations/<code>/on/<day>/aired", view_func=controllers.mark_aired, methods=["POST"])
bp.add_url_rule("/stations/<code>/calendar", view_func=controllers.calendar)
bp.add_url_rule("/stations/<code>/calendar/link", view_func=controllers.issue_feed, methods=["POST"])

bp.record_once(lambda state: register_nav(
    state.app, NavItem("web.home", _l("Hôm nay"), ("operator", "approver", "oversight"), "/stations/")))
