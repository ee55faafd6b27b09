"""Hearing a script before it is submitted: the normalised text spoken by the configured engines.

A preview is not an episode: nothing is recorded in the database. The audio goes into the
instance folder under a name made from what was spoken (so the same text is spoken once) and is
removed a day later. Names are checked against their pattern before any path is built from them.
Any signed-in user may fetch a preview by name: the name is a digest of the spoken text, so
whoever knows it knows the text already.
"""
from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from audio_library import probe
from audio_library.files import atomic_output
from audio_library.formats import suffix_for
from audio_library.tts import synthesise_with_fallback

from ..models import Area
from .voicing import make_engines, preview_text

NAME = re.compile(r"[0-9a-f]{64}\.(mp3|wav)")
KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Preview:
    normalised: str  # the text exactly as the voice reads it
    name: str  # the audio file's name under previews_dir()


def previews_dir() -> Path:
    return Path(current_app.instance_path) / "previews"


def make_preview(session: Session, text: str, area: Area | None, now: datetime) -> Preview:
    """Normalise and speak `text` (with `area`'s glossary); raises the engines' SynthesisError."""
    normalised = preview_text(session, text, area)
    engines = make_engines()
    key = hashlib.sha256("\0".join([*(e.name for e in engines), normalised]).encode()).hexdigest()
    folder = previews_dir()
    for existing in folder.glob(f"{key}.*"):
        return Preview(normalised, existing.name)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_old(folder, now)
    with tempfile.TemporaryDirectory() as tmp:
        spoken, _ = synthesise_with_fallback(engines, normalised, Path(tmp) / "voice.audio",
                                             current_app.config["TTS_VOICES"])
        name = f"{key}.{suffix_for(probe(spoken))}"
        with atomic_output(folder / name) as out:
            out.write_bytes(spoken.read_bytes())
    return Preview(normalised, name)


def preview_path(name: str) -> Path | None:
    """The stored preview called `name`, or None (unknown, expired, or not a preview's name)."""
    if not NAME.fullmatch(name):
        return None
    path = previews_dir() / name
    return path if path.is_file() else None


def _remove_old(folder: Path, now: datetime) -> None:
    cutoff = now.timestamp() - KEEP_SECONDS
    for path in folder.iterdir():
        if NAME.fullmatch(path.name) and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
