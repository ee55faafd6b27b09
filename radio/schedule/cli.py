"""`radio schedule build|show|explain|pin|unpin|move|cancel|add|fill`."""
from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from sqlalchemy import select

from .. import clock, db, lookups
from ..cli_support import DATE, SensibleDateTime, as_option, refusals_as_errors, resolve_actor
from ..errors import Forbidden
from ..models import Requirement, Station
from ..auth.permissions import area_ids_in_scope
from ..core_inputs import requirement_key
from .operations import (
    SWAP_WHY, ScheduleError, add_entry, build_schedule, cancel_entry, fill_reservation, move_entry, pin_entry, run_planner,
)


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


@click.group("schedule")
def schedule_group():
    """Build station schedules from the requirements, list them, edit them by hand."""


@schedule_group.command("build")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--station", "stations", multiple=True, metavar="CODE", help="Only these stations (repeatable).")
@click.option("--area", "area_code", metavar="CODE", help="Only the stations in this area.")
@click.option("--confirm-swaps", is_flag=True,
              help="Also give entries starting within 48 hours another episode (held otherwise).")
@as_option
@refusals_as_errors()
def build_command(start, end, stations, area_code, confirm_swaps, as_user):
    """Plan and store the schedule; exit 2 when hard requirements cannot be met.

    Every entry given another episode is listed; one starting within 48 hours keeps its episode
    unless --confirm-swaps is given."""
    session = db.session()
    actor = resolve_actor(as_user)
    codes = set(stations) or None
    if area_code:
        codes = (codes or set()) | _stations_in_area(session, area_code)
    if actor is not None:
        _check_scope(session, actor, codes)
    report = build_schedule(session, actor, start.date(), end.date(), now=clock.now(), tz=_tz(), stations=codes,
                            reservation_s=current_app.config["RESERVATION_SECONDS"],
                            min_devices=current_app.config["COMPLIANCE_MIN_DEVICES"], confirmed=True if confirm_swaps else ())
    session.commit()
    click.echo(f"{report.created} created, {report.kept} kept, {report.filled} reservations filled, "
               f"{report.swapped} episodes swapped, {report.cancelled} cancelled; "
               f"stations changed: {', '.join(report.stations_changed) or 'none'}")
    tz = _tz()
    for swap in report.swaps:
        click.echo(f"{'held swap' if swap.held else 'swap'}: {swap.station} {swap.start_at.astimezone(tz):%d/%m/%Y %H:%M}: "
                   f"{swap.old} → {swap.new or 'a reservation'} ({SWAP_WHY[swap.why]})"
                   + (" — kept until confirmed (--confirm-swaps)" if swap.held else ""))
    for need in report.needs:
        click.echo(f"needs: {need.station}: {need.message}")
    for s in report.shortfalls:
        click.echo(f"{s.severity}: {s.station} {s.requirement} {s.period_start:%d/%m/%Y}–{s.period_end:%d/%m/%Y}: "
                   f"{s.planned}/{s.required} airings, {s.planned_new}/{s.required_new} new — {s.reason}")
    if report.has_errors:
        sys.exit(2)


def _stations_in_area(session, area_code: str) -> set[str]:
    area = lookups.area(session, area_code)
    codes = {s.code for s in session.scalars(select(Station)) if s.area.is_within(area)}
    if not codes:
        raise ScheduleError(f"no station in area {area_code}")
    return codes


def _check_scope(session, actor, codes) -> None:
    allowed = area_ids_in_scope(session, actor, "schedule.build")
    stations = session.scalars(select(Station)).all()
    for station in stations:
        if (codes is None or station.code in codes) and station.area_id not in allowed:
            raise Forbidden(f"{actor.username} may not build the schedule of {station.code}")


