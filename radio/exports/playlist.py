"""Rows → the export writers' plain values (schedules.exports.model)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from schedules.exports import DayPlaylist, PlayItem, WindowInfo

from ..core_inputs import station_input
from ..models import Episode, ScheduleEntry, Station
from ..stores import media_store

MediaUrl = Callable[[str], str]  # sha256 -> absolute URL where the audio is served


def play_item(entry: ScheduleEntry, tz: ZoneInfo, media_url: MediaUrl | None = None) -> PlayItem:
    episode = entry.episode
    media = episode.media if episode else None
    local = media_store().path_for(media.sha256) if media and media_store().exists(media.sha256) else None
    return PlayItem(
        id=str(entry.uuid), start=entry.start_at.astimezone(tz), end=entry.end_at.astimezone(tz),
        window=entry.window_name,
        window_title=entry.station.window_title(entry.window_name) if entry.window_name else None,
        kind=entry.kind, title=entry.title or (episode.title if episode else ""),
        series_code=entry.series.code if entry.series else None,
        series_title=entry.series.title if entry.series else None,
        episode_code=episode.code if episode else None,
        requirement=entry.requirement.code if entry.requirement else None,
        priority=entry.requirement.priority if entry.requirement else None,
        status=entry.status, duration_s=media.duration_s if media else (entry.end_at - entry.start_at).total_seconds(),
        media_path=local, media_url=media_url(media.sha256) if media and media_url else None,
        sha256=media.sha256 if media else None, source=entry.source,
    )


def entries_between(session: Session, station: Station, first: date, last: date,
                    with_cancelled: bool = False) -> list[ScheduleEntry]:
    query = select(ScheduleEntry).where(
        ScheduleEntry.station_id == station.id, ScheduleEntry.local_date >= first, ScheduleEntry.local_date <= last)
    if not with_cancelled:
        query = query.where(ScheduleEntry.status == "planned")
    return session.scalars(query.options(
        selectinload(ScheduleEntry.episode).selectinload(Episode.media), selectinload(ScheduleEntry.series),
        selectinload(ScheduleEntry.requirement)).order_by(ScheduleEntry.start_at, ScheduleEntry.id)).all()


def day_playlist(session: Session, station: Station, day: date, tz: ZoneInfo,
                 media_url: MediaUrl | None = None) -> DayPlaylist:
    """The station's planned running order for one local day, with the windows open that day."""
    plain = station_input(station)
    windows = tuple(
        WindowInfo(w.name, datetime.combine(day, w.start, tzinfo=tz), datetime.combine(day, w.end, tzinfo=tz),
                   station.window_title(w.name))
        for w in plain.windows if day not in plain.closed and w.is_open_on(day))
    names = {w.name for w in windows}
    items = tuple(play_item(e, tz, media_url) for e in entries_between(session, station, day, day)
                  if e.window_name is None or e.window_name in names)
    return DayPlaylist(station.code, station.name, day, tz.key, windows, items, station.schedule_version)

