"""What a build reads: the planner's inputs for a range (stations, requirements, episodes, the
entries it must keep as fixed) and the play history they carry, from the compliance counts."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from schedules.compliance import AiringCount
from schedules.periods import UNCOUNTED_KINDS, RequirementInput, StationInput, period_bounds
from schedules.planner import EpisodeInput, FixedEntry

from ..compliance.counting import CountScope, Unscheduled, aired, airing_counts
from ..core_inputs import requirement_input, requirement_key, series_key, station_input, stations_covered
from ..models import Area, Episode, MediaFile, Plan, Requirement, ScheduleEntry, Series, Station


@dataclass
class PlanningInputs:
    """Everything one build needs, with maps back from the planner's keys to rows."""

    stations: dict[str, Station]
    station_inputs: list[StationInput]
    requirements: dict[str, Requirement]
    requirement_inputs: list[RequirementInput]
    series: dict[str, Series] = field(default_factory=dict)
    episode_ids: dict[str, int] = field(default_factory=dict)
    episode_inputs: list[EpisodeInput] = field(default_factory=list)
    fixed: list[FixedEntry] = field(default_factory=list)
    # The stored entries the build may replace (is_rebuildable), read together with the fixed ones.
    rebuildable: list[ScheduleEntry] = field(default_factory=list)


def load_inputs(session: Session, station_codes: set[str] | None, start: date, end: date,
                today: date, tz: ZoneInfo, min_devices: int = 1) -> PlanningInputs:
    """The stations to build (all when `station_codes` is None), the requirements that cover them
    and overlap [start, end], their series' episodes, the entries the planner must keep, and
    what already aired as compliance counts it (at `min_devices`, its threshold)."""
    station_query = select(Station).options(
        selectinload(Station.windows), selectinload(Station.closed_dates), selectinload(Station.blocks),
        selectinload(Station.area).selectinload(Area.parent)).order_by(Station.code)
    requirement_query = select(Requirement).where(Requirement.date_from <= end, Requirement.date_to >= start)
    if station_codes is not None:
        # Coverage is only wanted for these stations, and only requirements naming one of them
        # or selecting by area can cover them.
        station_query = station_query.where(Station.code.in_(station_codes))
        requirement_query = requirement_query.where(or_(
            Requirement.stations.any(Station.code.in_(station_codes)), Requirement.areas.any()))
    wanted = {s.code: s for s in session.scalars(station_query).all()}
    candidates = list(wanted.values())
    requirements, requirement_inputs = {}, []
    rows = session.scalars(requirement_query.options(
        selectinload(Requirement.stations), selectinload(Requirement.areas), selectinload(Requirement.plan),
        selectinload(Requirement.series).selectinload(Series.plan)).order_by(Requirement.id)).all()
    for row in rows:
        covered = [s for s in stations_covered(row, candidates) if s.code in wanted]
        if covered:
            requirements[requirement_key(row)] = row
            requirement_inputs.append(requirement_input(row, covered))
    inputs = PlanningInputs(wanted, [station_input(s) for s in wanted.values()], requirements, requirement_inputs)
    fixed_from, fixed_to = _fixed_range(inputs, start, end)
    history = _history_scope(inputs, start, today, min_devices)
    counts, unscheduled = airing_counts(session, history, tz) if history.start <= history.end else ([], [])
    # Airings off the schedule earlier today are fixed airings too: a rebuild later in the day
    # must not plan their episode as new again (today's entries the build reads as its own).
    unscheduled += airing_counts(session, replace(history, start=today, end=today), tz)[1]
    # Airings before the fixed entries are history: what aired (as compliance counts it), and
    # what is planned between today and a build starting later (a build of next month knows
    # what this month's entries air).
    _load_episodes(session, inputs, counts, today, max(today, fixed_from))
    _load_fixed(session, inputs, start, end, today, tz, fixed_from, fixed_to, history)
    _load_unscheduled(inputs, unscheduled, tz)
    return inputs


def _history_scope(inputs: PlanningInputs, start: date, today: date, min_devices: int) -> CountScope:
    """What already aired, counted as compliance counts it (radio.compliance.counting): from the
    first period of each requirement (new episodes are new from there, as in its reports) up
    to yesterday."""
    first = min([period_bounds(r.period, r.date_from, r)[0] for r in inputs.requirement_inputs] + [start])
    return CountScope(stations={s.id: station for s, station in zip(inputs.stations.values(), inputs.station_inputs)},
                      series={r.series_id: series_key(r.series) for r in inputs.requirements.values()},
                      start=first, end=today - timedelta(days=1), min_devices=min_devices)


