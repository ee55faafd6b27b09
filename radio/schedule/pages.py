"""The rebuild of a plan's schedules from the plan page, and its progress page (the job runs in
the background: jobs.py)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import db
from ..plans.export import plan_requirements_and_stations
from ..plans.forms import RebuildForm
from ..ui.scope import area_ids, scoped_plan
from .jobs import read_progress, start_rebuild

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
    db.session().commit()  # nothing written: ends the reads, the job has a session of its own
    job_id = start_rebuild(current_user, plan.code, [s.code for s in stations], form.start.data, form.end.data)
    return redirect(url_for("schedule.job_view", job_id=job_id))


def _own_job(job_id: str) -> dict:
    progress = read_progress(job_id)
    if progress is None or progress["user_id"] != current_user.id:
        abort(404)
    return progress


@login_required
def job_view(job_id: str):
    job = _own_job(job_id)
    return render_template("schedule/job.html", job=job, start=date.fromisoformat(job["from"]),
                           end=date.fromisoformat(job["to"]))


@login_required
def job_status(job_id: str):
    return jsonify(_own_job(job_id))


bp.add_url_rule("/plans/<code>/rebuild", view_func=plan_rebuild, methods=["POST"])
bp.add_url_rule("/jobs/<job_id>", view_func=job_view)
bp.add_url_rule("/jobs/<job_id>.json", view_func=job_status)
