"""Plans: create one or import a plan file (every problem by line), export it, edit its header
and its records in forms; ending and removing records is endings.py.

Each form's values are checked and written by the plan import itself (edits.py).
"""
from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path, PurePath

from flask import (
    Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, session as session_store, url_for,
)
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from schedules.planfile import PlanFileError, dump_plan, load_plan

from .. import clock, db, errors, lookups, notices
from ..auth.permissions import require
from ..devices.operations import issue_token, revoke_token
from ..devices.presence import presence
from ..models import Area, Device, Plan, Requirement, Series, Station
from ..ui.fields import ButtonForm, add_error, choices, offered
from ..ui.i18n import PERIOD_LABELS
from ..ui.inputs import upload_name
from ..ui.nav import NavItem, register_nav
from ..ui.scope import area_ids, areas_in_scope, scoped_device, scoped_plan, scoped_station
from . import draft_pages, drafts, endings
from .draft_pages import ISSUING_LEVELS, drafts_in_scope, flash_imported, upload_form
from .edits import save_record, show_problems, split_codes
from .export import plan_document, plan_requirements_and_stations
from .forms import (
    DeviceForm, PlanForm, PlanImportForm, RebuildForm, RequirementForm, SeriesForm, StationForm, VillageForm,
)
from .operations import PlanCodeTaken, create_plan, import_document, known_records, local_today, save_records
from .rebuild_notes import RebuildNote, rebuild_note

bp = Blueprint("plans", __name__, url_prefix="/office")
bp.record_once(lambda state: register_nav(
    state.app, NavItem("plans.plan_list", _l("Kế hoạch"), ("oversight",), "/office/plans")))


@login_required
def plan_list():
    return _plan_list(PlanImportForm())


def _plan_list(form, problems=(), filename=None, status=200, draft_form=None, refusal=None):
    ids = area_ids()
    plans = db.session().scalars(select(Plan).where(Plan.issued_by_id.in_(ids)).order_by(Plan.code)).all()
    return render_template("plans/plans.html", plans=plans, form=form, problems=problems, filename=filename,
                           draft_form=draft_form or upload_form(), drafts=drafts_in_scope(),
                           refusal=refusal), status


@login_required
def plan_import():
    """Validate the uploaded file in full; refused, it lists every problem and changes nothing."""
    form = PlanImportForm()
    if not form.validate_on_submit():
        return _plan_list(form, status=400)
    upload = form.plan_file.data
    filename = upload_name(upload.filename, "plan.yaml")
    session = db.session()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("plan" + PurePath(filename).suffix.lower())  # the form allowed this suffix only
        upload.save(path)
        try:
            doc = load_plan(path, known_records(session))
            summary = import_document(session, doc, current_user, now=clock.now())
            plan = lookups.by_code(db.session(), Plan, doc.plan.code)
            require(current_user, "office.use", plan.issued_by)
        except PlanFileError as exc:
            session.rollback()
            return _plan_list(form, exc.problems, filename, 422)
        except errors.Forbidden:  # ImportRefused, or the plan lies outside the user's areas
            session.rollback()
            raise Forbidden("this plan is issued outside your areas")
    session.commit()
    notices.dispatch()  # scripts the file submitted
    flash_imported(filename, summary)
    return redirect(url_for("plans.plan_view", code=plan.code))


@login_required
def draft_upload():
    """Read the uploaded document into a draft (draft_pages.py reviews it); a refused one is said
    in the reader's language and keeps nothing."""
    form = upload_form()
    if not form.validate_on_submit():
        return _plan_list(PlanImportForm(), draft_form=form, status=400)
    if not offered(form.issued_by):
        abort(403)
    upload = form.document.data
    filename = upload_name(upload.filename, "document.txt")
    session = db.session()
    fallback = lookups.area(session, form.issued_by.data)
    try:
        row = drafts.start_draft(session, current_user, upload.read(), filename,
                                 areas=areas_in_scope(levels=ISSUING_LEVELS), fallback=fallback, now=clock.now())
    except drafts.DocumentRefused as exc:
        session.rollback()
        return _plan_list(PlanImportForm(), draft_form=form, refusal=exc, status=422)
    session.commit()
    return redirect(url_for("plans.draft_view", draft_id=row.id))



# -- the plan's own header: a new plan without a file, and its edits ------------------------------

def _issuer_choices(plan: Plan | None) -> list:
    """The areas that may issue a plan: the user's own above the villages (and the plan's own issuer)."""
    areas = areas_in_scope(levels=("province", "district", "commune"))
    if plan is not None and plan.issued_by not in areas:
        areas.insert(0, plan.issued_by)
    return choices((a.code, a.name) for a in areas)


