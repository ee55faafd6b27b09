"""Simple-player playlists: a day of one device's schedule as M3U8 with signed media links.

The M3U8 text itself comes from the export writer (schedules.exports.playlists.m3u8), so a
station PC and a village box read the same format.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from schedules.exports.playlists import m3u8

from ..models import Device, ScheduleEntry
from ..schedule.listing import day_playlist
from .feed import device_entries


def device_m3u8(session: Session, device: Device, day: date, tz: ZoneInfo,
                link: Callable[[str], str]) -> str:
    """`link(sha256)` gives the absolute, signed URL of a file for this device."""
    entries = device_entries(session, device, day, day)

    def media_url(entry: ScheduleEntry) -> str | None:
        media = entry.episode.media if entry.episode else None
        return link(media.sha256) if media is not None and entry.kind not in ("relay", "live") else None

    playlist = day_playlist(device.station, day, entries, tz, media_url)
    return m3u8(playlist, ref=lambda item: item.media_url)
