"""What the audio renderer needs to make one window of a day into one MP3.

The renderer (``audio_library.render.render_window``) knows nothing of schedules: it
takes (file or silence, offset, duration) triples and tags. This module makes them from
a playlist, so the shell only passes one to the other.
"""

from __future__ import annotations

from pathlib import Path

from .model import DayPlaylist
from .text import day_text, one_line

Segment = tuple[Path | None, float, float]


def window_segments(playlist: DayPlaylist, window: str) -> tuple[Segment, ...]:
    """The window's items as offsets from its start; silence where there is no local file.

    Relays and live blocks become silence of their slot (a stream or a voice cannot be
    put in a file), and so do items with no local audio, so that what follows them
    still starts on time.
    """
    opens = playlist.window(window).start
    segments = []
    for item in playlist.live_items(window):
        offset = (item.start - opens).total_seconds()
        if offset < 0:
            raise ValueError(f"entry {item.id} starts before its window {window} opens")
        if item.kind != "relay" and item.media_path is not None:
            segments.append((item.media_path, offset, item.duration_s))
        else:
            segments.append((None, offset, item.planned_s))
    return tuple(segments)


def window_tags(playlist: DayPlaylist, window: str) -> dict[str, str]:
    """ID3 tags naming station, date and window, as a player's display shows them."""
    label = one_line(playlist.window(window).label)
    station = one_line(playlist.station_name)
    return {
        "title": f"{label} – {playlist.day:%d/%m/%Y}",
        "artist": station,
        "album": f"{station} – {day_text(playlist.day)}",
        "date": playlist.day.isoformat(),
        "comment": f"Lịch phát phiên bản {playlist.schedule_version}",
    }
