"""Voiced spots with a series' intro and outro jingles around the voice.

The parts are decoded and joined with ffmpeg's concat *filter*, not by stream copy:
a voice straight from an engine is not in the canonical format (gTTS gives 24 kHz
MP3), and each part gets its own gain so that the voice is about as loud as the
music around it (the limiter, which acts on the whole, may take a peaky voice up
to ~1.5 LU under steady music; the whole still meets the target). The result is one canonical file at the loudness target, written
atomically, whose duration is the sum of the parts' decoded durations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audio_library.canonical import (
    DEFAULT_TARGET_LUFS,
    DEFAULT_TRUE_PEAK_DB,
    Loudness,
    render_normalised,
)

__all__ = ["JoinResult", "join_with_jingles"]


@dataclass(frozen=True)
class JoinResult:
    """The joined spot: duration, each part's loudness as given, loudness of the whole."""

    path: Path
    duration_s: float
    parts_loudness: tuple[Loudness, ...]
    loudness_after: Loudness


def join_with_jingles(
    parts: Sequence[Path],
    out: Path,
    *,
    target_lufs: float = DEFAULT_TARGET_LUFS,
    true_peak_db: float = DEFAULT_TRUE_PEAK_DB,
) -> JoinResult:
    """Join ``parts`` in order (e.g. intro, voice, outro) into one canonical file ``out``.

    A series without jingles passes just the voice. ``out`` may not be one of the
    parts: replacing a stored jingle with a spot that contains it is never wanted.
    """
    out = Path(out)
    if any(Path(part).resolve() == out.resolve() for part in parts):
        raise ValueError(f"the output {out.name} is also one of the parts to join")
    done = render_normalised(parts, out, target_lufs=target_lufs, true_peak_db=true_peak_db)
    return JoinResult(done.path, done.duration_s, done.sources_loudness, done.loudness_after)
