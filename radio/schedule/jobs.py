"""The schedule's jobs: rebuilding a plan's schedules, and the periodic check of reservations
still waiting for content.

Rebuilding a plan's schedules runs as a job, one station at a time, with progress to show.

The job (queued with huey, or inline: radio/jobs.py) builds each station in turn with the same
`build_schedule` as `radio schedule build` and commits after each, so a long rebuild shows
how far it got and a failure keeps the stations already done. Progress lives in a small JSON
file per job in the instance folder (written atomically): the web pages read it, and nothing
in the database schema is needed for something this short-lived.

Each warning keeps the planner's English `message` and its `reasons` as codes with values
(schedules/planner/reasons.py), which the page shows in the reader's language; stations and
requirements stay codes here, named by the page.
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from audio_library.files import atomic_output

from .. import clock, db, notices
from ..auth.scope import users_who_may
from ..jobs import enqueue
from ..models import ScheduleEntry, User
from ..notices import kinds
from ..ui.words import for_people
from .operations import ScheduleError, Swap, build_schedule

_JOB_ID = re.compile(r"[0-9a-f]{32}")


def _path(job_id: str) -> Path:
    if not _JOB_ID.fullmatch(job_id):
        raise KeyError(job_id)  # never a path built from anything else
    folder = Path(current_app.instance_path) / "office-jobs"
    folder.mkdir(exist_ok=True)
    return folder / f"{job_id}.json"


def read_progress(job_id: str) -> dict | None:
    try:
        return json.loads(_path(job_id).read_text(encoding="utf-8"))
    except (KeyError, FileNotFoundError):
        return None


def _write(job_id: str, progress: dict) -> None:
    with atomic_output(_path(job_id)) as temp:
        temp.write_text(json.dumps(progress, ensure_ascii=False), encoding="utf-8")


def start_rebuild(actor: User, plan_code: str | None, stations: list[str], start: date, end: date,
                  confirmed: list[str] = (), back: str | None = None) -> str:
    """Record the job as queued and hand it to the queue; returns its id (the caller has committed).
    `plan_code`: the plan whose page started it (None: a rebuild of stations, every plan airing
    there); `back`: the page the job's page links back to, when not the plan's.
    `confirmed`: the UUIDs of entries a person allowed to take another episode within 48 hours."""
    job_id = uuid.uuid4().hex
    _write(job_id, {"id": job_id, "user_id": actor.id, "plan": plan_code, "back": back, "state": "queued",
                    "from": start.isoformat(), "to": end.isoformat(), "total": len(stations), "done": 0,
                    "current": None, "warnings": [], "counts": {}, "error": None, "confirmed_by_job": None})
    enqueue(rebuild_schedules, job_id, stations, start.isoformat(), end.isoformat(), actor.id, list(confirmed))
    return job_id


def note_confirmation(job_id: str, confirming_job_id: str) -> None:
    """The job's held swaps were confirmed: the job that applies them is `confirming_job_id`."""
    progress = read_progress(job_id)
    progress["confirmed_by_job"] = confirming_job_id
    _write(job_id, progress)


def rebuild_schedules(job_id: str, stations: list[str], start: str, end: str, actor_id: int,
                      confirmed: list[str] = ()) -> None:
    session = db.session()
    progress = read_progress(job_id)
    actor = session.get(User, actor_id)
    counts = {"created": 0, "kept": 0, "filled": 0, "swapped": 0, "cancelled": 0}
    progress["state"] = "running"
    try:
        for code in stations:
            progress["current"] = code
            _write(job_id, progress)
            report = build_schedule(session, actor, date.fromisoformat(start), date.fromisoformat(end),
                                    now=clock.now(), tz=clock.station_tz(), stations={code},
                                    reservation_s=current_app.config["RESERVATION_SECONDS"],
                                    min_devices=current_app.config["COMPLIANCE_MIN_DEVICES"],
                                    confirmed=confirmed)
            session.commit()
            for key in counts:
                counts[key] += getattr(report, key)
            progress["warnings"] += [_swap(s) for s in report.swaps]
            progress["warnings"] += [_shortfall(s) for s in report.shortfalls]
            progress["warnings"] += [{"severity": "need", "station": n.station, "message": n.message,
                                      "reasons": [_reason(n.reason)]} for n in report.needs]
            progress["done"] += 1
            progress["counts"] = counts
    except ScheduleError as exc:
        session.rollback()
        progress.update(state="failed", error=str(exc))
    except Exception as exc:  # recorded for the page, then left to the queue's own handling
        session.rollback()
        progress.update(state="failed", error=f"{type(exc).__name__}: {exc}")
        _write(job_id, progress)
        raise
    else:
        progress.update(state="finished", current=None)
    _write(job_id, progress)


