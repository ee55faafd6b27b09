"""Airing counts for the compliance engine, read from the schedule, never by loading every play
log: one count per planned entry (aired or not, from the entry's own `reported_played` flag at
the default threshold), and one per unscheduled airing (grouped in SQL). Bulletins never count: neither their entries nor logs naming them.

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

from sqlalchemy import and_, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from schedules.compliance import AiringCount
from schedules.periods import UNCOUNTED_KINDS, StationInput

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
    # The engine's key and the duration of every episode of the series (None: a reservation).
    episodes = {episode_id: (str(episode_id), duration) for episode_id, duration in session.execute(
        select(Episode.id, MediaFile.duration_s).outerjoin(MediaFile, MediaFile.sha256 == Episode.media_sha256)
        .where(Episode.series_id.in_(scope.series)))}
    episodes[None] = (None, None)
    counts = _scheduled(session, scope, episodes)
    unscheduled = _unscheduled(session, scope, tz)
    for airing, count in unscheduled.items():
        station, series = scope.stations[airing[0]], scope.series[airing[1]]
        counts.append(AiringCount(station.code, series, airing[3], airing[4], *episodes[airing[2]], 0, 1,
                                  unscheduled=True))
    listed = [Unscheduled(scope.stations[a[0]].code, a[2], first, a[4]) for a, first in sorted(
        unscheduled.items(), key=lambda item: item[1])]
    return counts, listed


def _entry_filter(scope: CountScope) -> list:
    """Planned entries of the series at the stations and days; a bulletin's entry never counts
    (`UNCOUNTED_KINDS`), even when its episode belongs to a required series, nor, through it,
    its play logs."""
    conditions = [ScheduleEntry.status == "planned", ScheduleEntry.station_id.in_(scope.stations),
                  ScheduleEntry.series_id.in_(scope.series), ScheduleEntry.kind.not_in(UNCOUNTED_KINDS),
                  ScheduleEntry.local_date >= scope.start, ScheduleEntry.local_date <= scope.end]
    if scope.village_devices is not None:
        conditions.append(or_(ScheduleEntry.target_area_id.is_(None),
                              ScheduleEntry.target_area_id.in_(scope.village_chain)))
    return conditions


def aired(scope: CountScope):
    """Whether the outer query's entry counts as aired (the planner's history asks it too, so that
    a build and a report agree on what aired). At the default threshold, the entry's
    own `reported_played` flag (kept by a trigger on play_logs, migration 0006): reading it is a
    fraction of probing ten logs for each of a province-year's entries. A village's view (its
    devices only) and a higher threshold (a logged confirmation or enough distinct devices) probe
    the entry's `played` logs through their entry index, for entries flagged only."""
    if scope.village_devices is None and scope.min_devices == 1:
        return ScheduleEntry.reported_played
    played = [PlayLog.entry_id == ScheduleEntry.id, PlayLog.status == "played"]
    if scope.village_devices is not None:
        played.append(PlayLog.device_id.in_(scope.village_devices))
    threshold = 1 if scope.village_devices is not None else scope.min_devices
    if threshold == 1:
        return and_(ScheduleEntry.reported_played, exists().where(*played))
    devices = select(func.count(distinct(PlayLog.device_id))).where(*played).scalar_subquery()
    return and_(ScheduleEntry.reported_played,
                or_(exists().where(*played, PlayLog.device_id.is_(None)), devices >= threshold))


def _scheduled(session: Session, scope: CountScope, episodes: dict) -> list[AiringCount]:
    """One count per entry (the engine adds up entries of the same slot): grouping them in SQL
    first cost more than it saved, as nearly every entry is alone in its slot."""
    entry = ScheduleEntry
    # Through the Core connection and fetched at once: the ORM's row handling, or fetching one
    # row at a time, costs more than the hundreds of thousands of plain rows need. psycopg hands
    # back Python values for these columns already (ints, dates, text, booleans), so its rows are
    # taken off the driver's cursor: wrapping a province-year's in SQLAlchemy Rows was a tenth of
    # the report. SQLite's dates need SQLAlchemy's conversion.
    result = session.connection().execute(
        select(entry.station_id, entry.series_id, entry.episode_id, entry.local_date, entry.window_name,
               aired(scope)).where(*_entry_filter(scope)))
    try:
        rows = result.cursor.fetchall() if result.dialect.name == "postgresql" else result.all()
    finally:
        result.close()
    stations = {key: station.code for key, station in scope.stations.items()}
    series, count = scope.series, AiringCount._make  # _make: a fifth quicker than keywords' __new__
    return [count((stations[station_id], series[series_id], day, window,
                   *(episodes.get(episode_id) or (str(episode_id), None)), 1, 1 if aired else 0, False))
            for station_id, series_id, episode_id, day, window, aired in rows]


def _unscheduled(session: Session, scope: CountScope, tz: ZoneInfo) -> dict[tuple, datetime]:
    """Unscheduled airings that count: grouped by station, episode, start and reporter in SQL, then
    one per (station, series, episode, day, window) when confirmed or played by enough devices.
    A log naming a bulletin (an emergency one, played at once) is no unscheduled airing."""
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
