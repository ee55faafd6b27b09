"""Playlists a player opens (M3U8, XSPF, PLS) and the running order as JSON.

A playlist holds only what a player can play: cancelled entries and entries without
content (a reservation nobody filled, a live block) are left out, and a relay is its
stream URL. The M3U8 also says, in a comment line before it, when each relay or live
block starts and ends and where a relay comes from, for the operator who reads it. Where
the audio lives is the caller's choice through ``ref``: absolute media URLs when served
online, relative paths inside a day pack.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from .model import DayPlaylist, PlayItem
from .text import block_text, day_text, item_title, one_line
from .windows import BLOCK_KINDS

Ref = Callable[[PlayItem], str]
XSPF_NS = "http://xspf.org/ns/0/"
# What quote() must leave alone so that a URL's delimiters and escapes stay as they were.
_URI_SAFE = ":/?#[]@!$&'()*+,;=%~"


def playable_items(playlist: DayPlaylist, window: str | None = None) -> tuple[PlayItem, ...]:
    """The items a playlist lists, in time order."""
    return tuple(item for item in playlist.live_items(window) if item.has_content)


def playlist_title(playlist: DayPlaylist, window: str | None = None) -> str:
    title = f"{one_line(playlist.station_name)} – {day_text(playlist.day)}"
    return f"{title} – {one_line(playlist.window(window).label)}" if window else title


def m3u8(playlist: DayPlaylist, ref: Ref, window: str | None = None) -> str:
    """Extended M3U in UTF-8 (hence ``.m3u8``): ``#EXTINF:<seconds>,<series> - <title>``;
    a relay or live block is announced by a ``# `` comment (players skip it)."""
    lines = ["#EXTM3U", f"#PLAYLIST:{playlist_title(playlist, window)}"]
    for item in playlist.live_items(window):
        if item.kind in BLOCK_KINDS:
            lines.append(f"# {block_text(item, playlist.zone)}")
        if not item.has_content:
            continue
        lines.append(f"#EXTINF:{round(_length_s(item))},{item_title(item, '-')}")
        lines.append(_location(item, ref))
    return "\n".join(lines) + "\n"


def pls(playlist: DayPlaylist, ref: Ref, window: str | None = None) -> str:
    """PLS version 2 (an INI file): for the older Windows and hardware players."""
    items = playable_items(playlist, window)
    lines = ["[playlist]"]
    for number, item in enumerate(items, start=1):
        lines += [f"File{number}={_location(item, ref)}",
                  f"Title{number}={item_title(item, '-')}",
                  f"Length{number}={round(_length_s(item))}"]
    lines += [f"NumberOfEntries={len(items)}", "Version=2"]
    return "\n".join(lines) + "\n"


def xspf(playlist: DayPlaylist, ref: Ref, window: str | None = None) -> str:
    """XSPF 1: locations are URIs, so paths are percent-encoded; text is XML-escaped."""
    ET.register_namespace("", XSPF_NS)
    root = ET.Element(_tag("playlist"), version="1")
    _sub(root, "title", playlist_title(playlist, window))
    _sub(root, "creator", one_line(playlist.station_name))
    tracks = _sub(root, "trackList")
    for item in playable_items(playlist, window):
        track = _sub(tracks, "track")
        _sub(track, "location", _uri(_location(item, ref)))
        _sub(track, "identifier", f"urn:uuid:{item.id}")
        _sub(track, "title", item_title(item))
        if item.series_title:
            _sub(track, "creator", one_line(item.series_title))
        _sub(track, "duration", str(round(_length_s(item) * 1000)))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def running_order(playlist: DayPlaylist) -> dict:
    """The day's planned items as JSON-ready data, as ``radio schedule show --format json``."""
    tz = playlist.zone
    return {
        "station": {"code": playlist.station_code, "name": playlist.station_name},
        "date": playlist.day.isoformat(),
        "timezone": playlist.timezone,
        "schedule_version": playlist.schedule_version,
        "items": [_order_item(item, tz) for item in playlist.live_items()],
    }


def running_order_json(playlist: DayPlaylist) -> str:
    return json.dumps(running_order(playlist), ensure_ascii=False, indent=2) + "\n"


def _order_item(item: PlayItem, tz: ZoneInfo) -> dict:
    return {
        "id": item.id,
        "start": item.start.astimezone(tz).isoformat(),
        "end": item.end.astimezone(tz).isoformat(),
        "duration_s": round(item.planned_s, 3),
        "window": item.window,
        "window_title": item.window_title,
        "kind": item.kind,
        "title": item.title,
        "series": item.series_code,
        "series_title": item.series_title,
        "episode": item.episode_code,
        "requirement": item.requirement,
        "priority": item.priority,
        "source": item.source,
        "media": _media(item),
    }


def _media(item: PlayItem) -> dict | None:
    """What the item plays; ``bytes`` only where a local file says it."""
    if item.kind in ("relay", "live") or (item.sha256 is None and item.media_path is None):
        return None
    media: dict = {"sha256": item.sha256}
    if item.media_path is not None:
        media["bytes"] = item.media_path.stat().st_size
    media["duration_s"] = round(item.duration_s, 3)
    return media


def _length_s(item: PlayItem) -> float:
    """A relay lasts its block; audio lasts as long as the file."""
    return item.planned_s if item.kind == "relay" else item.duration_s


def _location(item: PlayItem, ref: Ref) -> str:
    """The stream for a relay, else ``ref``'s answer, refused if it would break the file."""
    location = item.source if item.kind == "relay" else ref(item)
    if not location or location != location.strip() or "\n" in location or "\r" in location:
        raise ValueError(f"entry {item.id}: unusable playlist location {location!r}")
    return location


def _uri(location: str) -> str:
    """A URL keeps its delimiters; in a path, ``#``, ``?`` and ``%`` are part of a name."""
    if urlsplit(location).scheme:
        return quote(location, safe=_URI_SAFE)
    return quote(location, safe="/")


def _tag(name: str) -> str:
    return f"{{{XSPF_NS}}}{name}"


def _sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _tag(name))
    element.text = text
    return element
