"""Building schedules (planner → entries, keeping identities) and hand edits. Flush only."""
from __future__ import annotations

import uuid as uuid_module
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from schedules.planner import Need, PlannedEntry, PlanResult, Shortfall, plan

from .. import audit
from ..auth.permissions import require
from ..collector import collector_paused
from ..errors import RadioError
from ..models import ScheduleEntry, Station, User
from .loading import PlanningInputs, instant, load_inputs, local_times


class ScheduleError(RadioError):
    """A schedule operation refused, with a message that says why."""


@dataclass
class BuildReport:
    created: int = 0
    kept: int = 0
    filled: int = 0
    swapped: int = 0  # episode entries that kept their identity and slot and took another episode
    cancelled: int = 0
    stations_changed: list[str] = field(default_factory=list)
    shortfalls: tuple[Shortfall, ...] = ()
    needs: tuple[Need, ...] = ()

    @property
    def has_errors(self) -> bool:
        return any(s.severity == "error" for s in self.shortfalls)


def run_planner(session: Session, stations: set[str] | None, start: date, end: date, now: datetime,
                tz: ZoneInfo, reservation_s: int, explain: bool = True,
                min_devices: int = 1) -> tuple[PlanningInputs, PlanResult]:
    """`min_devices`: compliance's threshold for an airing reported by devices to count as aired."""
    if end < start:
        raise ScheduleError(f"--to {end} is before --from {start}")
    today = now.astimezone(tz).date()
    inputs = load_inputs(session, stations, start, end, today, tz, min_devices)
    if stations is not None and set(stations) - set(inputs.stations):
        raise ScheduleError(f"no station with code {sorted(set(stations) - set(inputs.stations))[0]!r}")
    result = plan(inputs.station_inputs, inputs.requirement_inputs, inputs.episode_inputs, inputs.fixed,
                  start, end, today=today, reservation_s=reservation_s,
                  series_titles={key: s.title for key, s in inputs.series.items()}, explain=explain)
    return inputs, result


def build_schedule(session: Session, actor: User | None, start: date, end: date, *, now: datetime,
                   tz: ZoneInfo, stations: set[str] | None = None, reservation_s: int = 180,
                   min_devices: int = 1) -> BuildReport:
    """Plan [start, end] and store it: unchanged entries keep their UUIDs, and so do filled
    reservations and entries whose slot now airs another episode; the rest are cancelled (never
    deleted) or created; changed stations' versions move."""
    with collector_paused():
        inputs, result = run_planner(session, stations, start, end, now, tz, reservation_s, explain=False,
                                     min_devices=min_devices)
        report = BuildReport(shortfalls=result.shortfalls, needs=result.needs)
        changed = _reconcile(session, inputs, inputs.rebuildable, result.entries, tz, now, report)
    for code in sorted(changed):
        station = inputs.stations[code]
        station.schedule_changed(now)
        audit.record(session, actor, "schedule.build", "station", code, at=now, area=station.area,
                     after={"from": start.isoformat(), "to": end.isoformat(), **changed[code]})
    report.stations_changed = sorted(changed)
    session.flush()
    return report


class Ids(NamedTuple):
    """The ids of what a planned entry airs, for its row."""

    episode_id: int | None
    series_id: int | None
    requirement_id: int | None


class _IdMaps:
    """Row ids by planner key, read off the loaded rows once per build: a year's build stores
    tens of thousands of entries, and a dict lookup costs less than an ORM attribute read."""

    def __init__(self, inputs: PlanningInputs) -> None:
        self.stations = {code: s.id for code, s in inputs.stations.items()}
        self.series = {key: s.id for key, s in inputs.series.items()}
        self.requirements = {key: r.id for key, r in inputs.requirements.items()}
        self.episodes = inputs.episode_ids

    def of(self, p: PlannedEntry) -> Ids:
        return Ids(self.episodes[p.episode] if p.episode else None,
                   self.series[p.series] if p.series else None,
                   self.requirements[p.requirement] if p.requirement else None)


def _entry_key(station, day: date, start, kind, series, episode, requirement) -> tuple:
    return (station, day, start, kind, series, episode, requirement)


def _row_key(entry: ScheduleEntry, tz: ZoneInfo) -> tuple:
    """An entry's identity by column values (no relationship is loaded)."""
    return _entry_key(entry.station_id, entry.local_date, local_times(entry, tz)[0], entry.kind,
                      entry.series_id, entry.episode_id, entry.requirement_id)


def _planned_key(p: PlannedEntry, station_id: int, ids: Ids) -> tuple:
    """A planned entry's identity, its planner keys turned into the ids rows carry (keys and ids
    map one to one: station codes, "plan/code" of series and requirements, episode ids)."""
    return _entry_key(station_id, p.day, p.start, p.kind, ids.series_id, ids.episode_id, ids.requirement_id)


