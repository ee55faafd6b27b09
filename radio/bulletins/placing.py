"""Normal and priority bulletins go into the station schedules as fixed entries.

For every station a bulletin reaches, the bulletins still waiting to air there are laid out
again together with the new one (schedules.slots: earliest free airtime in a window, priority
before normal), so a priority bulletin issued later still airs before normal ones. Entries
keep their UUIDs when they move. A priority bulletin that finds no free airtime takes the
place of planner entries not yet aired (they are cancelled, and the next build places them
elsewhere); a normal one that finds none is reported, not forced in.
"""
from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from schedules.slots import Pending, Span, free_spans, open_spans, place

from ..area_tree import subtree_ids
from ..core_inputs import station_input
from ..models import Area, Bulletin, ScheduleEntry, Station

SCHEDULED = ("normal", "priority")


@dataclass
class Placement:
    """What placing did: entries made or moved, stations without room, planner entries displaced."""

    created: list[ScheduleEntry] = field(default_factory=list)
    moved: list[ScheduleEntry] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # "station" or "station/village"
    displaced: list[ScheduleEntry] = field(default_factory=list)

    @property
    def stations(self) -> set[int]:
        return {e.station_id for e in self.created + self.moved + self.displaced}


@dataclass
class _Item:
    bulletin: Bulletin
    target_area_id: int | None
    row: ScheduleEntry | None = None
    slot: Span | None = None


def place_bulletin(session: Session, bulletin: Bulletin, now: datetime, tz: ZoneInfo, lead_s: int) -> Placement:
    result = Placement()
    for station, targets in _stations_reached(session, bulletin).items():
        _lay_out(session, station, [_Item(bulletin, t) for t in sorted(targets, key=lambda t: t or 0)],
                 now, tz, lead_s, result)
    return result


def unplace_bulletin(session: Session, bulletin: Bulletin, now: datetime) -> list[ScheduleEntry]:
    """Cancel the bulletin's entries that have not started yet."""
    rows = session.scalars(select(ScheduleEntry).where(
        ScheduleEntry.bulletin_id == bulletin.id, ScheduleEntry.status == "planned",
        ScheduleEntry.start_at > now)).all()
    for row in rows:
        row.status, row.cancelled_at = "cancelled", now
    for station in {row.station for row in rows}:
        station.schedule_changed(now)
    return list(rows)


def _stations_reached(session: Session, bulletin: Bulletin) -> dict[Station, set[int | None]]:
    """Stations in a bulletin area air it to everyone (target None); a station above a
    bulletin area (a village of its commune) airs it to that area's loudspeakers only."""
    reached: dict[Station, set[int | None]] = {}
    below = subtree_ids(session, [a.id for a in bulletin.areas])
    for station in session.scalars(select(Station).where(Station.area_id.in_(below)).order_by(Station.code)):
        reached[station] = {None}
    for area in bulletin.areas:
        above = [a.id for a in area.ancestors_and_self()[1:]]
        for station in session.scalars(select(Station).where(Station.area_id.in_(above)).order_by(Station.code)):
            if None not in reached.get(station, set()):
                reached.setdefault(station, set()).add(area.id)
    return reached


def _lay_out(session, station: Station, new: list[_Item], now, tz, lead_s, result: Placement) -> None:
    soonest = now + timedelta(seconds=lead_s)
    waiting = _waiting(session, station, soonest)
    items = [_Item(row.bulletin, row.target_area_id, row) for row in waiting] + new
    pending = [_pending(str(i), item, soonest) for i, item in enumerate(items)]
    first, latest = min(p.earliest for p in pending), max(p.latest for p in pending)
    others = _busy(session, station, first, latest, exclude={row.id for row in waiting})
    spans = open_spans(station_input(station), first.astimezone(tz).date(), latest.astimezone(tz).date(), tz)
    slots = place(pending, free_spans(spans, [(e.start_at, e.end_at) for e in others]))
    for key, slot in slots.items():
        items[int(key)].slot = slot
    displaced = _displace_for_priority(items, pending, spans, others, soonest, now)
    result.displaced += displaced
    changed = [_apply(session, station, item, tz, now, result) for item in items]
    if any(changed) or displaced:
        station.schedule_changed(now)


