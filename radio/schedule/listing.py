"""A station's running order for one day as plain JSON-ready data (CLI, exports and API share it)."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..models import ScheduleEntry, Station
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