def _load_episodes(session: Session, inputs: PlanningInputs, counts: list[AiringCount], today: date,
                   planned_before: date) -> None:
    """The requirements' series and their episodes, each with the day it first aired at each
    station: `counts` (compliance's counts up to yesterday, airings off the schedule included),
    then what is planned from today up to `planned_before`. Episodes are read as plain columns,
    not ORM objects: a province has thousands and the planner needs only these few values."""
    series_by_id = {r.series_id: r.series for r in inputs.requirements.values()}
    keys = {series_id: series_key(series) for series_id, series in series_by_id.items()}
    inputs.series.update((keys[series_id], series) for series_id, series in series_by_id.items())
    episodes = session.execute(
        select(Episode.id, Episode.series_id, Episode.code, Episode.title, Episode.available_from, Episode.expires,
               Episode.for_requirements, MediaFile.duration_s)
        .outerjoin(Episode.media).where(Episode.series_id.in_(list(series_by_id))).order_by(Episode.id)).all()
    first_aired = defaultdict(dict)
    for count in counts:  # bulletins are not in it: a bulletin is no airing of its episode
        if count.aired and count.episode is not None:
            days = first_aired[int(count.episode)]  # compliance counts episodes by their id
            days[count.station] = min(days.get(count.station, count.day), count.day)
    code_by_id = {s.id: code for code, s in inputs.stations.items()}
    planned = session.execute(
        select(ScheduleEntry.episode_id, ScheduleEntry.station_id, func.min(ScheduleEntry.local_date))
        .join(Episode, Episode.id == ScheduleEntry.episode_id)
        .where(Episode.series_id.in_(list(series_by_id)), ScheduleEntry.station_id.in_(list(code_by_id)),
               ScheduleEntry.status == "planned", ScheduleEntry.local_date >= today,
               ScheduleEntry.local_date < planned_before,
               ScheduleEntry.kind.not_in(UNCOUNTED_KINDS))  # a bulletin is no airing of its episode
        .group_by(ScheduleEntry.episode_id, ScheduleEntry.station_id)) if today < planned_before else ()
    for planned_id, station_id, first in planned:
        days = first_aired[planned_id]
        days.setdefault(code_by_id[station_id], first)
    inputs.episode_ids = {f"{keys[row.series_id]}/{row.code}": row.id for row in episodes}
    key_of = {episode_id: key for key, episode_id in inputs.episode_ids.items()}
    inputs.episode_inputs = [EpisodeInput(
        key=key_of[row.id], series=keys[row.series_id], title=row.title, duration_s=row.duration_s,
        available_from=row.available_from, expires=row.expires, first_aired=first_aired.get(row.id, {}),
        for_requirements=row.for_requirements)
        for row in episodes]


def _fixed_range(inputs: PlanningInputs, start: date, end: date) -> tuple[date, date]:
    """The days whose entries the build reads as fixed: whole periods and spacing reach beyond it."""
    reach = max((r.min_gap_days for r in inputs.requirement_inputs), default=1)
    earliest = min([period_bounds(r.period, start, r)[0] for r in inputs.requirement_inputs] + [start])
    latest = max([period_bounds(r.period, end, r)[1] for r in inputs.requirement_inputs] + [end])
    return earliest - timedelta(days=reach), latest + timedelta(days=reach)


def _load_fixed(session: Session, inputs: PlanningInputs, start: date, end: date, today: date, tz: ZoneInfo,
                first: date, last: date, history: CountScope) -> None:
    """Entries the planner works around and counts: those outside the build range (whole periods
    and spacing reach beyond it), past ones that aired (by compliance's rule: one that did not
    is no airing, and its time is gone), pinned ones and everything not made by the planner."""
    rows = session.scalars(select(ScheduleEntry).where(
        ScheduleEntry.station_id.in_([s.id for s in inputs.stations.values()]),
        ScheduleEntry.status == "planned",
        ScheduleEntry.local_date >= first,
        ScheduleEntry.local_date <= last,
    ).order_by(ScheduleEntry.start_at, ScheduleEntry.id))
    aired_before = set(session.scalars(select(ScheduleEntry.id).where(
        ScheduleEntry.station_id.in_(list(history.stations)), ScheduleEntry.status == "planned",
        ScheduleEntry.local_date >= first, ScheduleEntry.local_date < today, aired(history))))
    # Keys by id from what is loaded already; a series or requirement outside the build (rare)
    # is loaded through the relationship.
    codes = {s.id: code for code, s in inputs.stations.items()}
    series_keys = {s.id: key for key, s in inputs.series.items()}
    requirement_keys = {r.id: key for key, r in inputs.requirements.items()}
    rows = rows.all()
    episode_keys = _episode_keys(session, inputs, {e.episode_id for e in rows if e.episode_id})
    for entry in rows:
        if is_rebuildable(entry, start, end, today):
            inputs.rebuildable.append(entry)
            continue
        if entry.local_date < today and entry.id not in aired_before:
            continue
        series = None if entry.series_id is None else (
            series_keys.get(entry.series_id) or series_key(entry.series))
        requirement = None if entry.requirement_id is None else (
            requirement_keys.get(entry.requirement_id) or requirement_key(entry.requirement))
        inputs.fixed.append(_fixed(entry, tz, codes[entry.station_id], series, episode_keys.get(entry.episode_id),
                                   requirement))


