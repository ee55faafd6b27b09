"""Ending or removing a requirement, a series, a device or a village: one confirm page each.

The page says what ending keeps (the schedule, play logs, reports) and offers "remove" only
while nothing refers to the record; the POST from it does the one action chosen, through the
plan operations (the import's own writer and its prune rule), and a refusal is shown on the
same page in the user's language. Without JavaScript: the page is the confirm step.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from schedules.planfile import PlanFileError

from .. import clock, db, lookups
from ..auth.permissions import require
from ..models import Area, Device, Plan, Requirement, Series
from ..ui.fields import ButtonForm
from ..ui.i18n import PERIOD_LABELS, format_dmy, format_dmy_hm
from ..ui.scope import scoped_device, scoped_plan
from .forms import EndForm
from .operations import (
    EndRefused, end_requirement, end_series, end_village, local_today, remove_record, retire_plan_device,
)
from .writer import RecordInUse, referrers

# What refers to a record (writer.REFERRERS), as the confirm page names it.
REFERRER_LABELS = {
    "schedule": _l("lịch phát"), "play_logs": _l("nhật ký phát"), "bulletins": _l("bản tin"),
    "episodes": _l("tin, bài"), "requirements": _l("yêu cầu tần suất"), "scripts": _l("kịch bản"),
    "feeds": _l("đường dẫn lịch"), "areas": _l("địa bàn trực thuộc"), "devices": _l("thiết bị"),
    "stations": _l("đài"), "plans": _l("kế hoạch"), "reports": _l("báo cáo đã nộp"),
    "glossary": _l("từ điển cách đọc"), "users": _l("người dùng"), "audit_log": _l("nhật ký thao tác"),
    "offline_periods": _l("lịch sử mất liên lạc"),
}

# Why an end is refused (operations.EndRefused.reason), in the page's language.
REFUSALS = {
    "past": _l("Ngày cuối cùng không thể trước hôm nay (%(date)s): những ngày đã qua được giữ nguyên."),
    "already_ends": _l("Yêu cầu này đã kết thúc vào %(date)s, không muộn hơn ngày đã chọn."),
    "not_started": _l("Yêu cầu về %(series)s bắt đầu từ %(date)s, sau ngày cuối cùng đã chọn: hãy chọn một "
                      "ngày từ %(date)s trở đi, hoặc xoá yêu cầu đó nếu nó chưa có lịch phát."),
    "nothing_running": _l("Không còn yêu cầu nào của chuyên mục này áp dụng sau ngày %(date)s."),
    "retired": _l("Thiết bị này đã ngừng dùng từ %(date)s."),
    "ended": _l("Thôn này đã kết thúc từ %(date)s."),
}


def refusal_text(error: EndRefused | RecordInUse) -> str:
    if isinstance(error, RecordInUse):
        what = ", ".join(str(REFERRER_LABELS[name]) for name in error.referrers)
        return _("Không xoá được: %(what)s còn tham chiếu tới mục này. Hãy kết thúc thay vì xoá.", what=what)
    values = {k: format_dmy(v) if isinstance(v, date) else v for k, v in error.values.items()}
    return str(REFUSALS[error.reason]) % values


@login_required
def requirement_end(code: str, requirement_code: str):
    plan = scoped_plan(code)
    requirement = lookups.by_code(db.session(), Requirement, requirement_code, plan_id=plan.id)
    return _confirm(
        plan, requirement, "requirement", dated=True,
        end=lambda session, now, last_day: end_requirement(session, current_user, plan, requirement,
                                                           last_day=last_day, now=now),
        done=lambda last_day: _("Đã kết thúc yêu cầu: áp dụng đến hết ngày %(date)s. Lập lại lịch phát để bỏ "
                                "các mục đã xếp sau ngày đó.", date=format_dmy(last_day)),
        heading=_("Kết thúc yêu cầu tần suất"), name=_requirement_name(requirement),
        facts=[(_("Thời gian"), f"{format_dmy(requirement.date_from)}–{format_dmy(requirement.date_to)}"),
               (_("Mã"), requirement.code)],
        explain=_("Yêu cầu áp dụng đến hết ngày cuối cùng; từ ngày hôm sau không còn được xếp lịch. Lịch đã "
                  "phát, nhật ký và báo cáo được giữ nguyên."),
        button=_("Kết thúc yêu cầu"))


@login_required
def series_end(code: str, series_code: str):
    plan = scoped_plan(code)
    series = lookups.by_code(db.session(), Series, series_code, plan_id=plan.id)
    requirements = db.session().scalars(select(Requirement).where(Requirement.series_id == series.id)
                                        .order_by(Requirement.code)).all()
    return _confirm(
        plan, series, "series", dated=True,
        end=lambda session, now, last_day: end_series(session, current_user, plan, series,
                                                      last_day=last_day, now=now),
        done=lambda last_day: _("Đã kết thúc chuyên mục %(name)s: không còn yêu cầu phát sau ngày %(date)s. "
                                "Lập lại lịch phát để bỏ các mục đã xếp sau ngày đó.",
                                name=series.title, date=format_dmy(last_day)),
        heading=_("Kết thúc chuyên mục"), name=series.title,
        facts=[(_("Yêu cầu tần suất"), "; ".join(_requirement_name(r) + f" ({format_dmy(r.date_from)}–"
                                                   f"{format_dmy(r.date_to)})" for r in requirements) or "—")],
        explain=_("Mọi yêu cầu của chuyên mục dừng ở ngày cuối cùng: sau ngày đó không xếp lịch mới cho chuyên "
                  "mục. Tin, bài, lịch đã phát và báo cáo được giữ nguyên."),
        button=_("Kết thúc chuyên mục"))


@login_required
def device_retire(code: str, device_code: str):
    plan = scoped_plan(code)
    device = scoped_device(device_code)
    return _confirm(
        plan, device, "device", dated=False,
        end=lambda session, now, _day: retire_plan_device(session, current_user, plan, device, now=now),
        done=lambda _day: _("Đã ngừng dùng thiết bị %(name)s: mã bí mật đã bị thu hồi.",
                            name=device.name or device.code),
        heading=_("Ngừng dùng thiết bị loa thôn"), name=device.name or device.code,
        facts=[(_("Thôn"), device.area.name), (_("Đài"), device.station.name),
               (_("Liên lạc lần cuối"), format_dmy_hm(device.last_seen_at) or "—")],
        explain=_("Mã bí mật bị thu hồi: thiết bị không lấy được lịch nữa và không còn bị coi là mất liên lạc. "
                  "Nhật ký phát của thiết bị được giữ nguyên."),
        button=_("Ngừng dùng thiết bị"))


@login_required
def village_end(code: str, area_code: str):
    plan = scoped_plan(code)
    village = lookups.by_code(db.session(), Area, area_code, level="village")
    require(current_user, "office.use", village)
    devices = db.session().scalars(select(Device).where(Device.area_id == village.id, Device.retired_on.is_(None))
                                   .order_by(Device.code)).all()
    return _confirm(
        plan, village, "area", dated=False,
        end=lambda session, now, _day: end_village(session, current_user, plan, village, now=now),
        done=lambda _day: _("Đã kết thúc thôn %(name)s; %(count)s thiết bị của thôn đã ngừng dùng.",
                            name=village.name, count=len(devices)),
        heading=_("Kết thúc thôn"), name=village.name,
        facts=[(_("Thuộc xã"), village.parent.name),
               (_("Thiết bị còn dùng"), ", ".join(d.name or d.code for d in devices) or "—")],
        explain=_("Thôn không còn được chọn cho thiết bị mới; các thiết bị còn dùng của thôn được ngừng dùng "
                  "cùng lúc. Nhật ký và báo cáo được giữ nguyên."),
        button=_("Kết thúc thôn"))


def _requirement_name(requirement: Requirement) -> str:
    """A requirement has no name of its own: its series and how often."""
    count = str(requirement.min_airings) if requirement.max_airings in (None, requirement.min_airings) \
        else f"{requirement.min_airings}–{requirement.max_airings}"
    return _("%(series)s, %(count)s lần/%(period)s", series=requirement.series.title, count=count,
             period=PERIOD_LABELS[requirement.period])


def _confirm(plan: Plan, obj, kind: str, *, dated: bool, end, done, **page):
    """GET: the confirm page. POST action=end: `end(session, now, last_day)`; action=remove: remove it."""
    session, now = db.session(), clock.now()
    form = EndForm() if dated else ButtonForm()
    if dated and not form.is_submitted():
        form.last_day.data = local_today(plan, now)
    refusal, status = None, 200
    if request.method == "POST":
        action = request.form.get("action")
        if action not in ("end", "remove"):
            abort(400)
        checked = form if action == "end" else ButtonForm()
        if checked.validate_on_submit():
            last_day = form.last_day.data if dated else None
            try:
                if action == "end":
                    end(session, now, last_day)
                else:
                    remove_record(session, current_user, obj, now=now)
            except (EndRefused, RecordInUse) as exc:
                session.rollback()
                refusal, status = refusal_text(exc), 409
            except PlanFileError as exc:  # the stored record no longer reads as a file would have it
                session.rollback()
                refusal, status = "; ".join(f"{p.field}: {p.message}" for p in exc.problems), 409
            else:
                name = page["name"]
                session.commit()
                flash(done(last_day) if action == "end" else _("Đã xoá %(name)s.", name=name))
                return redirect(url_for("plans.plan_view", code=plan.code))
        elif "csrf_token" in checked.errors:
            abort(400)
        else:
            status = 422
    blockers = [REFERRER_LABELS[name] for name in referrers(session, kind, obj)]
    return render_template("plans/end.html", plan=plan, form=form, dated=dated, refusal=refusal,
                           blockers=blockers, remove_form=ButtonForm(), **page), status
