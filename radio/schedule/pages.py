"""The rebuild of a plan's schedules from the plan page, the rebuild of named stations and dates
that another page offers (for whoever may build them), and the job's progress page (the job runs
in the background: jobs.py)."""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from schedules.planner.reasons import MESSAGES

from .. import clock, db
from ..models import Plan, Requirement, Station
from ..plans.export import plan_requirements_and_stations
from ..plans.forms import RebuildForm
from ..ui.fields import ButtonForm
from ..ui.names import requirement_name
from ..ui.redirects import safe_next
from ..ui.scope import area_ids, scoped_plan, scoped_station
from ..ui.words import say
from .jobs import note_confirmation, read_progress, start_rebuild

bp = Blueprint("schedule", __name__, url_prefix="/office")


@login_required
def plan_rebuild(code: str):
    plan = scoped_plan(code)
    form = RebuildForm()
    if not form.validate_on_submit():
        for messages in form.errors.values():
            for message in messages:
                flash(message)
        return redirect(url_for("plans.plan_view", code=plan.code))
    if form.end.data < form.start.data:
        flash(_("Ngày kết thúc phải sau ngày bắt đầu."))
        return redirect(url_for("plans.plan_view", code=plan.code))
    _requirements, stations = plan_requirements_and_stations(db.session(), plan, area_ids())
    if form.stations.data:  # an edit's offer: only the stations it touched (of those in the user's scope)
        stations = [s for s in stations if s.code in form.stations.data.split()]
        if not stations:
            abort(403)
    db.session().commit()  # nothing written: ends the reads, the job has a session of its own
    job_id = start_rebuild(current_user, plan.code, [s.code for s in stations], form.start.data, form.end.data)
    return redirect(url_for("schedule.job_view", job_id=job_id))


@login_required
def stations_rebuild():
    """Rebuild the named stations for the named dates, for whoever may build each of them (an
    operator their own station): what a page offers after an edit the schedule follows only after a
    rebuild (the library's new dates of an episode already scheduled). Back to `next` from the job."""
    form = RebuildForm()
    back = safe_next(request.form.get("next"), url_for("today.home"))
    if not form.validate_on_submit():
        for messages in form.errors.values():
            for message in messages:
                flash(message)
        return redirect(back)
    codes = sorted(set((form.stations.data or "").split()))
    if not codes:
        abort(400)
    for code in codes:
        scoped_station(code, "schedule.build")
    if form.end.data < form.start.data:
        flash(_("Ngày kết thúc phải sau ngày bắt đầu."))
        return redirect(back)
    db.session().commit()  # nothing written: ends the reads, the job has a session of its own
    job_id = start_rebuild(current_user, None, codes, form.start.data, form.end.data, back=back)
    return redirect(url_for("schedule.job_view", job_id=job_id))


def _own_job(job_id: str) -> dict:
    progress = read_progress(job_id)
    if progress is None or progress["user_id"] != current_user.id:
        abort(404)
    return progress


@login_required
def job_view(job_id: str):
    job = _own_job(job_id)
    session = db.session()
    plan = None if job["plan"] is None else session.scalar(select(Plan).where(Plan.code == job["plan"]))
    codes = {w["station"] for w in job["warnings"]} | {job["current"]}
    stations = dict(session.execute(select(Station.code, Station.name).where(Station.code.in_(codes))).all())
    requirements = _requirement_names(job)
    warnings = [_warning(w, stations, requirements) for w in job["warnings"]]
    held = [w for w in job["warnings"] if w["severity"] == "held"]
    return render_template("schedule/job.html", job=job, plan=plan, warnings=warnings, held=held,
                           confirm_form=ButtonForm(),
                           current=stations.get(job["current"], job["current"]),
                           start=date.fromisoformat(job["from"]), end=date.fromisoformat(job["to"]))