def _header(form, code: str) -> dict:
    return {"code": code, "title": form.title.data, "document": form.document.data,
            "issued_by": form.issued_by.data, "report_due": _iso(form.report_due.data)}


@login_required
def plan_new():
    """A plan started in the browser: its header only, then its records through the forms."""
    form = PlanForm()
    form.issued_by.choices = _issuer_choices(None)
    problems = []
    if form.validate_on_submit():
        if not offered(form.issued_by):
            abort(403)
        session = db.session()
        try:
            create_plan(session, current_user, _header(form, form.code.data), now=clock.now())
        except PlanCodeTaken:
            session.rollback()
            add_error(form.code, _("Đã có một kế hoạch với mã này."))
        except PlanFileError as exc:
            session.rollback()
            problems = show_problems(form, exc, "plan")
        else:
            session.commit()
            flash(_("Đã lập kế hoạch. Thêm đài, chuyên mục và yêu cầu tần suất bên dưới."))
            return redirect(url_for("plans.plan_view", code=form.code.data))
    status = 422 if form.is_submitted() else 200
    return render_template("plans/plan_form.html", plan=None, form=form, problems=problems), status


@login_required
def plan_edit(code: str):
    """The header (title, document number, issuing area, report date) saved as the import saves it."""
    plan = scoped_plan(code)
    form = _form(PlanForm, {"title": plan.title, "document": plan.document, "issued_by": plan.issued_by.code,
                            "report_due": plan.report_due})
    form.issued_by.choices = _issuer_choices(plan)
    problems = []
    if form.validate_on_submit():
        if not offered(form.issued_by):
            abort(403)
        session = db.session()
        try:
            save_records(session, current_user, plan, {}, header=_header(form, plan.code), now=clock.now())
        except PlanFileError as exc:
            session.rollback()
            problems = show_problems(form, exc, "plan")
        else:
            session.commit()
            flash(_("Đã lưu."))
            return redirect(url_for("plans.plan_view", code=plan.code))
    status = 422 if form.is_submitted() else 200
    return render_template("plans/plan_form.html", plan=plan, form=form, problems=problems), status


def _villages_of(stations: list[Station]) -> list[Area]:
    return list(db.session().scalars(select(Area).where(Area.parent_id.in_([s.area_id for s in stations]),
                                                        Area.level == "village").order_by(Area.name)))


@login_required
def plan_view(code: str):
    plan = scoped_plan(code)
    session = db.session()
    requirements, stations = plan_requirements_and_stations(db.session(), plan, area_ids())
    devices = session.scalars(select(Device).where(Device.station_id.in_([s.id for s in stations]))
                              .order_by(Device.retired_on.is_not(None), Device.code)).all()
    villages = _villages_of(stations)
    series = session.scalars(select(Series).where(Series.plan_id == plan.id).order_by(Series.title)).all()
    now, poll_s = clock.now(), current_app.config["DEVICE_POLL_SECONDS"]
    status = {d.code: presence(d, now, poll_s) for d in devices}
    today = local_today(plan, now)
    ended_series = {r.series_id for r in requirements} - {r.series_id for r in requirements if r.date_to >= today}
    offer = session_store.pop("rebuild_offer", None)
    if offer is not None:
        names = {s.code: s.name for s in stations}
        offer = None if offer["plan"] != plan.code else {
            **offer, "start": date.fromisoformat(offer["start"]), "end": offer["end"] and date.fromisoformat(offer["end"]),
            "names": ", ".join(names.get(code, code) for code in offer["stations"])}
    return render_template("plans/plan.html", plan=plan, stations=stations, devices=devices, status=status,
                           rebuild_offer=offer,
                           villages=villages, series=series, requirements=requirements, today=today,
                           ended_series=ended_series, rebuild_form=RebuildForm(), button_form=ButtonForm(),
                           periods=PERIOD_LABELS)


@login_required
def plan_export(code: str):
    """The plan as a plan file; with its audio beside it in a ZIP when episodes have audio."""
    plan = scoped_plan(code)
    session = db.session()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"{plan.code}.yaml"
        text = dump_plan(plan_document(session, plan, out.parent / "media"))
        media = sorted((out.parent / "media").glob("*"))
        if not media:
            return send_file(io.BytesIO(text.encode()), mimetype="application/yaml", as_attachment=True,
                             download_name=out.name)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(out.name, text)
            for path in media:
                archive.write(path, f"media/{path.name}")
    buffer.seek(0)
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=f"{plan.code}.zip")


