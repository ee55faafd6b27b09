"""Hearing a script before it is submitted: the normalised text spoken by the configured engines.

A preview is not an episode: nothing is recorded in the database. The audio goes into the
instance folder under a name made from what was spoken (so the same text is spoken once) and is
removed a day later. Names are checked against their pattern before any path is built from them.
Any signed-in user may fetch a preview by name: the name is a digest of the spoken text, so
whoever knows it knows the text already.
"""
from __future__ import annotations

import hashlib
import json
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
from audio_library.speech import listening_mp3
from audio_library.text_vi import Reading
from audio_library.tts import AllEnginesFailedError, synthesise_with_fallback

from ..models import Area
from ..voices import Voice
from .voicing import make_engines, preview_reading, voices_for

NAME = re.compile(r"[0-9a-f]{64}\.(mp3|wav)")
KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Preview:
    reading: Reading  # the text exactly as the voice reads it (.spoken), and what was rewritten
    name: str  # the audio file's name under previews_dir()

    @property
    def normalised(self) -> str:
        return self.reading.spoken


def previews_dir() -> Path:
    return Path(current_app.instance_path) / "previews"


def make_preview(session: Session, text: str, area: Area | None, voice: Voice, now: datetime) -> Preview:
    """Normalise and speak `text` in `voice` (with `area`'s glossary); raises AllEnginesFailedError
    when no engine can speak now (`failed_engines` names them for the page). The file's name covers
    the engines, their settings and voices, the region and the text, so one region's preview is
    never played for another."""
    reading = preview_reading(session, text, area, voice.region)
    engines, voices = make_engines(voice=voice), voices_for(voice)
    what = [[e.name, sorted(e.settings.items()), voices.get(e.name, e.voices[0])] for e in engines]
    key = hashlib.sha256(json.dumps([what, voice.region, reading.spoken], ensure_ascii=False).encode()).hexdigest()
    folder = previews_dir()
    for existing in folder.glob(f"{key}.*"):
        return Preview(reading, existing.name)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_old(folder, now)
    with tempfile.TemporaryDirectory() as tmp:
        spoken, _ = synthesise_with_fallback(engines, reading.spoken, Path(tmp) / "voice.audio", voices)
        suffix = suffix_for(probe(spoken))
        if suffix == "wav":  # espeak-ng's own output: an MP3 is a third of the download
            name = f"{key}.mp3"
            listening_mp3(spoken, folder / name)
        else:
            name = f"{key}.{suffix}"
            with atomic_output(folder / name) as out:
                out.write_bytes(spoken.read_bytes())
    return Preview(reading, name)


def failed_engines(failed: AllEnginesFailedError) -> str:
    """The engines that could not speak, as a page names them ("gtts, espeak-ng"); their own
    (English) reasons are for the log."""
    return ", ".join(failure.engine for failure in failed.failures)


def reading_parts(reading: Reading) -> list[tuple[str, str | None]]:
    """The original text cut into (text, None) as written and (spoken, original) where the reading
    rewrote it, in order: what the pages show, the rewritten stretches highlighted."""
    parts, at = [], 0
    for expansion in sorted(reading.expansions, key=lambda e: e.start):
        if expansion.start < at:  # overlapping the one before: that one already covers it
            continue
        if expansion.start > at:
            parts.append((reading.text[at:expansion.start], None))
        parts.append((expansion.spoken, expansion.original))
        at = expansion.end
    if at < len(reading.text):
        parts.append((reading.text[at:], None))
    return parts


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
