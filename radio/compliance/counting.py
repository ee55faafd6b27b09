"""Airing counts for the compliance engine, made by the database (GROUP BY), never by loading
every play log: one row per station, series, episode, day and window of the schedule, and one
per unscheduled airing.

"Aired" (docs/architecture.md): an entry counts as aired when an operator confirmed it, or when
at least `min_devices` of the station's devices reported it `played`; `failed` and `skipped`
never count. A village's own view counts only its own devices (and entries aimed at it or at
everyone). Unscheduled airings (logs naming an episode, not an entry) count once per station,
episode, day and window, under the same rule.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from schedules.compliance import AiringCount
from schedules.periods import StationInput

from ..models import Device, Episode, MediaFile, PlayLog, ScheduleEntry


@dataclass(frozen=True)
class CountScope:
    """What to count: stations and series by id (with the keys the engine knows them by), the
    days, the aired rule's threshold, and for a village's view its devices and area chain."""

    stations: dict[int, StationInput]
    series: dict[int, str]
    start: date
    end: date
    min_devices: int = 1
    village_devices: frozenset[int] | None = None
    village_chain: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Unscheduled:
    """An unscheduled airing that counted, for the report's own list."""

    station: str
    episode_id: int
    started_at: datetime
    window: str | None


def airing_counts(session: Session, scope: CountScope, tz: ZoneInfo) -> tuple[list[AiringCount], list[Unscheduled]]:
    durations = dict(session.execute(select(Episode.id, MediaFile.duration_s).join(
        MediaFile, MediaFile.sha256 == Episode.media_sha256).where(Episode.series_id.in_(scope.series))).all())
    counts = _scheduled(session, scope, durations)
    unscheduled = _unscheduled(session, scope, tz)
    for airing, count in unscheduled.items():
        station, series = scope.stations[airing[0]], scope.series[airing[1]]
        counts.append(AiringCount(station.code, series, airing[3], airing[4], str(airing[2]),
                                  durations.get(airing[2]), 0, 1, unscheduled=True))
    listed = [Unscheduled(scope.stations[a[0]].code, a[2], first, a[4]) for a, first in sorted(
        unscheduled.items(), key=lambda item: item[1])]
    return counts, listed


def _entry_filter(scope: CountScope) -> list:
    conditions = [ScheduleEntry.status == "planned", ScheduleEntry.station_id.in_(scope.stations),
                  ScheduleEntry.series_id.in_(scope.series),
                  ScheduleEntry.local_date >= scope.start, ScheduleEntry.local_date <= scope.end]
    if scope.village_devices is not None:
        conditions.append(or_(ScheduleEntry.target_area_id.is_(None),
                              ScheduleEntry.target_area_id.in_(scope.village_chain)))
    return conditions


def _aired(scope: CountScope):
    """Whether the outer query's entry counts as aired: a correlated EXISTS on the entry's
    `played` logs (with a higher threshold, a logged confirmation or enough distinct devices).
    Probed per entry through the play logs' entry index, so its cost follows the entries asked
    about, not the play logs: cheaper than grouping every log of the range by entry and joining
    that back, which PostgreSQL ran neither in parallel nor in memory."""
    played = [PlayLog.entry_id == ScheduleEntry.id, PlayLog.status == "played"]
    if scope.village_devices is not None:
        played.append(PlayLog.device_id.in_(scope.village_devices))
    threshold = 1 if scope.village_devices is not None else scope.min_devices
    if threshold == 1:
        return exists().where(*played)
    devices = select(func.count(distinct(PlayLog.device_id))).where(*played).scalar_subquery()
    return or_(exists().where(*played, PlayLog.device_id.is_(None)), devices >= threshold)


def _scheduled(session: Session, scope: CountScope, durations: dict) -> list[AiringCount]:
    entry = ScheduleEntry
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # The per-entry GROUP BY (hundreds of thousands of groups for a province-year) spills to
        # disk under the default 4 MB; for this report's transaction only.
        connection.exec_driver_sql("SET LOCAL work_mem = '64MB'")
    # Through the Core connection and fetched at once: the ORM's row handling, or fetching one
    # row at a time, costs more than the hundreds of thousands of plain rows need.
    rows = connection.execute(
        select(entry.station_id, entry.series_id, entry.episode_id, entry.local_date, entry.window_name,
               func.count(), func.count(case((_aired(scope), 1))))
        .where(*_entry_filter(scope))
        .group_by(entry.station_id, entry.series_id, entry.episode_id, entry.local_date, entry.window_name)).all()
    stations = {key: station.code for key, station in scope.stations.items()}
    return [AiringCount(stations[station_id], scope.series[series_id], day, window,
                        None if episode_id is None else str(episode_id),
                        durations.get(episode_id) if episode_id is not None else None, planned, aired_count)
            for station_id, series_id, episode_id, day, window, planned, aired_count in rows]


def _unscheduled(session: Session, scope: CountScope, tz: ZoneInfo) -> dict[tuple, datetime]:
    """Unscheduled airings that count: grouped by station, episode, start and reporter in SQL, then
    one per (station, series, episode, day, window) when confirmed or played by enough devices."""
    station = func.coalesce(PlayLog.station_id, Device.station_id)
    first = datetime.combine(scope.start, time(), tz)
    last = datetime.combine(scope.end + timedelta(days=1), time(), tz)
    query = (select(station, Episode.series_id, PlayLog.episode_id, PlayLog.started_at, PlayLog.device_id)
             .join(Episode, Episode.id == PlayLog.episode_id).outerjoin(Device, Device.id == PlayLog.device_id)
             .where(PlayLog.entry_id.is_(None), PlayLog.bulletin_id.is_(None), PlayLog.status == "played",
                    PlayLog.started_at >= first, PlayLog.started_at < last,
                    station.in_(scope.stations), Episode.series_id.in_(scope.series))
             .group_by(station, Episode.series_id, PlayLog.episode_id, PlayLog.started_at, PlayLog.device_id))
    if scope.village_devices is not None:
        query = query.where(PlayLog.device_id.in_(scope.village_devices))
    reporters: dict[tuple, set] = defaultdict(set)
    starts: dict[tuple, datetime] = {}
    for station_id, series_id, episode_id, started_at, device_id in session.execute(query):
        local = started_at.astimezone(tz)
        window = _window_at(scope.stations[station_id], local)
        key = (station_id, series_id, episode_id, local.date(), window)
        reporters[key].add(device_id)
        starts[key] = min(starts.get(key, started_at), started_at)
    threshold = 1 if scope.village_devices is not None else scope.min_devices
    return {key: starts[key] for key, who in reporters.items()
            if None in who or len(who) >= threshold}


def _window_at(station: StationInput, local: datetime) -> str | None:
    for window in station.open_on(local.date()):
        if window.start <= local.time() < window.end:
            return window.name
    return None
