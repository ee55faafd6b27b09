"""The compliance dashboard: the matrix for an area and dates, airings against the target,
drill-down to a station's entries and play logs, devices offline, reports due, the report to
hand in (XLSX, PDF), freezing it as submitted, and make-goods.

Every figure comes from radio/compliance (the engine's rows, `overview`, `freeze_report`,
`plan_makegoods`/`schedule_makegoods`); this module only loads, checks scope and renders.
"""
from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from .. import clock, db, lookups
from ..area_tree import subtree_ids
from ..auth.permissions import may
from ..core_inputs import requirement_key
from ..devices.presence import presence
from ..downloads import send_download
from ..lookups import split_reference
from ..models import Device, FrozenReport, Plan, PlayLog, Requirement, ScheduleEntry, Station
from ..ui.errors import error_page
from ..ui.fields import ButtonForm, add_error, choices, form_refusal
from ..ui.i18n import format_dmy_hm
from ..ui.nav import NavItem, register_nav
from ..ui.redirects import safe_next
from ..ui.scope import area_ids, areas_in_scope, scoped_area
from ..ui.words import words
from .documents import MIME_TYPES, render, render_document
from .forms import STATUS_LABELS, DashboardForm
from .matrix import CHART_HEIGHT, CHART_WIDTH, airings_chart, matrix, reasons
from .operations import (
    ComplianceError, compliance_report, freeze_report, frozen_reports, overview, plan_makegoods, plan_range,
    schedule_makegoods,
)

bp = Blueprint("compliance", __name__, url_prefix="/office")
bp.record_once(lambda state: register_nav(
    state.app, NavItem("compliance.dashboard", _l("Tuân thủ"), ("oversight",), "/office/compliance")))


def _min_devices() -> int:
    return int(current_app.config["COMPLIANCE_MIN_DEVICES"])


def _this_month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _selection():
    """The area and dates asked for (GET), defaulting to the user's widest area and this month."""
    areas = areas_in_scope("compliance.view")
    if not areas:
        raise Forbidden("the compliance dashboard is for the culture office (oversight)")
    form = DashboardForm(request.args)
    form.area.choices = choices((a.code, f"{a.name} ({a.code})") for a in areas)
    start, end = _this_month(clock.now().astimezone(clock.station_tz()).date())
    widest = min(areas, key=lambda a: len(a.ancestors_and_self()))
    area = scoped_area(form.area.data or widest.code, "compliance.view")
    form.area.data = area.code
    form.refused = not form.validate()  # a date that is none, or outside the years a date may be
    if not form.refused:
        start, end = form.date_from.data or start, form.date_to.data or end
    if end < start:
        add_error(form.date_to, _("Ngày kết thúc phải sau ngày bắt đầu."))
        end = start
    form.date_from.data, form.date_to.data = start, end
    return form, area, start, end


def _report(area, start, end, plan=None):
    return compliance_report(db.session(), area=area, start=start, end=end, now=clock.now(), tz=clock.station_tz(),
                             min_devices=_min_devices(), plan=plan)


@login_required
def dashboard():
    form, area, start, end = _selection()
    report = _report(area, start, end)
    session, now = db.session(), clock.now()
    poll_s = current_app.config["DEVICE_POLL_SECONDS"]
    devices = session.scalars(select(Device).where(Device.area_id.in_(subtree_ids(session, [area.id])))
                              .order_by(Device.code)).all()
    offline = [d for d in devices if presence(d, now, poll_s) == "offline"]
    never_seen = sum(1 for d in devices if d.last_seen_at is None)
    deadlines = overview(session, area=area, now=now, tz=clock.station_tz(), min_devices=_min_devices())
    query = {"area": area.code, "date_from": start.isoformat(), "date_to": end.isoformat()}
    return render_template(
        "compliance/dashboard.html", form=form, area=area, start=start, end=end, report=report,
        grid=matrix(report.rows), bars=airings_chart(report.rows), chart=(CHART_WIDTH, CHART_HEIGHT),
        offline=offline, never_seen=never_seen, device_count=len(devices), deadlines=deadlines,
        labels=STATUS_LABELS, query=query,
        frozen=frozen_reports(session, area=area)[-5:]), 422 if form.refused else 200


@login_required
def report_file(fmt: str):
    """The report to hand in for the area and dates (XLSX, PDF), or the rows (CSV); with `plan`,
    that plan's report over its whole range, as it would be frozen."""
    if fmt not in ("xlsx", "pdf", "csv"):
        abort(404)
    form, area, start, end = _selection()
    if form.refused:  # not this month's report in place of the dates asked for
        return error_page(422, form_refusal(form))
    plan = lookups.by_code(db.session(), Plan, request.args["plan"]) if request.args.get("plan") else None
    if plan is not None:
        start, end = plan_range(db.session(), plan)
    data = render(_report(area, start, end, plan), fmt, plan, clock.now(), clock.station_tz())
    name = f"bao-cao-{plan.code + '-' if plan else ''}{area.code}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
    return send_download(io.BytesIO(data), MIME_TYPES[fmt], as_attachment=True, download_name=name)


@login_required
def freeze():
    """Store the plan's report for the area as submitted (immutable), once asked to confirm: GET
    says what freezing does and offers the button; its POST freezes."""
    values = request.form if request.method == "POST" else request.args
    area = scoped_area(values.get("area", ""), "compliance.view")
    plan = lookups.by_code(db.session(), Plan, values.get("plan", ""))
    session = db.session()
    if request.method == "GET":
        try:
            start, end = plan_range(session, plan)
        except ComplianceError as exc:
            flash(words(exc), "error")
            return redirect(url_for("compliance.dashboard", area=area.code))
        return render_template("compliance/freeze.html", plan=plan, area=area, start=start, end=end,
                               frozen=frozen_reports(session, area=area, plan=plan))
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        frozen = freeze_report(session, plan=plan, area=area, user=current_user, now=clock.now(),
                               tz=clock.station_tz(), min_devices=_min_devices())
    except ComplianceError as exc:
        session.rollback()
        flash(words(exc), "error")
    else:
        session.commit()
        flash(_("Đã chốt báo cáo “%(plan)s” cho %(area)s (bản đã nộp), lúc %(at)s.", plan=plan.title,
                area=area.name, at=format_dmy_hm(frozen.frozen_at)), "success")
    return redirect(url_for("compliance.dashboard", area=area.code))


