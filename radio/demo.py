"""`radio demo`: the seed plans loaded, voiced offline, with a demo user for every role.

The seed plans are written for one season; each is loaded with its dates moved by whole
weeks so that its season holds today (schedules.planfile.days_to_season), so the demo is
live on whatever day it is run.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from schedules.planfile import days_to_season, load_plan, shift_dates

from . import clock, db, jobs, schema
from .auth import operations as users
from .models import Episode, Plan, ScriptVersion, Station, User
from .plans.operations import import_document, known_records
from .schedule.operations import build_schedule
from .scripts.jobs import voice_script_job
from .scripts.operations import approve_script

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DEMO_PASSWORD = "demo-radio-2026"


@click.command("demo")
@click.option("--examples", type=click.Path(exists=True, file_okay=False, path_type=Path), default=EXAMPLES,
              show_default=True, help="Folder of plan files to load.")
@click.option("--history-weeks", type=click.IntRange(0, 8), default=2, show_default=True,
              help="Weeks before today to live with the stations' loudspeakers and operators (0: none).")
def demo_command(examples: Path, history_weeks: int):
    """Load the demo plans, create demo users, approve and voice the scripts (offline)."""
    schema.upgrade(db.engine())
    session = db.session()
    now = clock.now()
    today = now.astimezone(clock.station_tz()).date()
    for path in sorted(examples.glob("*.yaml")):
        _load(session, path, now, today)
    logins = _demo_users(session, now)
    session.commit()
    approver = session.scalar(select(User).where(User.username == "admin"))
    for version in session.scalars(select(ScriptVersion).where(ScriptVersion.status == "submitted")).all():
        approve_script(session, approver, version.script, now=now)
    session.commit()
    silent = session.scalars(select(Episode.script_id).where(Episode.media_sha256.is_(None),
                                                             Episode.script_id.is_not(None))).all()
    session.commit()  # each job has a session of its own
    click.echo(f"voicing {len(silent)} scripts with {current_app.config['TTS_ENGINES']} …")
    for script_id in silent:
        jobs.enqueue(voice_script_job, script_id)
    if history_weeks:
        _live_history(session, history_weeks, now)
    _build_schedules(session, now if history_weeks else _monday_midnight(today), today)
    click.echo("demo logins (password for all: %s):" % DEMO_PASSWORD)
    for username, role, area in logins:
        click.echo(f"  {username:<24} {role:<10} {area}")


def _load(session, path: Path, now: datetime, today: date) -> None:
    """One plan file, its dates moved so that its season holds `today`."""
    plan = load_plan(path, known_records(session))
    days = days_to_season(plan, today)
    summary = import_document(session, shift_dates(plan, days), actor=None, now=now)
    session.commit()
    moved = f", dates moved {days // 7:+d} weeks" if days else ""
    click.echo(f"{path.name}: {sum(summary.created.values())} records created{moved}")


def _live_history(session, weeks: int, now: datetime) -> None:
    """The last weeks as the stations lived them (radio.simulation.history), so the office's
    dashboard opens on periods met, short and at risk rather than on a blank past."""
    from .simulation.history import live_recent_weeks

    click.echo(f"living the last {weeks} weeks: loudspeakers playing, operators ticking, one going silent …")
    current_app.extensions.pop("radio.add_pages", lambda: None)()  # the receivers poll this app's API
    lived = live_recent_weeks(current_app._get_current_object(), weeks=weeks, now=now)
    session.expire_all()
    click.echo("  " + ", ".join(f"{n} {what}" for what, n in sorted(lived.items()) if not isinstance(n, float)))


def _monday_midnight(today: date) -> datetime:
    """Without a lived history, schedules are built as the stations would have built them this
    Monday at midnight: the days of this week already gone hold their running order too."""
    return datetime.combine(today - timedelta(days=today.weekday()), time.min, tzinfo=clock.station_tz())


def _build_schedules(session, now: datetime, today: date) -> None:
    """Six weeks from this week's Monday, as of `now`, so the demo has a past, a today and a future."""
    start = today - timedelta(days=today.weekday())
    report = build_schedule(session, None, start, start + timedelta(weeks=6, days=-1), now=now,
                            tz=clock.station_tz(), reservation_s=current_app.config["RESERVATION_SECONDS"])
    session.commit()
    click.echo(f"schedules built {start:%d/%m/%Y} + 6 weeks: {report.created} entries, "
               f"{len(report.needs)} reservations waiting for content")


def _demo_users(session, now: datetime) -> list[tuple[str, str, str]]:
    """admin on every province; per plan an oversight and an approver; per station an operator."""
    wanted = []
    provinces = sorted({p.issued_by.ancestors_and_self()[-1].code for p in session.scalars(select(Plan))})
    wanted += [("admin", "admin", code) for code in provinces]
    for plan in session.scalars(select(Plan).order_by(Plan.code)):
        wanted += [(f"vanhoa-{plan.code}", "oversight", plan.issued_by.code),
                   (f"duyet-{plan.code}", "approver", plan.issued_by.code)]
    for station in session.scalars(select(Station).order_by(Station.code)):
        wanted.append((f"dai-{station.code}", "operator", station.area.code))
    for username, role, area in wanted:
        existing = session.scalar(select(User).where(User.username == username))
        if existing is None:
            users.add_user(session, None, username, DEMO_PASSWORD, role, area, now=now)
        else:
            users.grant_role(session, None, existing, role, area, now=now)
    return wanted