def _requirement_names(job: dict) -> dict[str, str]:
    """The requirements the job's warnings name ("plan/code"), by name: those of the job's plan, or
    of any plan for a rebuild of stations (which builds every plan airing there)."""
    keys = {w["requirement"] for w in job["warnings"] if w.get("requirement")}
    for warning in job["warnings"]:
        for reason in warning.get("reasons", ()):
            keys |= set(dict(reason["values"]).get("requirements", ()))
    plans = {job["plan"]} if job["plan"] else {key.split("/", 1)[0] for key in keys}
    return {f"{code}/{r.code}": requirement_name(r) for r, code in db.session().execute(
        select(Requirement, Plan.code).join(Plan).where(Plan.code.in_(plans)))}


SWAP_WHY = {"old_unavailable": _l("tập cũ không còn được phát vào lúc đó (hết hạn, bị gỡ hoặc không dành cho yêu cầu)"),
            "new_first": _l("tập mới được phát lần đầu ở đài này"),
            "reordered": _l("thứ tự phát lại thay đổi")}


def _warning(warning: dict, stations: dict[str, str], requirements: dict[str, str]) -> dict:
    """A warning of the job as the page shows it: stations and requirements by name, the
    planner's reasons in the reader's language."""
    if warning["severity"] in ("swap", "held"):
        start_at = datetime.fromisoformat(warning["start_at"]).astimezone(clock.station_tz())
        text = _("“%(old)s” → “%(new)s”: %(why)s.", old=warning["old"], new=warning["new"] or _("chờ nội dung"),
                 why=SWAP_WHY[warning["why"]])
        if warning["severity"] == "held":
            text += " " + _("Giữ tập cũ cho tới khi có người xác nhận (sắp phát trong 48 giờ).")
        return {"severity": warning["severity"], "station": stations.get(warning["station"], warning["station"]),
                "requirement": None, "period": f"{start_at:%H:%M %d/%m/%Y}", "text": text}
    if "reasons" not in warning:  # a job written before its warnings had reasons
        return {**warning, "text": warning["message"]}
    said = []
    if "planned" in warning:
        said.append(_("%(planned)s/%(required)s lần phát, %(planned_new)s/%(required_new)s tin mới",
                      planned=warning["planned"], required=warning["required"],
                      planned_new=warning["planned_new"], required_new=warning["required_new"]))
    for reason in warning["reasons"]:
        values = dict(reason["values"])
        if "requirements" in values:
            values["requirements"] = [requirements.get(key, key) for key in values["requirements"]]
        said.append(say(MESSAGES[reason["code"]], values))
    return {"severity": warning["severity"], "station": stations.get(warning["station"], warning["station"]),
            "requirement": requirements.get(warning.get("requirement"), warning.get("requirement")),
            "period": warning.get("period"), "text": "; ".join(said)}


@login_required
def job_status(job_id: str):
    return jsonify(_own_job(job_id))


@login_required
def confirm_swaps(job_id: str):
    """Apply the swaps a finished job held (entries airing within 48 hours): the same stations and
    dates are built again, with those entries allowed to take their new episode. Only someone who
    may build each station's schedule confirms; the build audits which swaps were confirmed."""
    job = _own_job(job_id)
    held = [w for w in job["warnings"] if w["severity"] == "held"]
    if not ButtonForm().validate_on_submit() or job["state"] != "finished" or not held:
        abort(400)
    if job.get("confirmed_by_job"):
        return redirect(url_for("schedule.job_view", job_id=job["confirmed_by_job"]))
    stations = sorted({w["station"] for w in held})
    for code in stations:
        scoped_station(code, "schedule.build")
    db.session().commit()  # nothing written: ends the reads, the job has a session of its own
    confirming = start_rebuild(current_user, job["plan"], stations, date.fromisoformat(job["from"]),
                               date.fromisoformat(job["to"]), confirmed=[w["entry"] for w in held],
                               back=job.get("back"))
    note_confirmation(job_id, confirming)
    return redirect(url_for("schedule.job_view", job_id=confirming))


bp.add_url_rule("/plans/<code>/rebuild", view_func=plan_rebuild, methods=["POST"])
bp.add_url_rule("/stations/rebuild", view_func=stations_rebuild, methods=["POST"])
bp.add_url_rule("/jobs/<job_id>", view_func=job_view)
bp.add_url_rule("/jobs/<job_id>.json", view_func=job_status)
bp.add_url_rule("/jobs/<job_id>/confirm-swaps", view_func=confirm_swaps, methods=["POST"])