def _reconcile(session, inputs: PlanningInputs, existing, planned, tz, now: datetime, report: BuildReport) -> dict:
    old = defaultdict(list)
    for entry in existing:
        old[_row_key(entry, tz)].append(entry)
    changed = defaultdict(lambda: defaultdict(int))
    id_maps = _IdMaps(inputs)
    fresh = []
    for p in planned:
        station_id, ids = id_maps.stations[p.station], id_maps.of(p)
        matches = old.get(_planned_key(p, station_id, ids)) if old else None  # none on a first build
        if matches:
            matches.pop(0)
            report.kept += 1
        else:
            fresh.append((p, station_id, ids))
    # Unmatched entries whose content may change in place: a reservation an episode arrived for,
    # or an episode entry whose slot now airs another episode (one added earlier in the series
    # moves the later ones along), unless a log already says it was played.
    open_slots = defaultdict(list)
    for entries in old.values():
        for entry in entries:
            if entry.kind == "reservation" or (entry.kind == "episode" and not entry.reported_played):
                key = _row_key(entry, tz)
                open_slots[(key[0], key[1], key[2], key[4], key[6])].append(entry)
    created = []
    for p, station_id, ids in fresh:
        slot = None
        if p.kind in ("episode", "reservation") and open_slots:
            slot = open_slots.get((station_id, p.day, p.start, ids.series_id, ids.requirement_id))
        if slot:
            entry = slot.pop(0)
            old[_row_key(entry, tz)].remove(entry)
            how = "filled" if entry.kind == "reservation" else "swapped"
            _fill(entry, p, ids, tz)
            setattr(report, how, getattr(report, how) + 1)
            changed[p.station][how] += 1
        else:
            created.append(_new_row(p, station_id, ids, tz, now))
            report.created += 1
            changed[p.station]["created"] += 1
    if created:
        # One Core executemany: no objects, no unit of work (the ORM's bulk insert would also
        # split the rows wherever the set of None columns changes).
        session.execute(ScheduleEntry.__table__.insert(), created)
    code_of = {station_id: code for code, station_id in id_maps.stations.items()}
    for entries in old.values():
        for entry in entries:
            entry.status, entry.cancelled_at = "cancelled", now
            report.cancelled += 1
            changed[code_of[entry.station_id]]["cancelled"] += 1
    return changed


def _content(p: PlannedEntry, ids: Ids, tz: ZoneInfo) -> dict:
    return {
        "start_at": instant(p.day, p.start, tz), "end_at": instant(p.day, p.end, tz), "local_date": p.day,
        "window_name": p.window, "kind": p.kind, "title": p.title, "source": p.source,
        "episode_id": ids.episode_id, "series_id": ids.series_id, "requirement_id": ids.requirement_id,
    }


def _new_row(p: PlannedEntry, station_id: int, ids: Ids, tz: ZoneInfo, now: datetime) -> dict:
    """The values of a new planner entry, identity included."""
    row = _content(p, ids, tz)
    row.update(uuid=uuid_module.uuid4(), station_id=station_id, origin="planner", status="planned",
               is_pinned=False, created_at=now)
    return row


def _fill(entry: ScheduleEntry, p: PlannedEntry, ids: Ids, tz: ZoneInfo) -> None:
    """The entry takes the planned content of its slot (a reservation its episode, an episode
    entry another one, or a reservation again), keeping its identity and start."""
    for name, value in _content(p, ids, tz).items():
        setattr(entry, name, value)


# -- hand edits ------------------------------------------------------------------------------

def _editable(actor: User | None, entry: ScheduleEntry) -> Station:
    if actor is None:
        raise ScheduleError("hand edits need --as USERNAME (they are audited)")
    require(actor, "schedule.edit", entry.station.area)
    if entry.status != "planned":
        raise ScheduleError(f"entry {entry.uuid} is {entry.status}")
    return entry.station


def _snapshot(entry: ScheduleEntry) -> dict:
    return {"start_at": entry.start_at.isoformat(), "end_at": entry.end_at.isoformat(),
            "status": entry.status, "is_pinned": entry.is_pinned, "origin": entry.origin}


def pin_entry(session: Session, actor: User | None, entry: ScheduleEntry, pinned: bool = True, *,
              now: datetime) -> None:
    """A pinned entry is kept by every rebuild."""
    station = _editable(actor, entry)
    before = _snapshot(entry)
    entry.is_pinned = pinned
    _edited(session, actor, entry, station, "schedule.pin" if pinned else "schedule.unpin", before, now)


def cancel_entry(session: Session, actor: User | None, entry: ScheduleEntry, *, now: datetime) -> None:
    """Cancelled, never deleted: devices, calendars and logs keep referring to the same UUID."""
    station = _editable(actor, entry)
    before = _snapshot(entry)
    entry.status, entry.cancelled_at, entry.is_pinned = "cancelled", now, True
    _edited(session, actor, entry, station, "schedule.cancel", before, now)


def move_entry(session: Session, actor: User | None, entry: ScheduleEntry, to: datetime, tz: ZoneInfo, *,
               now: datetime) -> None:
    """Move to a new local start inside one of the station's windows, overlapping nothing."""
    station = _editable(actor, entry)
    length = entry.end_at - entry.start_at
    start, end = to.replace(tzinfo=tz), to.replace(tzinfo=tz) + length
    window = next((w for w in station.windows if w.start_time <= start.time() and end.time() <= w.end_time
                   and end.date() == start.date()), None)
    if window is None:
        raise ScheduleError(f"{start:%d/%m/%Y %H:%M}–{end:%H:%M} is not inside a broadcast window of {station.code}")
    clash = session.scalar(select(ScheduleEntry).where(
        ScheduleEntry.station_id == station.id, ScheduleEntry.status == "planned", ScheduleEntry.id != entry.id,
        ScheduleEntry.start_at < end, ScheduleEntry.end_at > start).limit(1))
    if clash is not None:
        raise ScheduleError(f"the new time overlaps entry {clash.uuid} ({clash.title})")
    before = _snapshot(entry)
    entry.start_at, entry.end_at, entry.local_date, entry.window_name = start, end, start.date(), window.name
    entry.origin, entry.is_pinned = "manual", True
    _edited(session, actor, entry, station, "schedule.move", before, now)


def _edited(session, actor, entry, station, action, before, now: datetime) -> None:
    station.schedule_changed(now)
    audit.record(session, actor, action, "schedule_entry", str(entry.uuid), at=now, area=station.area,
                 before=before, after=_snapshot(entry))
    session.flush()
