"""Writing a station's day in every export format (files appear whole or not at all)."""
from __future__ import annotations

import tempfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from audio_library.files import atomic_output
from audio_library.render import render_window
from schedules.exports import (
    DayPlaylist, RequirementRule, Tick, WindowPart, entries_calendar, logbook_pdf, m3u8, pls, requirements_calendar,
    running_order_json, window_parts, window_tags, write_day_pack, xspf,
)
from schedules.exports.playlists import playable_items

from ..core_inputs import stations_covered
from ..errors import RadioError
from ..models import Requirement, Station
from ..playlogs.confirmations import ticks_of_day
from .playlist import MediaUrl, day_playlist, entries_between, play_item

FORMATS = ("m3u8", "xspf", "pls", "json", "ics", "mp3", "zip", "pdf")
CONTENT_TYPES = {
    "m3u8": "audio/mpegurl; charset=utf-8", "xspf": "application/xspf+xml; charset=utf-8",
    "pls": "audio/x-scpls; charset=utf-8", "json": "application/json; charset=utf-8",
    "ics": "text/calendar; charset=utf-8", "mp3": "audio/mpeg", "zip": "application/zip",
    "pdf": "application/pdf",
}


# What a player opens: refused when nothing in it can play.
AUDIO_FORMATS = ("m3u8", "xspf", "pls", "mp3", "zip")
# What holds the printed log book, and so the operators' "đã phát" ticks.
LOG_BOOK_FORMATS = ("pdf", "zip")


class ExportError(RadioError):
    """An export refused, with a message that says why (English, for the command line).

    `code` names the reason and `day`, `window` (a window's name) and `parts` (how many MP3
    parts the window has) are its values, so that a page can say it again in its reader's language.
    """

    def __init__(self, message: str, *, code: str = "refused", status: int = 400, day: date | None = None,
                 window: str | None = None, parts: int = 0):
        super().__init__(message, status=status, code=code)
        self.day, self.window, self.parts = day, window, parts


