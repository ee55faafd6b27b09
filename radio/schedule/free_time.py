"""Free airtime of a station's day for hand edits: the times the day pages offer, and the check
every edit that gives an item a time passes (moving, adding, filling), so that both agree.

The windows open that day less the station's blocks are the pure `schedules.slots.open_spans`
(which knows weekdays, seasons and closed days); the entries planned there and the past are
taken out here. The check names the first rule a time breaks, for a refusal that says why.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from schedules.slots import Span, free_spans, open_spans

from ..core_inputs import station_input
from ..models import ScheduleEntry, Station
from .errors import ScheduleError

def free_time(session: Session, station: Station, day: date, tz: ZoneInfo, now: datetime, *,
              ignore: ScheduleEntry | None = None) -> list[Span]:
    """The stretches of `day` still free at `station` from `now` on (`ignore`: the entry being
    moved or filled, whose own time is free to it)."""
    spans = open_spans(station_input(station), day, day, tz)
    if not spans:
        return []
    planned = _planned(session, station, spans[0].start, max(s.end for s in spans), ignore)
    busy = [(e.start_at, e.end_at) for e in planned]
    busy.append((datetime.combine(day, time(), tz), now))
    return free_spans(spans, busy)


def check_free(session: Session, station: Station, start: datetime, end: datetime, tz: ZoneInfo,
               now: datetime, *, ignore: ScheduleEntry | None = None) -> str:
    """The name of the window [start, end) airs in, or a ScheduleError naming the first rule it
    breaks: in the past, a closed day, outside the windows open that day, on a block, on another
    planned entry."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    when = f"{local_start:%d/%m/%Y %H:%M}–{local_end:%H:%M}"
    if start < now:
        raise ScheduleError(f"{when} is in the past", code="in_past", when=when)
    day, plain = local_start.date(), station_input(station)
    if day in plain.closed:
        raise ScheduleError(f"{station.code} does not broadcast on {day:%d/%m/%Y} (a closed day)",
                            code="closed_day", day=f"{day:%d/%m/%Y}")
    window = next((w for w in plain.open_on(day) if local_end.date() == day
                   and w.start <= local_start.time() and local_end.time() <= w.end), None)
    if window is None:
        raise ScheduleError(f"{when} is not inside a broadcast window of {station.code}",
                            code="outside_windows", when=when)
    for block in plain.blocks_on(day):
        block_start = datetime.combine(day, block.at, tz)
        if block_start < end and start < block_start + timedelta(seconds=block.duration_s):
            raise ScheduleError(f"{when} overlaps the fixed {block.kind} {block.title!r} at {block.at:%H:%M}",
                                code="on_block", when=when, title=block.title, at=f"{block.at:%H:%M}")
    clash = next(iter(_planned(session, station, start, end, ignore)), None)
    if clash is not None:
        title = entry_title(clash)
        raise ScheduleError(f"the new time overlaps entry {clash.uuid} ({title})", code="overlap", when=when,
                            title=title, at=f"{clash.start_at.astimezone(tz):%H:%M}")
    return window.name


def entry_title(entry: ScheduleEntry) -> str:
    """What an entry airs, as people name it (a reservation by the series it waits for)."""
    if entry.kind == "reservation" and entry.series is not None:
        return entry.series.title
    return entry.title or (entry.episode.title if entry.episode else entry.series.title if entry.series else "")


def _planned(session: Session, station: Station, start: datetime, end: datetime,
             ignore: ScheduleEntry | None) -> list[ScheduleEntry]:
    query = select(ScheduleEntry).where(
        ScheduleEntry.station_id == station.id, ScheduleEntry.status == "planned",
        ScheduleEntry.start_at < end, ScheduleEntry.end_at > start)
    if ignore is not None:
        query = query.where(ScheduleEntry.id != ignore.id)
    return session.scalars(query.order_by(ScheduleEntry.start_at, ScheduleEntry.id)).all()
