"""Building schedules (planner → entries, keeping identities) and hand edits. Flush only."""
from __future__ import annotations

import math
import uuid as uuid_module
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from schedules.planner import EpisodeInput, Need, PlannedEntry, PlanResult, Shortfall, plan

from .. import audit, lookups
from ..db.bulk import insert_plain
from ..auth.permissions import require
from ..collector import collector_paused
from ..core_inputs import requirement_input
from ..models import Episode, ScheduleEntry, Station, User
from .errors import ScheduleError
from .free_time import check_free, entry_title
from .loading import PlanningInputs, instant, keep_as_fixed, load_inputs, local_times


# A build never gives an entry starting this soon another episode unless a person confirmed it:
# the operator may have announced it, or the village expects it.
SWAP_HOLD = timedelta(hours=48)
# Why a build gives an entry another episode, in English (the job page words each code).
SWAP_WHY = {"old_unavailable": "the old episode may no longer air then (expired, removed or not meant for it)",
            "new_first": "the new episode airs here for the first time",
            "reordered": "the order of replays changed"}


@dataclass(frozen=True)
class Swap:
    """An entry of the published schedule that the build gives another episode (or empties into
    a reservation); `held` when it starts within SWAP_HOLD and waits for a person's confirmation."""

    station: str
    entry: str  # its UUID, what a confirmation names
    start_at: datetime
    old: str  # titles
    new: str | None  # None: a reservation, waiting for content
    why: str  # a key of SWAP_WHY
    held: bool


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
    swaps: list[Swap] = field(default_factory=list)  # applied and held, in time order

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
    return inputs, _plan(inputs, start, end, today, reservation_s, explain)


def _plan(inputs: PlanningInputs, start: date, end: date, today: date, reservation_s: int,
          explain: bool) -> PlanResult:
    return plan(inputs.station_inputs, inputs.requirement_inputs, inputs.episode_inputs, inputs.fixed,
                start, end, today=today, reservation_s=reservation_s,
                series_titles={key: s.title for key, s in inputs.series.items()}, explain=explain)


def build_schedule(session: Session, actor: User | None, start: date, end: date, *, now: datetime,
                   tz: ZoneInfo, stations: set[str] | None = None, reservation_s: int = 180,
                   min_devices: int = 1, confirmed: Collection[str] | bool = ()) -> BuildReport:
    """Plan [start, end] and store it: unchanged entries keep their UUIDs, and so do filled
    reservations and entries whose slot now airs another episode; the rest are cancelled (never
    deleted) or created; changed stations' versions move.

    An entry starting within SWAP_HOLD of `now` keeps its episode unless its UUID is in
    `confirmed` (True: every one): the build plans again around it, kept as it is, and reports
    the swap as held."""
    with collector_paused():
        inputs, result = run_planner(session, stations, start, end, now, tz, reservation_s, explain=False,
                                     min_devices=min_devices)
        matching, held = _match(inputs, result.entries, tz), []
        soon = [] if confirmed is True else _to_hold(matching, now, set(confirmed))
        while soon:  # each pass keeps more entries: it ends
            held += soon
            keep_as_fixed(inputs, [m.entry for m in soon], tz)
            result = _plan(inputs, start, end, now.astimezone(tz).date(), reservation_s, explain=False)
            matching = _match(inputs, result.entries, tz)
            soon = _to_hold(matching, now, set(confirmed))
        report = BuildReport(shortfalls=result.shortfalls, needs=result.needs)
        report.swaps = _swaps(inputs, matching, held)
        changed = _reconcile(session, inputs, matching, tz, now, report)
    for code in sorted(changed):
        station = inputs.stations[code]
        station.schedule_changed(now)
        after = {"from": start.isoformat(), "to": end.isoformat(), **changed[code]}
        confirmed_swaps = sorted(s.entry for s in report.swaps
                                 if s.station == code and not s.held and s.start_at < now + SWAP_HOLD)
        if confirmed_swaps:  # who let entries airing soon take another episode
            after["confirmed_swaps"] = confirmed_swaps
        audit.record(session, actor, "schedule.build", "station", code, at=now, area=station.area, after=after)
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


class _Fill(NamedTuple):
    """A stored entry that takes the planned content of its slot in place."""

    entry: ScheduleEntry
    planned: PlannedEntry
    ids: Ids


@dataclass
class _Matching:
    """How the planned entries meet the stored ones the build may replace."""

    ids: _IdMaps
    kept: int = 0
    fills: list[_Fill] = field(default_factory=list)
    created: list[tuple[PlannedEntry, int, Ids]] = field(default_factory=list)
    left: list[ScheduleEntry] = field(default_factory=list)  # to cancel


