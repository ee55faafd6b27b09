"""A broadcast window as one ready-to-play MP3, for operators with only a USB stick.

The items are canonical files (:mod:`audio_library.canonical`), so they are joined by
ffmpeg's concat demuxer with stream copy: no decoding, no re-encoding, no generation
loss, and memory use independent of the window's length. Where the schedule has a gap,
or a relay (a live stream cannot be put in a file), the window gets silence of the same
length, made of canonical silence chunks encoded once per render.

Stream copy works in whole MP3 frames (1152 samples, about 26 ms). Positions are kept
in frames counted from each file's Info header, so an item lands within a frame of its
offset however many items precede it; rounding never accumulates. Each file brings
its encoder's priming and padding (a frame or two), so back-to-back items run late by
that much each, and the next gap takes it back.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from audio_library.canonical import CANONICAL_FORMAT
from audio_library.files import atomic_output
from audio_library.tools import run_tool

__all__ = ["FRAME_S", "RenderResult", "canonical_frames", "render_window"]

FRAME_SAMPLES = 1152  # an MPEG-1 Layer III frame
FRAME_S = FRAME_SAMPLES / CANONICAL_FORMAT.sample_rate
# Silence chunks of 2**k + 1 frames (LAME adds one), k = 0 .. 9 (~13 s): any run of
# silence is a few of them, longer runs repeat the largest.
_CHUNK_LEVELS = 10
# Two items closer than this count as touching, not overlapping (float noise in offsets).
_TOUCH_S = 0.001
# First frame header of a canonical file: MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono.
_BITRATE_INDEX_128K = 9
_SAMPLE_RATE_INDEX_44K1 = 0
_MODE_MONO = 3
_SIDE_INFO_MONO = 17

Segment = tuple[Path | None, float, float]


@dataclass(frozen=True)
class RenderResult:
    """The written file and its length as players and ffprobe will report it."""

    path: Path
    duration_s: float


def render_window(items: Sequence[Segment], out: Path, tags: Mapping[str, str],
                  length_s: float | None = None) -> RenderResult:
    """Write ``items`` (path or ``None`` for silence, offset and duration in seconds from
    the window's start, in order) as one MP3 at ``out``, with ID3v2.3 ``tags``.

    With ``length_s`` the file lasts at least that long, silence closing it: a part of a
    window that a relay follows ends when the relay starts, so the operator switches as
    the file ends. ``out`` appears only when complete. Overlapping items and non-canonical
    files raise ``ValueError`` before anything is written.
    """
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="render-") as work:
        parts = _Plan(_Silence(Path(work))).build(items, length_s)
        listing = Path(work) / "parts.ffconcat"
        listing.write_text(_concat_list(parts), encoding="utf-8")
        with atomic_output(out) as temp:
            run_tool(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0",
                      "-i", listing, "-map", "0:a:0", "-c", "copy", "-map_metadata", "-1",
                      *_metadata_args(tags), "-id3v2_version", "3", "-fflags", "+bitexact",
                      "-f", "mp3", temp])
    return RenderResult(out, sum(frames for _, frames in parts) * FRAME_S)


def canonical_frames(path: Path) -> int:
    """The number of audio frames in a canonical MP3, read from its Info header.

    Refuses (``ValueError``) a file whose first frame is not the canonical format:
    stream copy would splice it into the window unconverted.
    """
    frame = _first_frame(Path(path))
    tag_at = 4 + _SIDE_INFO_MONO + (0 if len(frame) > 1 and frame[1] & 1 else 2)  # CRC?
    if not (_is_canonical_header(frame) and frame[tag_at:tag_at + 4] == b"Info"
            and frame[tag_at + 7] & 1):  # the Info header counts its frames
        raise ValueError(f"{path}: not a canonical MP3 ({CANONICAL_FORMAT.id}, with an Info "
                         "header); convert it with audio_library.canonical first")
    return int.from_bytes(frame[tag_at + 8:tag_at + 12], "big")


def _first_frame(path: Path) -> bytes:
    """The start of the first MPEG frame, after an ID3v2 tag if there is one."""
    with open(path, "rb") as file:
        head = file.read(10)
        file.seek(_id3_size(head) if head[:3] == b"ID3" else 0)
        return file.read(4 + 2 + _SIDE_INFO_MONO + 12)


def _id3_size(head: bytes) -> int:
    """Bytes taken by an ID3v2 tag: header, syncsafe size, and a footer if flagged."""
    size = 0
    for byte in head[6:10]:
        size = (size << 7) | (byte & 0x7F)
    return 10 + size + (10 if head[5] & 0x10 else 0)


def _is_canonical_header(frame: bytes) -> bool:
    return (len(frame) >= 4 + 2 + _SIDE_INFO_MONO + 12 and frame[0] == 0xFF
            and frame[1] & 0xFE == 0xFA
            and frame[2] >> 4 == _BITRATE_INDEX_128K
            and (frame[2] >> 2) & 3 == _SAMPLE_RATE_INDEX_44K1
            and frame[3] >> 6 == _MODE_MONO)


class _Silence:
    """Canonical silence chunks, encoded in one ffmpeg run when first needed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.chunks: list[tuple[Path, int]] = []

    def fill(self, frames: int) -> list[tuple[Path, int]]:
        """Chunks adding up to ``frames`` (a frame short at worst), largest first."""
        if frames <= 0:
            return []
        if not self.chunks:
            self.chunks = self._encode()
        parts = []
        for path, size in self.chunks:
            count, frames = divmod(frames, size)
            parts += [(path, size)] * count
        return parts

    def _encode(self) -> list[tuple[Path, int]]:
        outputs: list[str | Path] = []
        paths = [self.folder / f"silence-{level:02d}.mp3" for level in range(_CHUNK_LEVELS)]
        for level, path in enumerate(paths):
            samples = (2 ** level) * FRAME_SAMPLES - FRAME_SAMPLES // 2
            outputs += ["-map", "0:a", "-af", f"atrim=end_sample={samples}",
                        *CANONICAL_FORMAT.encoder_args(), path]
        rate = CANONICAL_FORMAT.sample_rate
        longest_s = 2 ** _CHUNK_LEVELS * FRAME_S  # an endless source would keep ffmpeg busy
        run_tool(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
                  "-t", f"{longest_s:.3f}", "-i", f"anullsrc=r={rate}:cl=mono:nb_samples=8192",
                  *outputs])
        return sorted(((path, canonical_frames(path)) for path in paths), key=lambda c: -c[1])


