"""What the hand-edit forms offer: the station's episodes and the times that fit.

Only what the operations would accept is offered, found by asking the operations' own checks
(radio.schedule.operations, radio.schedule.free_time); the operations check again when the form
comes back, so a choice gone stale in between is refused with its reason.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from schedules.slots import Span, starts_that_fit

from ..core_inputs import stations_covered
from ..errors import RadioError
from ..models import Episode, Requirement, ScheduleEntry, Series, Station
from ..schedule.free_time import free_time
from ..schedule.operations import airtime, check_airable, check_fill


def station_episodes(session: Session, station: Station) -> list[Episode]:
    """Every episode of the series the station airs (those of the requirements covering it), by
    series and title: what the forms choose from."""
    requirements = session.scalars(select(Requirement).options(
        selectinload(Requirement.stations), selectinload(Requirement.areas))).all()
    series_ids = {r.series_id for r in requirements if stations_covered(r, [station])}
    return session.scalars(
        select(Episode).join(Series).where(Episode.series_id.in_(series_ids))
        .options(selectinload(Episode.media), selectinload(Episode.series))
        .order_by(Series.title, Series.id, Episode.title, Episode.id)).all()


def _accepted(check: Callable[[], object]) -> bool:
    try:
        check()
    except RadioError:
        return False
    return True


def episodes_to_add(episodes: list[Episode], day: date, free: list[Span]) -> list[Episode]:
    """Those airable on `day` that fit one of its free stretches."""
    longest = max((span.end - span.start for span in free), default=timedelta(0))
    return [e for e in episodes if _accepted(lambda: check_airable(e, day)) and airtime(e) <= longest]


def episodes_to_fill(session: Session, entry: ScheduleEntry, episodes: list[Episode], tz: ZoneInfo,
                     now: datetime) -> list[Episode]:
    """Those of the reservation's series it could take now."""
    return [e for e in episodes if e.series_id == entry.series_id
            and _accepted(lambda: check_fill(session, entry, e, tz, now=now))]


def episodes_aired(episodes: list[Episode]) -> list[Episode]:
    """Those that could have been aired off the schedule: the ones with audio."""
    return [e for e in episodes if e.media is not None]


def move_starts(session: Session, entry: ScheduleEntry, day: date, tz: ZoneInfo, now: datetime) -> list[Span]:
    """Where `entry` could move to on `day` (its own time stays free to it)."""
    free = free_time(session, entry.station, day, tz, now, ignore=entry)
    return starts_that_fit(free, entry.end_at - entry.start_at)


def add_starts(free: list[Span], episode: Episode) -> list[Span]:
    """Where `episode` could be added among the day's free stretches."""
    return starts_that_fit(free, airtime(episode))
