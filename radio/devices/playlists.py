"""Simple-player playlists: a day of one device's schedule as M3U8 with signed media links.

The day's running order comes from the export shell (radio.exports.playlist.day_playlist) and
the M3U8 text from the export writer (schedules.exports.playlists.m3u8), so a station PC and a
village box get the same format; only the entries this device is to play are kept (entries
aimed at another village of the station are left out).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from schedules.exports.playlists import m3u8

from ..exports.playlist import day_playlist
from ..models import Device
from .feed import device_entries


def device_m3u8(session: Session, device: Device, day: date, tz: ZoneInfo,
                link: Callable[[str], str]) -> str:
    """`link(sha256)` gives the absolute, signed URL of a file for this device."""
    playlist = day_playlist(session, device.station, day, tz, link)
    mine = {str(entry.uuid) for entry in device_entries(session, device, day, day)}
    playlist = dataclasses.replace(playlist, items=tuple(i for i in playlist.items if i.id in mine))
    return m3u8(playlist, ref=lambda item: item.media_url)
