"""The simulation's audio: four sine tones made once with ffmpeg and reused by every episode.

Converting audio to the canonical format is the slow part of an import (seconds per file on a
small machine); the library stores the same upload once, so reusing four files keeps a season
of a hundred episodes to four conversions.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from .world import Tones

LENGTHS = {"short": (10, 660), "column": (20, 440), "monthly": (30, 550), "long": (50, 330)}  # s, Hz


def make_tones(folder: Path) -> Tones:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (seconds, hertz) in LENGTHS.items():
        path = folder / f"tone-{name}.mp3"
        if not path.exists():
            subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency={hertz}:duration={seconds}",
                            "-ac", "1", "-ar", "22050", "-b:a", "32k", "-y", str(path)], check=True)
        paths[name] = path
    return Tones(**paths)
