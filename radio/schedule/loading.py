"""Rows → the planner's plain inputs (schedules.periods / schedules.planner).

Series and requirements are keyed "plan/code" (codes are unique per plan only, and the key
reads well in the planner's messages); episodes by their id.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from schedules.periods import UNCOUNTED_KINDS, Block, RequirementInput, StationInput, Window, period_bounds
from schedules.planner import EpisodeInput, FixedEntry

from ..models import Area, Episode, MediaFile, Requirement, ScheduleEntry, Series, Station


def episode_key(episode_id: int) -> str:
    return str(episode_id)


def episode_id(key: str) -> int:
    """The id of the episode the planner knows as ``key`` (the inverse of ``episode_key``)."""
    return int(key)


def series_key(series: Series) -> str:
    return f"{series.plan.code}/{series.code}"


def requirement_key(requirement: Requirement) -> str:
    return f"{requirement.plan.code}/{requirement.code}"


def station_input(station: Station) -> StationInput:
    return StationInput(
        code=station.code,
        windows=tuple(Window(w.name, tuple(w.days), w.start_time, w.end_time, w.valid_from, w.valid_to)
                      for w in station.windows),
        closed=frozenset(c.day for c in station.closed_dates),
        blocks=tuple(Block(b.window.name, b.at, b.kind, b.title, b.source, b.duration_s) for b in station.blocks),
    )


def stations_covered(requirement: Requirement, all_stations: list[Station]) -> list[Station]:
    """The stations a requirement names, plus those in its areas (at its levels, if given)."""
    chosen = {s.id: s for s in requirement.stations}
    for area in requirement.areas:
        for station in all_stations:
            level_ok = not requirement.levels or station.area.level in requirement.levels
            if level_ok and station.area.is_within(area):
                chosen[station.id] = station
    return sorted(chosen.values(), key=lambda s: s.code)


def requirement_input(requirement: Requirement, stations: list[Station]) -> RequirementInput:
    return RequirementInput(
        code=requirement_key(requirement), series=series_key(requirement.series),
        stations=tuple(s.code for s in stations), period=requirement.period,
        min=requirement.min_airings, max=requirement.max_airings, new_episodes=requirement.new_episodes,
        days=tuple(requirement.days), windows=tuple(requirement.windows),
        duration_min=requirement.duration_min, duration_max=requirement.duration_max,
        min_gap_days=requirement.min_gap_days, date_from=requirement.date_from, date_to=requirement.date_to,
        priority=requirement.priority,
    )


@dataclass
class PlanningInputs:
    """Everything one build needs, with maps back from the planner's keys to rows."""

    stations: dict[str, Station]
    station_inputs: list[StationInput]
    requirements: dict[str, Requirement]
    requirement_inputs: list[RequirementInput]
    series: dict[str, Series] = field(default_factory=dict)
    episode_inputs: list[EpisodeInput] = field(default_factory=list)
    fixed: list[FixedEntry] = field(default_factory=list)
    # The stored entries the build may replace (is_rebuildable), read together with the fixed ones.
    rebuildable: list[ScheduleEntry] = field(default_factory=list)


def load_inputs(session: Session, station_codes: set[str] | None, start: date, end: date,
                today: date, tz: ZoneInfo) -> PlanningInputs:
    """The stations to build (all when `station_codes` is None), the requirements that cover them
    and overlap [start, end], their series' episodes, and the entries the planner must keep."""
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
    # Airings before the fixed entries are history: the past, and what is planned between today
    # and a build starting later (a build of next month knows what this month's entries air).
    _load_episodes(session, inputs, max(today, fixed_from))
    _load_fixed(session, inputs, start, end, today, tz, fixed_from, fixed_to)
    return inputs