def _waiting(session, station: Station, soonest: datetime) -> list[ScheduleEntry]:
    """Bulletin entries of the station that have not started yet (far enough ahead to move)."""
    rows = session.scalars(select(ScheduleEntry).where(
        ScheduleEntry.station_id == station.id, ScheduleEntry.origin == "bulletin",
        ScheduleEntry.status == "planned", ScheduleEntry.start_at >= soonest,
    ).order_by(ScheduleEntry.start_at, ScheduleEntry.id)).all()
    return [row for row in rows if row.bulletin is not None and row.bulletin.priority in SCHEDULED
            and row.bulletin.cancelled_at is None]


def _busy(session, station: Station, start: datetime, end: datetime, exclude: set[int]) -> list[ScheduleEntry]:
    rows = session.scalars(select(ScheduleEntry).where(
        ScheduleEntry.station_id == station.id, ScheduleEntry.status == "planned",
        ScheduleEntry.end_at > start, ScheduleEntry.start_at < end,
    ).order_by(ScheduleEntry.start_at)).all()
    return [row for row in rows if row.id not in exclude]


def _pending(key: str, item: _Item, soonest: datetime) -> Pending:
    bulletin = item.bulletin
    return Pending(key=key, priority=bulletin.priority, issued=bulletin.created_at,
                   duration_s=bulletin.episode.duration_s, earliest=max(bulletin.valid_from, soonest),
                   latest=bulletin.valid_until)


def _displace_for_priority(items: list[_Item], pending: list[Pending], spans, others, soonest,
                           now) -> list[ScheduleEntry]:
    """A priority bulletin with no free airtime may take planner airtime not yet aired; returns
    the planner entries it cancelled."""
    movable = [e for e in others if e.origin == "planner" and not e.is_pinned and e.start_at >= soonest
               and e.kind in ("episode", "reservation")]
    taken = [(e.start_at, e.end_at) for e in others if e not in movable]
    taken += [(i.slot.start, i.slot.end) for i in items if i.slot is not None]
    displaced = []
    for index, item in enumerate(items):
        if item.slot is not None or item.bulletin.priority != "priority":
            continue
        slot = place([pending[index]], free_spans(spans, taken))[pending[index].key]
        if slot is None:
            continue
        item.slot = slot
        taken.append((slot.start, slot.end))
        for entry in movable:
            if entry.status == "planned" and entry.start_at < slot.end and entry.end_at > slot.start:
                entry.status, entry.cancelled_at = "cancelled", now
                displaced.append(entry)
    return displaced


def _apply(session, station: Station, item: _Item, tz: ZoneInfo, now: datetime, result: Placement) -> bool:
    """Write one item's slot: a new entry, a moved one, or a cancelled one that lost its place."""
    slot, row = item.slot, item.row
    if slot is None:
        label = station.code if item.target_area_id is None else \
            f"{station.code}/{session.get(Area, item.target_area_id).code}"
        result.unplaced.append(label)
        if row is not None:
            row.status, row.cancelled_at = "cancelled", now
        return row is not None
    if row is not None and (row.start_at, row.end_at) == (slot.start, slot.end):
        return False
    if row is None:
        row = _new_entry(station, item, now)
        result.created.append(row)
    else:
        result.moved.append(row)
    row.start_at, row.end_at, row.window_name = slot.start, slot.end, slot.window
    row.local_date = slot.start.astimezone(tz).date()
    session.add(row)
    return True


def _new_entry(station: Station, item: _Item, now: datetime) -> ScheduleEntry:
    bulletin = item.bulletin
    return ScheduleEntry(uuid=uuid_module.uuid4(), station=station, kind="bulletin", origin="bulletin",
                         title=bulletin.title, episode=bulletin.episode, series=bulletin.episode.series,
                         bulletin_id=bulletin.id, target_area_id=item.target_area_id, is_pinned=False,
                         status="planned", created_at=now)