# -- edit forms: each builds a plan-file record and hands it to the import -------------------------

def _save(plan: Plan, form, section: str, record: dict, template: str, kept_rows=None, **context):
    """Check and write `record` when the form was posted; re-render with problems otherwise."""
    general = []
    if form.validate_on_submit():
        session = db.session()
        now = clock.now()
        try:
            summary = save_record(session, current_user, plan, section, record, now=now)
        except PlanFileError as exc:
            session.rollback()
            general = show_problems(form, exc, section, kept_rows)
        else:
            note = rebuild_note(session, plan, summary.changes, local_today(plan, now))
            session.commit()
            _tell_saved(plan, note)
            return redirect(url_for("plans.plan_view", code=plan.code))
    status = 422 if form.is_submitted() else 200
    return render_template(template, plan=plan, form=form, problems=general, **context), status


def _tell_saved(plan: Plan, note: RebuildNote | None) -> None:
    """"Saved", and when the schedule follows only after a rebuild, that too: the plan page then
    shows what changed and one button to rebuild (kept in the session for that one page)."""
    if note is None:
        flash(_("Đã lưu."))
        return
    flash(_("Đã lưu. Lịch đã lập và các loa vẫn theo cách cũ cho tới khi lập lại lịch."), "warning")
    session_store["rebuild_offer"] = {"plan": plan.code, "changes": list(note.changes), "stations": list(note.stations),
                                      "start": note.start.isoformat(), "end": note.end.isoformat() if note.end else None}


def _form(form_class, stored: dict | None):
    """The form filled from the stored record, or, when posted, from exactly what was posted (a
    field the browser left out must not fall back to the stored value)."""
    return form_class(data=None if request.method == "POST" else stored)


def _time(value) -> str:
    return value.strftime("%H:%M") if value else ""


def _iso(value) -> str | None:
    """A date as the plan file writes it (the forms show and read dd/mm/yyyy)."""
    return value.isoformat() if value else None


def _filled(rows: list[dict]) -> tuple[list[dict], list[int]]:
    """The rows the user filled in, and their positions in the form (blank rows are spares)."""
    kept = [i for i, row in enumerate(rows) if any(v not in (None, "", []) for v in row.values())]
    return [rows[i] for i in kept], kept


@login_required
def station_edit(code: str, station_code: str | None = None):
    plan = scoped_plan(code)
    station = scoped_station(station_code) if station_code else None
    data = {"windows": [{}], "blocks": [{}]} if station is None else {
        "name": station.name,
        "windows": [{"name": w.name, "title": w.title or "", "days": list(w.days), "start": _time(w.start_time),
                     "end": _time(w.end_time), "valid_from": w.valid_from, "valid_to": w.valid_to}
                    for w in station.windows] + [{}],
        "closed": [c.day for c in station.closed_dates],
        "blocks": [{"window": b.window.name, "at": _time(b.at), "kind": b.kind, "title": b.title,
                    "source": b.source or "", "duration": str(b.duration_s)} for b in station.blocks] + [{}],
        "voice": station.voice_region or "",
        "voice_speed": "" if station.voice_speed_wpm is None else str(station.voice_speed_wpm),
        "voice_pause": "" if station.voice_pause_ms is None else str(station.voice_pause_ms),
    }
    form = _form(StationForm, data)
    windows, kept_windows = _filled([
        {"name": w.form.name.data, "title": w.form.title.data, "days": w.form.days.data or [],
         "start": w.form.start.data, "end": w.form.end.data, "from": _iso(w.form.valid_from.data),
         "to": _iso(w.form.valid_to.data)}
        for w in form.windows])
    blocks, kept_blocks = _filled([
        {"window": b.form.window.data, "at": b.form.at.data, "kind": b.form.kind.data, "title": b.form.title.data,
         "source": b.form.source.data, "duration": b.form.duration.data} for b in form.blocks])
    if station is None:
        form.area.choices = choices(_commune_choices(plan))
        if form.is_submitted() and not offered(form.area):
            abort(403)  # a commune outside the user's areas: the list offered none such
    record = {"code": station.code if station else form.code.data, "name": form.name.data,
              "area": station.area.code if station else form.area.data, "windows": windows,
              "closed": [day.isoformat() for day in form.closed.data or ()], "blocks": blocks}
    record.update({key: form[key].data for key in ("voice", "voice_speed", "voice_pause") if form[key].data})
    return _save(plan, form, "stations", record, "plans/station_form.html",
                 {"windows": kept_windows, "blocks": kept_blocks}, station=station)