def _fixed(entry: ScheduleEntry, tz: ZoneInfo, station: str, series: str | None, episode: str | None,
           requirement: str | None) -> FixedEntry:
    local_start, local_end = local_times(entry, tz)
    return FixedEntry(station=station, day=entry.local_date, start=local_start, end=local_end, kind=entry.kind,
                      series=series, episode=episode, requirement=requirement, key=str(entry.uuid))


def keep_as_fixed(inputs: PlanningInputs, entries: list[ScheduleEntry], tz: ZoneInfo) -> None:
    """Rebuildable entries the build must keep as they are (a swap held for confirmation): fixed
    from now on. They are the planner's, so their station, series, requirement and episode are
    the build's own."""
    codes = {s.id: code for code, s in inputs.stations.items()}
    series_keys = {s.id: key for key, s in inputs.series.items()}
    requirement_keys = {r.id: key for key, r in inputs.requirements.items()}
    episode_keys = {episode_id: key for key, episode_id in inputs.episode_ids.items()}
    for entry in entries:
        inputs.rebuildable.remove(entry)
        inputs.fixed.append(_fixed(entry, tz, codes[entry.station_id], series_keys.get(entry.series_id),
                                   episode_keys.get(entry.episode_id), requirement_keys.get(entry.requirement_id)))


def _load_unscheduled(inputs: PlanningInputs, airings: list[Unscheduled], tz: ZoneInfo) -> None:
    """Airings recorded off the schedule (`radio playlog add`, a device's own playing) count as
    fixed airings of their episode, as compliance counts them."""
    key_of = {episode_id: key for key, episode_id in inputs.episode_ids.items()}
    series_keys = {e.key: e.series for e in inputs.episode_inputs}
    durations = {e.key: e.duration_s for e in inputs.episode_inputs}
    for n, airing in enumerate(airings):
        key = key_of[airing.episode_id]
        local = airing.started_at.astimezone(tz)
        ends = local + timedelta(seconds=math.ceil(durations.get(key) or 1))  # no audio: a moment
        end = ends.time() if ends.date() == local.date() else time.max
        inputs.fixed.append(FixedEntry(
            station=airing.station, day=local.date(), start=local.time().replace(microsecond=0), end=end,
            kind="episode", series=series_keys[key], episode=key, requirement=None, key=f"unscheduled-{n}"))


def _episode_keys(session: Session, inputs: PlanningInputs, ids: set[int]) -> dict[int, str]:
    """The planner's keys of these episodes: those of the build's series are known already, the
    others (a bulletin's, a hand-placed one of another series) are read here."""
    known = {episode_id: key for key, episode_id in inputs.episode_ids.items()}
    missing = ids - known.keys()
    if missing:
        known.update((row.id, f"{row.plan}/{row.series}/{row.code}") for row in session.execute(
            select(Episode.id, Episode.code, Series.code.label("series"), Plan.code.label("plan"))
            .join(Episode.series).join(Series.plan).where(Episode.id.in_(missing))))
    return known


def is_rebuildable(entry: ScheduleEntry, start: date, end: date, today: date) -> bool:
    """A planner entry of the build range, not in the past and not pinned: the build may replace it."""
    return (entry.origin == "planner" and not entry.is_pinned and entry.status == "planned"
            and max(start, today) <= entry.local_date <= end)


def local_times(entry: ScheduleEntry, tz: ZoneInfo) -> tuple[time, time]:
    return entry.start_at.astimezone(tz).time(), entry.end_at.astimezone(tz).time()


def instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A local day and time at the station as an aware instant."""
    return datetime.combine(day, at, tzinfo=tz)
