"""What the operator's day and calendar pages show, gathered from the rows (no requests, no forms).

The running order is the exports' own day playlist (`radio.exports.playlist.day_playlist`), so
the page, the M3U8 and the printed log book always list the same items in the same order.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from schedules.exports import DayPlaylist, PlayItem, WindowPart, window_steps
from schedules.slots import Span

from ..devices.presence import presence, station_devices
from ..exports.playlist import MediaUrl, day_playlist, entries_between
from ..models import Device, ScheduleEntry, Station
from ..playlogs.confirmations import UnscheduledAiring, unscheduled_airings
from ..schedule.free_time import free_time


@dataclass(frozen=True)
class WindowOrder:
    name: str
    start: datetime | None
    end: datetime | None
    items: tuple[PlayItem, ...]
    free: tuple[Span, ...] = ()  # airtime still free from now on, where an item can be added
    # The window as aired: its MP3 parts and, between them, the relay and live blocks.
    steps: tuple[WindowPart | PlayItem, ...] = ()

    @property
    def part_count(self) -> int:
        return sum(isinstance(step, WindowPart) for step in self.steps)

    @property
    def has_blocks(self) -> bool:
        return any(not isinstance(step, WindowPart) for step in self.steps)


@dataclass(frozen=True)
class Marks:
    """What the exports' items leave out and the edit tools need: where an entry came from,
    whether rebuilds keep it."""

    origin: str
    is_pinned: bool


@dataclass(frozen=True)
class DayView:
    playlist: DayPlaylist
    windows: tuple[WindowOrder, ...]
    missing: tuple[PlayItem, ...]  # items with nothing to play (reservations, episodes without audio)
    offline: tuple[tuple[Device, str], ...]  # village devices not answering, with their presence
    marks: dict[str, Marks]  # by item id
    unscheduled: tuple[UnscheduledAiring, ...]  # airings recorded off the schedule that day

    @property
    def missing_ids(self) -> set[str]:
        return {item.id for item in self.missing}


def is_missing(item: PlayItem) -> bool:
    """A reservation, or an episode whose audio is not recorded or not in the store."""
    return item.kind == "reservation" or (item.kind in ("episode", "bulletin") and item.media_path is None)


def day_view(session: Session, station: Station, day: date, tz: ZoneInfo, now: datetime, poll_s: int,
             media_url: MediaUrl) -> DayView:
    playlist = day_playlist(session, station, day, tz, media_url)
    by_window: dict[str | None, list[PlayItem]] = defaultdict(list)
    for item in playlist.items:
        by_window[item.window].append(item)
    free: dict[str, list[Span]] = defaultdict(list)
    for span in free_time(session, station, day, tz, now):
        free[span.window].append(span)
    windows = [WindowOrder(w.name, w.start, w.end, tuple(by_window.pop(w.name, ())), tuple(free[w.name]),
                           window_steps(playlist, w.name))
               for w in playlist.windows]
    windows += [WindowOrder(name or "", None, None, tuple(items)) for name, items in by_window.items()]
    devices = [(d, presence(d, now, poll_s)) for d in station_devices(session, station.id)]
    marks = {str(uuid): Marks(origin, pinned) for uuid, origin, pinned in session.execute(
        select(ScheduleEntry.uuid, ScheduleEntry.origin, ScheduleEntry.is_pinned).where(
            ScheduleEntry.station_id == station.id, ScheduleEntry.local_date == day))}
    first = datetime.combine(day, time(), tz)
    return DayView(playlist, tuple(windows), tuple(i for i in playlist.items if is_missing(i)),
                   tuple((d, state) for d, state in devices if state != "online"), marks,
                   tuple(unscheduled_airings(session, station=station, first=first, last=first + timedelta(days=1))))


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_range: bool  # False for the days of the neighbouring months that fill a month's weeks
    entries: tuple[ScheduleEntry, ...]


def calendar_range(view: str, anchor: date) -> tuple[date, date, date, date]:
    """(first shown, last shown, previous anchor, next anchor) of a week or month around `anchor`;
    weeks start on Monday (Thứ 2), as Vietnamese calendars do."""
    if view == "month":
        first_of_month = anchor.replace(day=1)
        next_month = (first_of_month + timedelta(days=32)).replace(day=1)
        first = first_of_month - timedelta(days=first_of_month.weekday())
        last_of_month = next_month - timedelta(days=1)
        last = last_of_month + timedelta(days=6 - last_of_month.weekday())
        previous = (first_of_month - timedelta(days=1)).replace(day=1)
        return first, last, previous, next_month
    first = anchor - timedelta(days=anchor.weekday())
    return first, first + timedelta(days=6), first - timedelta(days=7), first + timedelta(days=7)


def calendar_days(session: Session, station: Station, view: str, anchor: date) -> list[CalendarDay]:
    first, last, _, _ = calendar_range(view, anchor)
    by_day: dict[date, list[ScheduleEntry]] = defaultdict(list)
    for entry in entries_between(session, station, first, last):
        by_day[entry.local_date].append(entry)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [CalendarDay(d, view != "month" or d.month == anchor.month, tuple(by_day.get(d, ()))) for d in days]
