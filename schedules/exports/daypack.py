"""The operator's day pack: one ZIP with everything to air a day without a network.

Inside: ``audio/<nn>-<slug>.mp3`` (each distinct file once), ``playlist.m3u8`` with
paths relative to the pack, ``windows/<window>.mp3`` (each window as one file, for a
USB stick in an amplifier; ``<window>-1.mp3``, ``-2`` … for a window cut at its relay or
live blocks), and the log book as ``running-order.html`` / ``.pdf`` (which part plays
when, and the operator's ticks so far) plus ``running-order.json``. File names are plain
ASCII and derived only from the playlist, and every member carries the day as its date,
so the same day gives the same pack.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from audio_library.files import atomic_output

from .logbook import DEFAULT_FONT_DIR, logbook_html, logbook_pdf
from .model import DayPlaylist, PlayItem, Tick
from .playlists import m3u8, playable_items, running_order_json
from .text import item_title, slugify
from .windows import part_file_name

_COPY_CHUNK = 1 << 20


def audio_names(playlist: DayPlaylist) -> dict[Path, str]:
    """Pack path of each distinct local media file, numbered in order of first airing."""
    names: dict[Path, str] = {}
    files = [item for item in playable_items(playlist)
             if item.kind != "relay" and item.media_path is not None]
    width = max(2, len(str(len(files))))
    for item in files:
        if item.media_path not in names:
            number = str(len(names) + 1).zfill(width)
            names[item.media_path] = f"audio/{number}-{slugify(item_title(item))}.mp3"
    return names


def write_day_pack(playlist: DayPlaylist, out: Path, window_mp3s: Mapping[str, Sequence[Path]],
                   font_dir: Path = DEFAULT_FONT_DIR, ticks: Mapping[str, Tick] | None = None) -> Path:
    """Write the pack to ``out`` atomically: a crash leaves no partial ZIP under that name.

    ``window_mp3s`` maps window names to their rendered parts in order
    (``windows.window_parts``, ``audio_library.render.render_window``); windows not in it
    are left out. ``ticks`` are the items already marked aired, printed in the log book.
    """
    names = audio_names(playlist)
    windows = _window_names(playlist, window_mp3s)
    stamp = (playlist.day.year, playlist.day.month, playlist.day.day, 0, 0, 0)
    with atomic_output(Path(out)) as temp, zipfile.ZipFile(temp, "w") as pack:
        texts = {
            "playlist.m3u8": m3u8(playlist, _pack_ref(names)).encode("utf-8"),
            "running-order.json": running_order_json(playlist).encode("utf-8"),
            "running-order.html": logbook_html(playlist, ticks).encode("utf-8"),
        }
        for name, data in texts.items():
            pack.writestr(_member(name, stamp, zipfile.ZIP_DEFLATED), data)
        pack.writestr(_member("running-order.pdf", stamp, zipfile.ZIP_DEFLATED),
                      logbook_pdf(playlist, font_dir, ticks))
        for source, name in [*names.items(), *windows]:
            _copy_file(pack, source, _member(name, stamp, zipfile.ZIP_STORED))
    return Path(out)


def _window_names(playlist: DayPlaylist,
                  window_mp3s: Mapping[str, Sequence[Path]]) -> list[tuple[Path, str]]:
    """``windows/<slug>.mp3`` per window part, refusing unknown windows and clashing slugs."""
    names = []
    for window, parts in window_mp3s.items():
        playlist.window(window)
        names += [(Path(path), f"windows/{part_file_name(window, number, len(parts))}")
                  for number, path in enumerate(parts, start=1)]
    if len({name for _, name in names}) != len(names):
        raise ValueError(f"window names {sorted(window_mp3s)} give the same file name")
    return names


def _pack_ref(names: dict[Path, str]) -> Callable[[PlayItem], str]:
    """Playlist locations inside the pack: relative paths, or the URL of audio it lacks."""
    def ref(item: PlayItem) -> str:
        if item.media_path is not None:
            return names[item.media_path]
        return item.media_url  # type: ignore[return-value]  # has_content guarantees one
    return ref


def _member(name: str, stamp: tuple[int, ...], compression: int) -> zipfile.ZipInfo:
    """A ZIP entry dated with the day (not the clock), readable by everyone who unzips it."""
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def _copy_file(pack: zipfile.ZipFile, source: Path, info: zipfile.ZipInfo) -> None:
    """Stream a file into the pack; MP3 is stored, as deflate gains nothing on it."""
    info.file_size = source.stat().st_size  # lets zipfile choose ZIP64 for huge files
    with open(source, "rb") as src, pack.open(info, "w") as dst:
        shutil.copyfileobj(src, dst, _COPY_CHUNK)