def _swap(s: Swap) -> dict:
    """A swap as a warning: `held` ones wait for a person's confirmation (the job page's button)."""
    return {"severity": "held" if s.held else "swap", "station": s.station, "entry": s.entry,
            "start_at": s.start_at.isoformat(), "old": s.old, "new": s.new, "why": s.why}


def _shortfall(s) -> dict:
    return {"severity": s.severity, "station": s.station, "requirement": s.requirement,
            "period": f"{s.period_start:%d/%m/%Y}–{s.period_end:%d/%m/%Y}",
            "planned": s.planned, "required": s.required, "planned_new": s.planned_new,
            "required_new": s.required_new, "message": s.reason, "reasons": [_reason(r) for r in s.reasons]}


def _reason(reason) -> dict:
    """A planner's reason as JSON: its code and values, dates already written as pages write them
    (dd/mm/yyyy in every language); requirement codes stay lists, for the page to name."""
    return {"code": reason.code, "values": {name: list(value) if name == "requirements" else for_people(value)
                                            for name, value in reason.values.items()}}


# -- reservations still waiting for content ---------------------------------------------------

@dataclass(frozen=True)
class EmptyReservation:
    """A reservation airing soon with no content yet, and the station's operators to tell."""

    entry: ScheduleEntry
    operators: list[User]


def empty_reservations(session: Session, now: datetime, days: int) -> list[EmptyReservation]:
    """Planned reservations starting after `now` and at most `days` days later, soonest first.
    Filling one makes it an episode entry, so it drops out by itself."""
    entries = session.scalars(select(ScheduleEntry).where(
        ScheduleEntry.kind == "reservation", ScheduleEntry.status == "planned", ScheduleEntry.start_at > now,
        ScheduleEntry.start_at <= now + timedelta(days=days))
        .options(joinedload(ScheduleEntry.station), joinedload(ScheduleEntry.series))
        .order_by(ScheduleEntry.start_at, ScheduleEntry.id)).all()
    operators: dict[int, list[User]] = {}
    for entry in entries:
        if entry.station_id not in operators:
            operators[entry.station_id] = users_who_may(session, "schedule.edit", entry.station.area_id)
    return [EmptyReservation(entry, operators[entry.station_id]) for entry in entries]


def tell_empty_reservations(session: Session, due: list[EmptyReservation], now: datetime) -> None:
    for item in due:
        entry = item.entry
        notices.emit(session, kinds.RESERVATION_EMPTY, item.operators, about=f"reservation:{entry.uuid}",
                     values={"series": entry.series.title if entry.series else entry.title or "",
                             "station": entry.station.name, "start_at": entry.start_at.isoformat()},
                     link=notices.page("today.entry_page", code=entry.station.code, uuid_text=str(entry.uuid)), now=now)


def check_empty_reservations() -> None:
    """Periodic: tell the operators of every reservation airing within
    NOTICE_EMPTY_RESERVATION_DAYS days that still waits for content (once per reservation)."""
    session, now = db.session(), clock.now()
    due = empty_reservations(session, now, current_app.config["NOTICE_EMPTY_RESERVATION_DAYS"])
    tell_empty_reservations(session, due, now)
    session.commit()
    notices.dispatch()
