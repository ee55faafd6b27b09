"""URL rules of the office pages (all under /office)."""
from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import Forbidden, NotFound

from ..nav import NavItem, register_nav
from . import bulletins, dashboard, plans, users

bp = Blueprint("office", __name__, url_prefix="/office")


def _rule(path: str, view, methods=("GET",), endpoint: str | None = None) -> None:
    bp.add_url_rule(path, endpoint=endpoint or view.__name__, view_func=view, methods=list(methods))


_rule("/compliance", dashboard.dashboard)
_rule("/compliance/report.<fmt>", dashboard.report_file)
_rule("/compliance/cell", dashboard.cell)
_rule("/compliance/freeze", dashboard.freeze, ["POST"])
_rule("/compliance/frozen/<uuid_text>.<fmt>", dashboard.frozen_file)
_rule("/compliance/makegood", dashboard.makegood, ["POST"])
_rule("/plans", plans.plan_list)
_rule("/plans/import", plans.plan_import, ["POST"])
_rule("/plans/<code>", plans.plan_view)
_rule("/plans/<code>/export", plans.plan_export)
_rule("/plans/<code>/rebuild", plans.plan_rebuild, ["POST"])
_rule("/plans/<code>/stations/new", plans.station_edit, ["GET", "POST"], "station_new")
_rule("/plans/<code>/stations/<station_code>", plans.station_edit, ["GET", "POST"])
_rule("/plans/<code>/villages/new", plans.village_edit, ["GET", "POST"], "village_new")
_rule("/plans/<code>/villages/<area_code>", plans.village_edit, ["GET", "POST"])
_rule("/plans/<code>/devices/new", plans.device_edit, ["GET", "POST"], "device_new")
_rule("/plans/<code>/devices/<device_code>", plans.device_edit, ["GET", "POST"])
_rule("/plans/<code>/devices/<device_code>/token", plans.device_token, ["POST"])
_rule("/plans/<code>/series/new", plans.series_edit, ["GET", "POST"], "series_new")
_rule("/plans/<code>/series/<series_code>", plans.series_edit, ["GET", "POST"])
_rule("/plans/<code>/requirements/new", plans.requirement_edit, ["GET", "POST"], "requirement_new")
_rule("/plans/<code>/requirements/<requirement_code>", plans.requirement_edit, ["GET", "POST"])
_rule("/jobs/<job_id>", plans.job_view)
_rule("/jobs/<job_id>.json", plans.job_status)
_rule("/bulletins", bulletins.bulletin_list, ["GET", "POST"])
_rule("/bulletins/<uuid_text>", bulletins.bulletin_view)
_rule("/bulletins/<uuid_text>/cancel", bulletins.bulletin_cancel, ["POST"])
_rule("/users", users.user_list, ["GET", "POST"])
_rule("/users/<username>", users.user_view, ["GET", "POST"])
_rule("/audit", users.audit_log)


@bp.record_once
def _menu(state) -> None:
    register_nav(
        state.app,
        NavItem("office.dashboard", _l("Tuân thủ"), ("oversight",), "/office/compliance"),
        NavItem("office.plan_list", _l("Kế hoạch"), ("oversight",), "/office/plans"),
        NavItem("office.bulletin_list", _l("Bản tin"), ("oversight",), "/office/bulletins"),
        NavItem("office.user_list", _l("Người dùng"), (), "/office/users"),
        NavItem("office.audit_log", _l("Nhật ký"), (), "/office/audit"),
    )


@bp.errorhandler(Forbidden)
def _forbidden(_error):
    """Refusals in the user's language (the reason in English stays in the log, not the page)."""
    return render_template("error.html", title=_("Không có quyền"),
                           message=_("Trang này thuộc địa bàn hoặc vai trò ngoài phạm vi của bạn.")), 403


@bp.errorhandler(NotFound)
def _not_found(_error):
    return render_template("error.html", title=_("Không tìm thấy"),
                           message=_("Không có trang hoặc bản ghi này trong phạm vi của bạn.")), 404