@login_required
def frozen_file(uuid_text: str, fmt: str):
    """A frozen report printed by the same writers as the live one; unchanged by later logs."""
    if fmt not in ("xlsx", "pdf"):
        abort(404)
    frozen = db.session().scalar(select(FrozenReport).where(FrozenReport.uuid == _uuid(uuid_text)))
    if frozen is None:
        abort(404)
    if not may(current_user, "compliance.view", frozen.area):
        raise Forbidden("this report belongs to another area")
    name = f"bao-cao-da-nop-{frozen.plan.code}-{frozen.area.code}-{frozen.frozen_at:%Y%m%d}.{fmt}"
    return send_download(io.BytesIO(render_document(frozen.document, fmt)), MIME_TYPES[fmt],
                     as_attachment=True, download_name=name)


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        abort(404)


def _cell_args():
    """The cell asked for: station and requirement (PLAN/CODE) inside the area, both in scope."""
    form, area, start, end = _selection()
    if form.refused:
        abort(make_response(error_page(422, form_refusal(form))))
    station = lookups.by_code(db.session(), Station, request.args.get("station", ""))
    if station.area_id not in area_ids("compliance.view") or station.area_id not in subtree_ids(db.session(), [area.id]):
        raise Forbidden("this station is outside your areas")
    requirement = _requirement(request.args.get("requirement", ""))
    return form, area, start, end, station, requirement


def _requirement(key: str) -> Requirement:
    """A requirement by its report key, PLAN/CODE (404 when there is none)."""
    plan_code, code = split_reference(key)
    requirement = db.session().scalar(select(Requirement).join(Plan).where(Plan.code == plan_code,
                                                                           Requirement.code == code))
    if requirement is None:
        abort(404)
    return requirement


@login_required
def cell():
    """One station × requirement: its periods with reasons, the entries and play logs behind
    them, and for a short or at-risk period still open, the make-goods the engine proposes."""
    form, area, start, end, station, requirement = _cell_args()
    key = requirement_key(requirement)
    report = _report(station.area, start, end, requirement.plan)
    rows = [r for r in report.rows if r.requirement == key and r.station == station.code]
    if not rows:
        abort(404)
    first, last = min(r.period_start for r in rows), max(r.period_end for r in rows)
    session = db.session()
    entries = session.scalars(select(ScheduleEntry).where(
        ScheduleEntry.station_id == station.id, ScheduleEntry.series_id == requirement.series_id,
        ScheduleEntry.local_date >= first, ScheduleEntry.local_date <= last)
        .order_by(ScheduleEntry.start_at)).all()
    logs: dict[int, list[PlayLog]] = {}
    for log in session.scalars(select(PlayLog).where(PlayLog.entry_id.in_([e.id for e in entries]))
                               .order_by(PlayLog.started_at)):
        logs.setdefault(log.entry_id, []).append(log)
    devices = {d.id: d.name or d.code for d in session.scalars(select(Device).where(Device.station_id == station.id))}
    proposals = {}
    for row in rows:
        if row.is_open:
            try:
                proposals[row.period_start] = plan_makegoods(
                    session, requirement=requirement, station=station, day=row.period_start, now=clock.now(),
                    tz=clock.station_tz(), min_devices=_min_devices()).placed
            except ComplianceError:
                proposals[row.period_start] = []
    query = {"area": area.code, "date_from": start.isoformat(), "date_to": end.isoformat()}
    return render_template("compliance/cell.html", area=area, station=station, requirement=requirement, rows=rows,
                           entries=entries, logs=logs, devices=devices, proposals=proposals, labels=STATUS_LABELS,
                           query=query, key=key, reasons=reasons)


@login_required
def makegood():
    """Schedule the proposed make-goods of one period (origin make-good, pinned, audited)."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    station = lookups.by_code(db.session(), Station, request.form.get("station", ""))
    requirement = _requirement(request.form.get("requirement", ""))
    if not may(current_user, "compliance.view", station.area):
        raise Forbidden("this station is outside your areas")
    try:
        day = clock.iso_date(request.form.get("day", ""))
    except ValueError:
        abort(400)
    session = db.session()
    try:
        entries = schedule_makegoods(session, requirement=requirement, station=station, day=day, user=current_user,
                                     now=clock.now(), tz=clock.station_tz(), min_devices=_min_devices())
    except ComplianceError as exc:
        session.rollback()
        flash(words(exc), "error")
    else:
        session.commit()
        flash(_("Đã xếp %(count)s lần phát bù.", count=len(entries)), "success")
    return redirect(safe_next(request.form.get("back"), url_for("compliance.dashboard")))


bp.add_url_rule("/compliance", view_func=dashboard)
bp.add_url_rule("/compliance/report.<fmt>", view_func=report_file)
bp.add_url_rule("/compliance/cell", view_func=cell)
bp.add_url_rule("/compliance/freeze", view_func=freeze, methods=["GET", "POST"])
bp.add_url_rule("/compliance/frozen/<uuid_text>.<fmt>", view_func=frozen_file)
bp.add_url_rule("/compliance/makegood", view_func=makegood, methods=["POST"])