def _commune_choices(plan: Plan) -> list[tuple[str, str]]:
    ids = area_ids()
    communes = db.session().scalars(select(Area).where(Area.id.in_(ids), Area.level == "commune")
                                    .order_by(Area.name)).all()
    return [(a.code, a.name) for a in communes if a.is_within(plan.issued_by)]


@login_required
def village_edit(code: str, area_code: str | None = None):
    plan = scoped_plan(code)
    village = lookups.by_code(db.session(), Area, area_code, level="village") if area_code else None
    if village is not None:
        require(current_user, "office.use", village)
    form = _form(VillageForm, {"code": village.code, "name": village.name, "parent": village.parent.code}
                 if village else None)
    form.parent.choices = choices(_commune_choices(plan))
    if form.is_submitted() and not offered(form.parent):
        abort(403)  # a parent outside the user's communes: the list offered none such
    record = {"code": village.code if village else form.code.data, "name": form.name.data,
              "level": "village", "parent": form.parent.data}
    return _save(plan, form, "areas", record, "plans/village_form.html", village=village)


@login_required
def device_edit(code: str, device_code: str | None = None):
    plan = scoped_plan(code)
    device = scoped_device(device_code) if device_code else None
    _requirements, stations = plan_requirements_and_stations(db.session(), plan, area_ids())
    villages = [v for v in _villages_of(stations) if v.ended_on is None or (device and v.id == device.area_id)]
    form = _form(DeviceForm, {"code": device.code, "area": device.area.code, "station": device.station.code}
                 if device else None)
    form.area.choices = choices([(a.code, f"{a.name} ({a.parent.name})") for a in villages])
    form.station.choices = choices([(s.code, s.name) for s in stations])
    if form.is_submitted() and not (offered(form.area) and offered(form.station)):
        abort(403)
    record = {"code": device.code if device else form.code.data, "area": form.area.data,
              "station": form.station.data}
    return _save(plan, form, "devices", record, "plans/device_form.html", device=device)


@login_required
def device_token(code: str, device_code: str):
    """Issue a new token (shown once; the old one stops working) or only revoke it."""
    plan = scoped_plan(code)
    device = scoped_device(device_code)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = db.session()
    if request.form.get("action") == "revoke":
        revoke_token(session, current_user, device.code, now=clock.now())
        session.commit()
        flash(_("Đã thu hồi mã bí mật của thiết bị %(code)s.", code=device.code))
        return redirect(url_for("plans.plan_view", code=plan.code))
    if device.retired_on is not None:
        flash(_("Thiết bị này đã ngừng dùng từ %(date)s.", date=f"{device.retired_on:%d/%m/%Y}"), "error")
        return redirect(url_for("plans.plan_view", code=plan.code))
    token = issue_token(session, current_user, device.code, now=clock.now())
    session.commit()
    return render_template("plans/device_token.html", plan=plan, device=device, token=token)


@login_required
def series_edit(code: str, series_code: str | None = None):
    plan = scoped_plan(code)
    series = lookups.by_code(db.session(), Series, series_code, plan_id=plan.id) if series_code else None
    form = _form(SeriesForm, {"code": series.code, "title": series.title} if series else None)
    record = {"code": series.code if series else form.code.data, "title": form.title.data}
    return _save(plan, form, "series", record, "plans/series_form.html", series=series)


def _requirement_data(r: Requirement) -> dict:
    return {
        "code": r.code, "series": r.series.code, "stations": [s.code for s in r.stations],
        "areas": [a.code for a in r.areas], "levels": list(r.levels), "period": r.period,
        "airings": {"min": str(r.min_airings), "max": "" if r.max_airings is None else str(r.max_airings)},
        "new_episodes": str(r.new_episodes), "days": list(r.days), "windows": " ".join(r.windows),
        "duration": {"min": "" if r.duration_min is None else str(r.duration_min),
                     "max": "" if r.duration_max is None else str(r.duration_max)},
        "min_gap_days": str(r.min_gap_days), "date_from": r.date_from, "date_to": r.date_to,
        "priority": r.priority, "report_due": r.report_due,
    }


