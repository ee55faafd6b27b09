"""A window of a day as the MP3 files an operator plays on the amplifier, and their tags.

The renderer (``audio_library.render.render_window``) knows nothing of schedules: it
takes (file or silence, offset, duration) triples and tags. This module makes them from
a playlist, so the shell only passes one to the other.

A relay (a stream) or a live block (a voice at the microphone) cannot be put in a file,
and ten minutes of silence in its place would air as ten minutes of nothing. So a window
is cut at its blocks into parts: each part is one MP3, from the window's opening or a
block's end to the next block's start (or its last item's end); the operator plays a
part, switches to the block when the part ends, and plays the next part after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .model import DayPlaylist, PlayItem
from .text import clock, day_text, one_line, slugify

Segment = tuple[Path | None, float, float]
BLOCK_KINDS = ("relay", "live")


@dataclass(frozen=True)
class WindowPart:
    """One MP3 of a window: ``segments`` are offsets from ``start``; the file lasts until ``end``."""

    window: str
    number: int
    start: datetime
    end: datetime
    segments: tuple[Segment, ...]

    @property
    def length_s(self) -> float:
        return (self.end - self.start).total_seconds()


def window_steps(playlist: DayPlaylist, window: str) -> tuple[WindowPart | PlayItem, ...]:
    """The window as it is aired: its parts (MP3 files) and, between them, its blocks.

    A stretch between two blocks with no local audio at all (a reservation nobody
    filled) makes no part: there is nothing to play. Items without local audio inside a
    part become silence of their slot, so that what follows them still starts on time.
    """
    opens = playlist.window(window).start
    steps: list[WindowPart | PlayItem] = []
    run: list[PlayItem] = []
    start = opens
    for item in playlist.live_items(window):
        if item.start < opens:
            raise ValueError(f"entry {item.id} starts before its window {window} opens")
        if item.kind in BLOCK_KINDS:
            steps += _part(window, _count_parts(steps) + 1, start, item.start, run)
            steps.append(item)
            run, start = [], max(start, item.end)
        else:
            run.append(item)
    if run:
        steps += _part(window, _count_parts(steps) + 1, start, max(item.end for item in run), run)
    return tuple(steps)


def window_parts(playlist: DayPlaylist, window: str) -> tuple[WindowPart, ...]:
    """The window's MP3 files, in the order they are played."""
    return tuple(step for step in window_steps(playlist, window) if isinstance(step, WindowPart))


def part_file_name(window: str, number: int, count: int) -> str:
    """``sang.mp3`` for a window in one file, ``sang-1.mp3``, ``sang-2.mp3`` … in parts."""
    return f"{slugify(window)}{f'-{number}' if count > 1 else ''}.mp3"


def window_tags(playlist: DayPlaylist, window: str, part: WindowPart | None = None,
                count: int = 1) -> dict[str, str]:
    """ID3 tags naming station, date, window (and the part, with its start time, of a window
    in several parts) as a player's display shows them."""
    label = one_line(playlist.window(window).label)
    if part is not None and count > 1:
        label = f"{label} – phần {part.number}/{count} ({clock(part.start.astimezone(playlist.zone))})"
    station = one_line(playlist.station_name)
    return {
        "title": f"{label} – {playlist.day:%d/%m/%Y}",
        "artist": station,
        "album": f"{station} – {day_text(playlist.day)}",
        "date": playlist.day.isoformat(),
        "comment": f"Lịch phát phiên bản {playlist.schedule_version}",
    }


def _count_parts(steps: list[WindowPart | PlayItem]) -> int:
    return sum(isinstance(step, WindowPart) for step in steps)


def _part(window: str, number: int, start: datetime, end: datetime,
          run: list[PlayItem]) -> list[WindowPart]:
    """The run of items as one part, or nothing when none of them has a local file."""
    if not any(item.media_path is not None for item in run):
        return []
    segments = []
    for item in run:
        offset = (item.start - start).total_seconds()
        if offset < 0:
            raise ValueError(f"entry {item.id} starts before the block before it ends")
        if item.media_path is not None:
            segments.append((item.media_path, offset, item.duration_s))
        else:
            segments.append((None, offset, item.planned_s))
    return [WindowPart(window, number, start, max(end, start), tuple(segments))]