def _match(inputs: PlanningInputs, planned, tz: ZoneInfo) -> _Matching:
    """Identical entries are kept; an unmatched one whose content may change in place takes the
    planned content of its slot: a reservation an episode arrived for, or an episode entry whose
    slot now airs another episode (one added earlier in the series moves the later ones along),
    unless a log already says it was played. Reads only: `_reconcile` writes."""
    old = defaultdict(list)
    for entry in inputs.rebuildable:
        old[_row_key(entry, tz)].append(entry)
    matching = _Matching(_IdMaps(inputs))
    fresh = []
    for p in planned:
        station_id, ids = matching.ids.stations[p.station], matching.ids.of(p)
        matches = old.get(_planned_key(p, station_id, ids)) if old else None  # none on a first build
        if matches:
            matches.pop(0)
            matching.kept += 1
        else:
            fresh.append((p, station_id, ids))
    open_slots = defaultdict(list)
    for entries in old.values():
        for entry in entries:
            if entry.kind == "reservation" or (entry.kind == "episode" and not entry.reported_played):
                key = _row_key(entry, tz)
                open_slots[(key[0], key[1], key[2], key[4], key[6])].append(entry)
    for p, station_id, ids in fresh:
        slot = None
        if p.kind in ("episode", "reservation") and open_slots:
            slot = open_slots.get((station_id, p.day, p.start, ids.series_id, ids.requirement_id))
        if slot:
            entry = slot.pop(0)
            old[_row_key(entry, tz)].remove(entry)
            matching.fills.append(_Fill(entry, p, ids))
        else:
            matching.created.append((p, station_id, ids))
    matching.left = [entry for entries in old.values() for entry in entries]
    return matching


def _to_hold(matching: _Matching, now: datetime, confirmed: set[str]) -> list[_Fill]:
    """Swaps of entries starting within SWAP_HOLD that no one confirmed."""
    return [m for m in matching.fills if m.entry.kind == "episode" and m.entry.start_at < now + SWAP_HOLD
            and str(m.entry.uuid) not in confirmed]


def _swaps(inputs: PlanningInputs, matching: _Matching, held: list[_Fill]) -> list[Swap]:
    """Every swap of the build, applied or held, in time order."""
    fills = [m for m in matching.fills if m.entry.kind == "episode"]
    if not fills and not held:
        return []
    episodes = {inputs.episode_ids[e.key]: e for e in inputs.episode_inputs}
    return sorted([_swap(episodes, m, held=False) for m in fills] + [_swap(episodes, m, held=True) for m in held],
                  key=lambda s: (s.start_at, s.station))


def _swap(episodes: dict[int, EpisodeInput], fill: _Fill, held: bool) -> Swap:
    """The swap `fill` makes, with why: the old episode may no longer air there (expired, removed,
    not meant for the requirement), the new one airs here for the first time, or the order of
    replays changed."""
    old = episodes.get(fill.entry.episode_id)
    if old is None or not old.for_requirements or not old.is_airable_on(fill.entry.local_date):
        why = "old_unavailable"
    elif fill.planned.episode is not None and fill.planned.first_airing:
        why = "new_first"
    else:
        why = "reordered"
    return Swap(station=fill.planned.station, entry=str(fill.entry.uuid), start_at=fill.entry.start_at,
                old=fill.entry.title or "", new=fill.planned.title if fill.planned.episode else None, why=why,
                held=held)


def _reconcile(session, inputs: PlanningInputs, matching: _Matching, tz, now: datetime, report: BuildReport) -> dict:
    changed = defaultdict(lambda: defaultdict(int))
    report.kept = matching.kept
    for entry, p, ids in matching.fills:
        how = "filled" if entry.kind == "reservation" else "swapped"
        _fill(entry, p, ids, tz)
        setattr(report, how, getattr(report, how) + 1)
        changed[p.station][how] += 1
    created = [_new_row(p, station_id, ids, tz, now) for p, station_id, ids in matching.created]
    for p, _station_id, _ids in matching.created:
        report.created += 1
        changed[p.station]["created"] += 1
    if created:
        # The driver's executemany: no objects, no unit of work, no per-row work of SQLAlchemy's.
        insert_plain(session, ScheduleEntry.__table__, created)
    code_of = {station_id: code for code, station_id in matching.ids.stations.items()}
    for entry in matching.left:
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
# Every edit leaves the entry manual or pinned, so the planner keeps it as fixed (loading.py).

def _editor(actor: User | None, station: Station) -> None:
    if actor is None:
        raise ScheduleError("hand edits need --as USERNAME (they are audited)", code="no_actor")
    require(actor, "schedule.edit", station.area)


def _editable(actor: User | None, entry: ScheduleEntry) -> Station:
    _editor(actor, entry.station)
    if entry.status != "planned":
        raise ScheduleError(f"entry {entry.uuid} is {entry.status}", code="not_planned", title=entry_title(entry))
    return entry.station


def _not_started(entry: ScheduleEntry, now: datetime) -> None:
    """What has begun is history: moving, cancelling or filling it would hide whether it aired."""
    if entry.start_at <= now:
        raise ScheduleError(f"entry {entry.uuid} has started already: the past is not edited", code="started",
                            title=entry_title(entry))