@login_required
def requirement_edit(code: str, requirement_code: str | None = None):
    plan = scoped_plan(code)
    requirement = lookups.by_code(db.session(), Requirement, requirement_code, plan_id=plan.id) if requirement_code else None
    form = _form(RequirementForm, _requirement_data(requirement) if requirement else {"priority": "normal"})
    form.series.choices = choices((s.code, s.title) for s in db.session().scalars(
        select(Series).where(Series.plan_id == plan.id).order_by(Series.title)))
    _offer_selection(form, requirement)
    record = {
        "code": requirement.code if requirement else form.code.data, "series": form.series.data,
        "stations": form.stations.data or [], "areas": form.areas.data or [],
        "levels": form.levels.data or [], "period": form.period.data,
        "airings": {"min": form.airings.form.min.data, "max": form.airings.form.max.data},
        "new_episodes": form.new_episodes.data, "days": form.days.data or [],
        "windows": split_codes(form.windows.data),
        "duration": {"min": form.duration.form.min.data, "max": form.duration.form.max.data},
        "min_gap_days": form.min_gap_days.data, "from": _iso(form.date_from.data), "to": _iso(form.date_to.data),
        "priority": form.priority.data, "report_due": _iso(form.report_due.data),
    }
    return _save(plan, form, "requirements", record, "plans/requirement_form.html", requirement=requirement)


def _offer_selection(form, requirement: Requirement | None) -> None:
    """Stations and areas by name: those the user oversees (and what the requirement names
    already, so that it shows as it is). A requirement may only name stations and areas the
    user oversees: anything else posted is refused."""
    session, ids = db.session(), area_ids()
    stations = session.scalars(select(Station).where(Station.area_id.in_(ids)).order_by(Station.name)).all()
    areas = areas_in_scope(levels=("province", "district", "commune"))
    if requirement is not None:
        stations += [s for s in requirement.stations if s not in stations]
        areas += [a for a in requirement.areas if a not in areas]
    form.stations.choices = choices((s.code, s.name) for s in stations)
    form.areas.choices = choices((a.code, a.name) for a in areas)
    if form.is_submitted():
        posted = session.scalars(select(Station.area_id).where(Station.code.in_(form.stations.data or []))).all()
        posted += session.scalars(select(Area.id).where(Area.code.in_(form.areas.data or []))).all()
        if any(area_id not in ids for area_id in posted):
            raise Forbidden("a requirement may only name stations and areas in your scope")


def _rule(path: str, view, methods=("GET",), endpoint: str | None = None) -> None:
    bp.add_url_rule(path, endpoint=endpoint or view.__name__, view_func=view, methods=list(methods))


_rule("/plans", plan_list)
_rule("/plans/new", plan_new, ["GET", "POST"])
_rule("/plans/import", plan_import, ["POST"])
_rule("/plans/drafts", draft_upload, ["POST"])
_rule("/plans/drafts/<int:draft_id>", draft_pages.draft_view)
_rule("/plans/drafts/<int:draft_id>/records/<key>", draft_pages.draft_record, ["POST"])
_rule("/plans/drafts/<int:draft_id>/import", draft_pages.draft_import, ["POST"])
_rule("/plans/drafts/<int:draft_id>/discard", draft_pages.draft_discard, ["POST"])
_rule("/plans/<code>", plan_view)
_rule("/plans/<code>/edit", plan_edit, ["GET", "POST"])
_rule("/plans/<code>/export", plan_export)
_rule("/plans/<code>/stations/new", station_edit, ["GET", "POST"], "station_new")
_rule("/plans/<code>/stations/<station_code>", station_edit, ["GET", "POST"])
_rule("/plans/<code>/villages/new", village_edit, ["GET", "POST"], "village_new")
_rule("/plans/<code>/villages/<area_code>", village_edit, ["GET", "POST"])
_rule("/plans/<code>/villages/<area_code>/end", endings.village_end, ["GET", "POST"])
_rule("/plans/<code>/devices/new", device_edit, ["GET", "POST"], "device_new")
_rule("/plans/<code>/devices/<device_code>", device_edit, ["GET", "POST"])
_rule("/plans/<code>/devices/<device_code>/token", device_token, ["POST"])
_rule("/plans/<code>/devices/<device_code>/retire", endings.device_retire, ["GET", "POST"])
_rule("/plans/<code>/series/new", series_edit, ["GET", "POST"], "series_new")
_rule("/plans/<code>/series/<series_code>", series_edit, ["GET", "POST"])
_rule("/plans/<code>/series/<series_code>/end", endings.series_end, ["GET", "POST"])
_rule("/plans/<code>/requirements/new", requirement_edit, ["GET", "POST"], "requirement_new")
_rule("/plans/<code>/requirements/<requirement_code>", requirement_edit, ["GET", "POST"])
_rule("/plans/<code>/requirements/<requirement_code>/end", endings.requirement_end, ["GET", "POST"])