class _Plan:
    """Turns timed items into the frame-exact list of parts the concat demuxer reads."""

    def __init__(self, silence: _Silence) -> None:
        self.silence = silence
        self.parts: list[tuple[Path, int]] = []
        self.position = 0  # frames written so far

    def build(self, items: Sequence[Segment], length_s: float | None = None) -> list[tuple[Path, int]]:
        """Check every item first, so that a refusal costs no encoding."""
        _check_timings(items)
        if length_s is not None and not math.isfinite(length_s):
            raise ValueError(f"length {length_s} s is not finite")
        frames = {Path(path): canonical_frames(Path(path)) for path, _, _ in items if path}
        for path, offset, duration in items:
            self._silence_until(offset)
            if path is None:
                self._silence_until(offset + duration)
            else:
                self._add(Path(path), frames[Path(path)])
        if length_s is not None:
            self._silence_until(length_s)
        if not self.parts:
            raise ValueError("nothing to render: the items are shorter than one MP3 frame")
        return self.parts

    def _silence_until(self, seconds: float) -> None:
        for path, frames in self.silence.fill(round(seconds / FRAME_S) - self.position):
            self._add(path, frames)

    def _add(self, path: Path, frames: int) -> None:
        self.parts.append((path, frames))
        self.position += frames


def _check_timings(items: Sequence[Segment]) -> None:
    if not items:
        raise ValueError("nothing to render: no items")
    previous_end = 0.0
    for number, (_, offset, duration) in enumerate(items, start=1):
        if not (math.isfinite(offset) and math.isfinite(duration)) or offset < 0 or duration <= 0:
            raise ValueError(f"item {number}: offset {offset} s and duration {duration} s must be "
                             "finite, the offset not negative and the duration positive")
        if offset < previous_end - _TOUCH_S:
            raise ValueError(f"item {number} starts at {offset:.3f} s, before the item "
                             f"before it ends ({previous_end:.3f} s)")
        previous_end = offset + duration


def _concat_list(parts: list[tuple[Path, int]]) -> str:
    """An ffconcat script; single quotes in names are closed, escaped and reopened."""
    lines = ["ffconcat version 1.0"]
    for path, _ in parts:
        name = str(path.resolve())
        if "\n" in name or "\r" in name:
            raise ValueError(f"{name!r}: a line break in a file name cannot be listed")
        lines.append("file '" + name.replace("'", "'\\''") + "'")
    return "\n".join(lines) + "\n"


def _metadata_args(tags: Mapping[str, str]) -> list[str]:
    args = []
    for key, value in tags.items():
        if not key or "=" in key:
            raise ValueError(f"tag name {key!r} is empty or contains '='")
        args += ["-metadata", f"{key}={value}"]
    return args