def export_day(session: Session, station: Station, day: date, fmt: str, out: Path, tz: ZoneInfo, now: datetime,
               window: str | None = None, media_url: MediaUrl | None = None, part: int | None = None) -> Path:
    """Write `station`'s `day` (or one `window` of it) as `fmt` to `out`. Playlists point at
    local files, or at `media_url(sha256)` when given (served online). A window's MP3 is one
    `part` of it when relay or live blocks cut it in several. The log book (PDF, and in the day
    pack) prints the operators' ticks so far. A day or window with nothing the format can carry
    is refused (`ExportError`, 404), never written empty."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    playlist = exportable(station, day_playlist(session, station, day, tz, media_url), fmt, window)
    if fmt == "mp3":
        return _window_mp3(playlist, _chosen_part(station, playlist, window, part), out)
    ticks = ticks_of_day(session, station=station, day=day) if fmt in LOG_BOOK_FORMATS else {}
    if fmt == "zip":
        return _day_pack(playlist, out, ticks)
    data = _text(playlist, fmt, window, tz, now, media_url is not None, ticks)
    with atomic_output(out) as temp:
        temp.write_bytes(data)
    return out


def exportable(station: Station, playlist: DayPlaylist, fmt: str, window: str | None) -> DayPlaylist:
    """The day, or the one window asked for, when it holds something `fmt` can carry.

    The refusals go from the day to the request to the content: a closed day, a window the
    station lacks or that is off air that day, a day with no window open, an MP3 asked for a
    whole day, nothing scheduled, nothing a player could play.
    """
    day = playlist.day
    on = f"on {day:%d/%m/%Y}"

    def refuse(message: str, code: str, status: int = 404) -> NoReturn:
        raise ExportError(f"{station.code}: {message}", code=code, status=status, day=day, window=window)

    if day in {closed.day for closed in station.closed_dates}:
        refuse(f"closed {on}", "closed_day")
    if window is not None:
        if window not in {w.name for w in station.windows}:
            refuse(f"no window {window!r} ({', '.join(w.name for w in station.windows)})", "unknown_window")
        if window not in {w.name for w in playlist.windows}:
            refuse(f"window {window!r} is not on air {on}", "window_off_air")
        playlist = playlist.only(window)
    elif not playlist.windows and not playlist.live_items():
        refuse(f"no window is on air {on}", "off_air")
    if fmt == "mp3" and window is None:
        names = ", ".join(w.name for w in playlist.windows)
        refuse(f"an MP3 is made per window: add --window ({names})", "window_needed", 400)
    if not playlist.live_items():
        refuse(f"nothing is scheduled {on}" + (f" in window {window!r}" if window else ""), "nothing_scheduled")
    if fmt in AUDIO_FORMATS and not _has_sound(playlist, fmt):
        refuse(f"nothing to play {on}" + (f" in window {window!r}" if window else "") +
               " (no item has content yet)", "nothing_to_play")
    return playlist


def _has_sound(playlist: DayPlaylist, fmt: str) -> bool:
    """An MP3 needs a local file to put in it (anything else becomes silence); a playlist or a
    day pack needs an item a player can open."""
    if fmt == "mp3":
        return any(window_parts(playlist, w.name) for w in playlist.windows)
    return bool(playable_items(playlist))


def _chosen_part(station: Station, playlist: DayPlaylist, window: str, part: int | None) -> tuple[WindowPart, int]:
    """The part asked for (a window in one file needs no number), and how many there are."""
    parts = window_parts(playlist, window)
    if part is None and len(parts) == 1:
        return parts[0], 1
    numbers = f"1–{len(parts)}" if len(parts) > 1 else "1"
    if part is None:
        raise ExportError(f"{station.code}: window {window!r} is {len(parts)} MP3 parts around its relay or live "
                          f"blocks: add --part ({numbers})", code="part_needed", day=playlist.day, window=window,
                          parts=len(parts))
    if not 1 <= part <= len(parts):
        raise ExportError(f"{station.code}: window {window!r} has no part {part} ({numbers})", code="unknown_part",
                          status=404, day=playlist.day, window=window, parts=len(parts))
    return parts[part - 1], len(parts)


def _ref(online: bool):
    def ref(item):
        return item.media_url if online else item.media_path.as_uri() if item.media_path else item.media_url
    return ref


def _text(playlist: DayPlaylist, fmt: str, window: str | None, tz: ZoneInfo, now: datetime, online: bool,
          ticks: Mapping[str, Tick]) -> bytes:
    if fmt == "pdf":
        return logbook_pdf(playlist, ticks=ticks)
    if fmt == "json":
        return running_order_json(playlist).encode("utf-8")
    if fmt == "ics":
        return entries_calendar(playlist.station_code, playlist.station_name, playlist.items, tz.key, now)
    writer = {"m3u8": m3u8, "xspf": xspf, "pls": pls}[fmt]
    return writer(playlist, _ref(online), window).encode("utf-8")


def _window_mp3(playlist: DayPlaylist, chosen: tuple[WindowPart, int], out: Path) -> Path:
    part, count = chosen
    return render_window(part.segments, out, window_tags(playlist, part.window, part, count), part.length_s).path


def _day_pack(playlist: DayPlaylist, out: Path, ticks: Mapping[str, Tick]) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        rendered = {}
        for window in playlist.windows:
            parts = window_parts(playlist, window.name)
            if parts:
                rendered[window.name] = [
                    _window_mp3(playlist, (part, len(parts)), Path(tmp) / f"{window.name}-{part.number}.mp3")
                    for part in parts]
        return write_day_pack(playlist, out, rendered, ticks=ticks)


def export_calendar(session: Session, station: Station, first: date, last: date, out: Path | None,
                    tz: ZoneInfo, now: datetime) -> bytes:
    """The station's entries from `first` to `last` as iCalendar (cancelled ones marked so)."""
    if last < first:
        raise ExportError(f"--to {last} is before --from {first}")
    items = [play_item(e, tz) for e in entries_between(session, station, first, last, with_cancelled=True)]
    data = entries_calendar(station.code, station.name, items, tz.key, now)
    if out is not None:
        with atomic_output(out) as temp:
            temp.write_bytes(data)
    return data


def export_requirements_calendar(session: Session, station: Station, out: Path, tz: ZoneInfo, now: datetime) -> bytes:
    """What the station must air, as recurring events (RRULE weekly on the allowed days, EXDATE
    for closed days): one per requirement and allowed window."""
    rules = []
    for requirement in covering_requirements(session, station):
        allowed = [w for w in station.windows if not requirement.windows or w.name in requirement.windows]
        rules.append(RequirementRule(
            code=requirement.code, title=requirement.series.title, station_code=station.code,
            period=requirement.period, days=tuple(requirement.days),
            windows=tuple((w.name, w.start_time, w.end_time) for w in allowed),
            window_titles={w.name: w.display_name() for w in allowed},
            date_from=requirement.date_from, date_to=requirement.date_to,
            closed=tuple(c.day for c in station.closed_dates), priority=requirement.priority,
            min=requirement.min_airings, max=requirement.max_airings))
    data = requirements_calendar(rules, tz.key, now)
    with atomic_output(out) as temp:
        temp.write_bytes(data)
    return data


def covering_requirements(session: Session, station: Station) -> list[Requirement]:
    every = session.scalars(select(Station)).all()
    return [r for r in session.scalars(select(Requirement).order_by(Requirement.id))
            if station in stations_covered(r, every)]
