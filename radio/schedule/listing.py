"""A station's running order for one day as plain JSON-ready data (CLI, exports and API share it)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from schedules.exports.model import DayPlaylist, PlayItem, WindowInfo

from ..models import ScheduleEntry, Station
from .loading import station_input
from .operations import day_entries


def entry_item(entry: ScheduleEntry, tz: ZoneInfo) -> dict:
    episode, media = entry.episode, entry.episode.media if entry.episode else None
    return {
        "id": str(entry.uuid),
        "start": entry.start_at.astimezone(tz).isoformat(),
        "end": entry.end_at.astimezone(tz).isoformat(),
        "duration_s": round((entry.end_at - entry.start_at).total_seconds(), 3),
        "window": entry.window_name,
        "kind": entry.kind,
        "title": entry.title,
        "series": entry.series.code if entry.series else None,
        "series_title": entry.series.title if entry.series else None,
        "episode": episode.code if episode else None,
        "requirement": entry.requirement.code if entry.requirement else None,
        "priority": entry.requirement.priority if entry.requirement else None,
        "origin": entry.origin,
        "pinned": entry.is_pinned,
        "source": entry.source,
        "media": {"sha256": media.sha256, "bytes": media.bytes, "duration_s": media.duration_s} if media else None,
    }


def running_order(session: Session, station: Station, day: date, tz: ZoneInfo) -> dict:
    return {
        "station": {"code": station.code, "name": station.name},
        "date": day.isoformat(),
        "timezone": tz.key,
        "schedule_version": station.schedule_version,
        "items": [entry_item(e, tz) for e in day_entries(session, station, day)],
    }


def day_playlist(station: Station, day: date, entries: list[ScheduleEntry], tz: ZoneInfo,
                 media_url: Callable[[ScheduleEntry], str | None]) -> DayPlaylist:
    """The entries of one local day as the export writers' plain values (schedules.exports).

    `media_url` says where each entry's audio is served (signed links, for simple players).
    Windows are the station's windows open that day, plus any window an entry names that the
    station no longer has (spanning those entries), so an old entry never breaks a playlist.
    """
    items = tuple(_play_item(e, tz, media_url(e)) for e in sorted(entries, key=lambda e: (e.start_at, e.id)))
    windows = {w.name: WindowInfo(w.name, datetime.combine(day, w.start, tzinfo=tz),
                                  datetime.combine(day, w.end, tzinfo=tz))
               for w in station_input(station).windows if w.is_open_on(day)}
    for name in {i.window for i in items if i.window and i.window not in windows}:
        mine = [i for i in items if i.window == name]
        windows[name] = WindowInfo(name, min(i.start for i in mine), max(max(i.end for i in mine),
                                                                         min(i.start for i in mine) + timedelta(seconds=1)))
    return DayPlaylist(station.code, station.name, day, tz.key, tuple(sorted(windows.values(), key=lambda w: w.start)),
                       items, station.schedule_version)


def _play_item(entry: ScheduleEntry, tz: ZoneInfo, url: str | None) -> PlayItem:
    episode, media = entry.episode, entry.episode.media if entry.episode else None
    planned = (entry.end_at - entry.start_at).total_seconds()
    return PlayItem(
        id=str(entry.uuid), start=entry.start_at.astimezone(tz), end=entry.end_at.astimezone(tz),
        window=entry.window_name, kind=entry.kind,
        title=entry.title or (episode.title if episode else None) or (entry.series.title if entry.series else entry.kind),
        series_code=entry.series.code if entry.series else None,
        series_title=entry.series.title if entry.series else None,
        episode_code=episode.code if episode else None,
        requirement=entry.requirement.code if entry.requirement else None,
        priority=entry.requirement.priority if entry.requirement else None,
        duration_s=media.duration_s if media else planned, media_url=url if media else None,
        sha256=media.sha256 if media else None, source=entry.source)