def _load_episodes(session: Session, inputs: PlanningInputs, history_before: date) -> None:
    """The requirements' series and their episodes. Episodes are read as plain columns, not ORM
    objects: a province has thousands and the planner needs only these few values."""
    series_by_id = {r.series_id: r.series for r in inputs.requirements.values()}
    keys = {series_id: series_key(series) for series_id, series in series_by_id.items()}
    inputs.series.update((keys[series_id], series) for series_id, series in series_by_id.items())
    episodes = session.execute(
        select(Episode.id, Episode.series_id, Episode.title, Episode.available_from, Episode.expires,
               MediaFile.duration_s)
        .outerjoin(Episode.media).where(Episode.series_id.in_(list(series_by_id))).order_by(Episode.id)).all()
    code_by_id = {s.id: code for code, s in inputs.stations.items()}
    first_aired = defaultdict(dict)
    history = session.execute(
        select(ScheduleEntry.episode_id, ScheduleEntry.station_id, func.min(ScheduleEntry.local_date))
        .join(Episode, Episode.id == ScheduleEntry.episode_id)
        .where(Episode.series_id.in_(list(series_by_id)), ScheduleEntry.station_id.in_(list(code_by_id)),
               ScheduleEntry.status == "planned", ScheduleEntry.local_date < history_before,
               ScheduleEntry.kind.not_in(UNCOUNTED_KINDS))  # a bulletin is no airing of its episode
        .group_by(ScheduleEntry.episode_id, ScheduleEntry.station_id))
    for aired_id, station_id, first in history:
        first_aired[aired_id][code_by_id[station_id]] = first
    inputs.episode_inputs = [EpisodeInput(
        key=episode_key(row.id), series=keys[row.series_id], title=row.title, duration_s=row.duration_s,
        available_from=row.available_from, expires=row.expires, first_aired=first_aired.get(row.id, {}))
        for row in episodes]


def _fixed_range(inputs: PlanningInputs, start: date, end: date) -> tuple[date, date]:
    """The days whose entries the build reads as fixed: whole periods and spacing reach beyond it."""
    reach = max((r.min_gap_days for r in inputs.requirement_inputs), default=1)
    earliest = min([period_bounds(r.period, start, r)[0] for r in inputs.requirement_inputs] + [start])
    latest = max([period_bounds(r.period, end, r)[1] for r in inputs.requirement_inputs] + [end])
    return earliest - timedelta(days=reach), latest + timedelta(days=reach)


def _load_fixed(session: Session, inputs: PlanningInputs, start: date, end: date, today: date, tz: ZoneInfo,
                first: date, last: date) -> None:
    """Entries the planner works around and counts: those outside the build range (whole periods
    and spacing reach beyond it), past ones, pinned ones and everything not made by the planner."""
    rows = session.scalars(select(ScheduleEntry).where(
        ScheduleEntry.station_id.in_([s.id for s in inputs.stations.values()]),
        ScheduleEntry.status == "planned",
        ScheduleEntry.local_date >= first,
        ScheduleEntry.local_date <= last,
    ).order_by(ScheduleEntry.start_at, ScheduleEntry.id))
    # Keys by id from what is loaded already; a series or requirement outside the build (rare)
    # is loaded through the relationship.
    codes = {s.id: code for code, s in inputs.stations.items()}
    series_keys = {s.id: key for key, s in inputs.series.items()}
    requirement_keys = {r.id: key for key, r in inputs.requirements.items()}
    for entry in rows:
        if is_rebuildable(entry, start, end, today):
            inputs.rebuildable.append(entry)
            continue
        local_start, local_end = local_times(entry, tz)
        series = None if entry.series_id is None else (
            series_keys.get(entry.series_id) or series_key(entry.series))
        requirement = None if entry.requirement_id is None else (
            requirement_keys.get(entry.requirement_id) or requirement_key(entry.requirement))
        inputs.fixed.append(FixedEntry(
            station=codes[entry.station_id], day=entry.local_date, start=local_start, end=local_end,
            kind=entry.kind, series=series, episode=episode_key(entry.episode_id) if entry.episode_id else None,
            requirement=requirement, key=str(entry.uuid)))


def is_rebuildable(entry: ScheduleEntry, start: date, end: date, today: date) -> bool:
    """A planner entry of the build range, not in the past and not pinned: the build may replace it."""
    return (entry.origin == "planner" and not entry.is_pinned and entry.status == "planned"
            and max(start, today) <= entry.local_date <= end)


def local_times(entry: ScheduleEntry, tz: ZoneInfo) -> tuple[time, time]:
    return entry.start_at.astimezone(tz).time(), entry.end_at.astimezone(tz).time()


def instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A local day and time at the station as an aware instant."""
    return datetime.combine(day, at, tzinfo=tz)