@schedule_group.command("show")
@click.option("--station", "station_code", required=True, metavar="CODE")
@click.option("--date", "day", type=DATE, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@refusals_as_errors()
def show_command(station_code, day, fmt):
    """The day's running order."""
    from schedules.exports import running_order, running_order_json  # not for the other commands (icalendar, fpdf)

    from ..exports.playlist import day_playlist

    session = db.session()
    station = lookups.station(session, station_code)
    playlist = day_playlist(session, station, day.date(), _tz())
    if fmt == "json":
        click.echo(running_order_json(playlist), nl=False)
        return
    order = running_order(playlist)
    click.echo(f"{order['station']['name']} — {day:%d/%m/%Y}")
    for item in order["items"]:
        click.echo("  ".join([item["start"][11:19], item["end"][11:19], f"{item['window'] or '-':<6}",
                              f"{item['kind']:<11}", item["series"] or "-", item["title"] or "-",
                              item["requirement"] or "-", item["priority"] or "-", item["id"]]))
    if not order["items"]:
        click.echo("  (nothing planned)")


@schedule_group.command("explain")
@click.option("--requirement", "requirement_code", required=True, metavar="CODE")
@click.option("--station", "station_code", required=True, metavar="CODE")
@click.option("--date", "day", type=DATE, required=True)
@refusals_as_errors()
def explain_command(requirement_code, station_code, day):
    """How the period containing DATE was planned for one requirement at one station, and why."""
    session = db.session()
    requirements = session.scalars(select(Requirement).where(Requirement.code == requirement_code)).all()
    if not requirements:
        raise ScheduleError(f"no requirement with code {requirement_code!r}")
    keys = {requirement_key(r) for r in requirements}
    _, result = run_planner(session, {station_code}, day.date(), day.date(), clock.now(), _tz(),
                            current_app.config["RESERVATION_SECONDS"],
                            min_devices=current_app.config["COMPLIANCE_MIN_DEVICES"])
    found = False
    for (req, station, period_start), lines in sorted(result.explanations.items()):
        if req in keys and station == station_code:
            found = True
            click.echo(f"{req} at {station}, period from {period_start:%d/%m/%Y}:")
            for line in lines:
                click.echo(f"  {line}")
    if not found:
        raise ScheduleError(f"requirement {requirement_code} does not cover {station_code} on {day:%Y-%m-%d}")


def _edit_command(name: str, help_text: str, operation):
    @schedule_group.command(name, help=help_text)
    @click.argument("uuids", nargs=-1, required=True, metavar="ENTRY_UUID…")
    @as_option
    @refusals_as_errors()
    def command(uuids, as_user):
        session, now = db.session(), clock.now()
        actor = resolve_actor(as_user)
        for text in uuids:
            operation(session, actor, lookups.schedule_entry(session, text), now=now)
        session.commit()
        click.echo(f"{name}: {len(uuids)} entr{'y' if len(uuids) == 1 else 'ies'}")

    return command


_edit_command("pin", "Pin entries so that rebuilds keep them.", pin_entry)
_edit_command("unpin", "Let rebuilds replace entries again.", lambda s, a, e, now: pin_entry(s, a, e, pinned=False, now=now))
_edit_command("cancel", "Cancel entries not started yet (they stay, marked cancelled).", cancel_entry)


@schedule_group.command("move")
@click.argument("uuid_text", metavar="ENTRY_UUID")
@click.option("--to", "to", type=SensibleDateTime(["%Y-%m-%d %H:%M"]), required=True,
              help='Local start, "YYYY-MM-DD HH:MM".')
@as_option
@refusals_as_errors()
def move_command(uuid_text, to: datetime, as_user):
    """Move an entry to a new start time (it becomes manual and pinned)."""
    session = db.session()
    entry = lookups.schedule_entry(session, uuid_text)
    move_entry(session, resolve_actor(as_user), entry, to, _tz(), now=clock.now())
    session.commit()
    click.echo(f"moved {uuid_text} to {to:%d/%m/%Y %H:%M}")


@schedule_group.command("add")
@click.option("--station", "station_code", required=True, metavar="CODE")
@click.option("--episode", "episode_ref", required=True, metavar="CODE", help="CODE, SERIES/CODE or PLAN/SERIES/CODE.")
@click.option("--at", "at", type=SensibleDateTime(["%Y-%m-%d %H:%M"]), required=True,
              help='Local start, "YYYY-MM-DD HH:MM".')
@as_option
@refusals_as_errors()
def add_command(station_code, episode_ref, at: datetime, as_user):
    """Air an episode or a spot in free airtime (a manual entry, kept by rebuilds)."""
    session = db.session()
    entry = add_entry(session, resolve_actor(as_user), lookups.station(session, station_code),
                      lookups.episode(session, episode_ref), at, _tz(), now=clock.now())
    session.commit()
    click.echo(f"added {episode_ref} at {station_code} on {at:%d/%m/%Y %H:%M} (entry {entry.uuid})")


@schedule_group.command("fill")
@click.argument("uuid_text", metavar="ENTRY_UUID")
@click.option("--episode", "episode_ref", required=True, metavar="CODE", help="CODE, SERIES/CODE or PLAN/SERIES/CODE.")
@as_option
@refusals_as_errors()
def fill_command(uuid_text, episode_ref, as_user):
    """Fill a reservation with an episode of its series (it keeps its identity and start)."""
    session = db.session()
    fill_reservation(session, resolve_actor(as_user), lookups.schedule_entry(session, uuid_text),
                     lookups.episode(session, episode_ref), _tz(), now=clock.now())
    session.commit()
    click.echo(f"filled {uuid_text} with {episode_ref}")