def check_airable(episode: Episode, day: date) -> None:
    """Refused unless `episode` has audio and may be aired on local `day`."""
    if episode.media is None:
        raise ScheduleError(f"episode {episode.code} has no audio yet", code="no_audio", title=episode.title)
    if episode.available_from is not None and day < episode.available_from:
        raise ScheduleError(f"episode {episode.code} may be aired from {episode.available_from:%d/%m/%Y}",
                            code="not_yet_available", title=episode.title, day=f"{episode.available_from:%d/%m/%Y}")
    if episode.expires is not None and day > episode.expires:
        raise ScheduleError(f"episode {episode.code} expired on {episode.expires:%d/%m/%Y}", code="expired",
                            title=episode.title, day=f"{episode.expires:%d/%m/%Y}")


def airtime(episode: Episode) -> timedelta:
    """An episode's airtime in whole seconds, as the planner lays it."""
    return timedelta(seconds=math.ceil(episode.media.duration_s))


def _snapshot(entry: ScheduleEntry) -> dict:
    return {"start_at": entry.start_at.isoformat(), "end_at": entry.end_at.isoformat(),
            "status": entry.status, "is_pinned": entry.is_pinned, "origin": entry.origin, "kind": entry.kind,
            "episode": lookups.episode_key(entry.episode) if entry.episode else None}


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
    _not_started(entry, now)
    before = _snapshot(entry)
    entry.status, entry.cancelled_at, entry.is_pinned = "cancelled", now, True
    _edited(session, actor, entry, station, "schedule.cancel", before, now)


def move_entry(session: Session, actor: User | None, entry: ScheduleEntry, to: datetime, tz: ZoneInfo, *,
               now: datetime) -> None:
    """Move to a new local start in free airtime (free_time.check_free); it becomes manual and pinned."""
    station = _editable(actor, entry)
    _not_started(entry, now)
    start = to.replace(tzinfo=tz)
    end = start + (entry.end_at - entry.start_at)
    window = check_free(session, station, start, end, tz, now, ignore=entry)
    before = _snapshot(entry)
    entry.start_at, entry.end_at, entry.local_date, entry.window_name = start, end, start.date(), window
    entry.origin, entry.is_pinned = "manual", True
    _edited(session, actor, entry, station, "schedule.move", before, now)


def add_entry(session: Session, actor: User | None, station: Station, episode: Episode, to: datetime,
              tz: ZoneInfo, *, now: datetime) -> ScheduleEntry:
    """Air `episode` (a program or a spot) at a new local start in free airtime, by hand."""
    _editor(actor, station)
    start = to.replace(tzinfo=tz)
    check_airable(episode, start.date())
    end = start + airtime(episode)
    window = check_free(session, station, start, end, tz, now)
    entry = ScheduleEntry(station=station, start_at=start, end_at=end, local_date=start.date(), window_name=window,
                          kind="episode", title=episode.title, episode=episode, series_id=episode.series_id,
                          origin="manual", is_pinned=True, status="planned", created_at=now)
    session.add(entry)
    session.flush()
    _edited(session, actor, entry, station, "schedule.add", None, now)
    return entry


def fill_reservation(session: Session, actor: User | None, entry: ScheduleEntry, episode: Episode,
                     tz: ZoneInfo, *, now: datetime) -> None:
    """A reservation takes an episode of its series, keeping its identity and start (as a build
    fills one); it becomes manual and pinned."""
    station = _editable(actor, entry)
    end = check_fill(session, entry, episode, tz, now=now)
    before = _snapshot(entry)
    entry.kind, entry.episode, entry.title, entry.end_at = "episode", episode, episode.title, end
    entry.origin, entry.is_pinned = "manual", True
    _edited(session, actor, entry, station, "schedule.fill", before, now)


def check_fill(session: Session, entry: ScheduleEntry, episode: Episode, tz: ZoneInfo, *, now: datetime) -> datetime:
    """Where the reservation would end with `episode`, or refused: the reservation has not started, the
    episode is of its series, airable that day, inside the requirement's duration and fits the free airtime."""
    if entry.kind != "reservation":
        raise ScheduleError(f"entry {entry.uuid} is not waiting for content", code="not_reservation",
                            title=entry_title(entry))
    _not_started(entry, now)
    if episode.series_id != entry.series_id:
        raise ScheduleError(f"episode {episode.code} is not of the series {entry.series.title!r}",
                            code="wrong_series", title=episode.title, series=entry.series.title)
    check_airable(episode, entry.local_date)
    requirement = entry.requirement
    if requirement is not None and not requirement_input(requirement, [entry.station]).allows_duration(
            episode.media.duration_s):
        raise ScheduleError(f"episode {episode.code} lasts {episode.media.duration_s:.0f} s, outside the "
                            f"duration requirement {requirement.code} asks", code="duration_outside",
                            title=episode.title)
    end = entry.start_at + airtime(episode)
    check_free(session, entry.station, entry.start_at, end, tz, now, ignore=entry)
    return end


def _edited(session, actor, entry, station, action, before, now: datetime) -> None:
    station.schedule_changed(now)
    audit.record(session, actor, action, "schedule_entry", str(entry.uuid), at=now, area=station.area,
                 before=before, after=_snapshot(entry))
    session.flush()
