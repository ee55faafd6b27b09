"""Voicing approved scripts into episode audio."""
from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from audio_library import render_espeak

from ..media.operations import check_audio, discard_new_files, media_store, store_audio
from ..models import Episode
from .operations import ScriptError


def voice_offline(session: Session, episode: Episode) -> None:
    """Voice the episode's approved script with espeak-ng into its audio (nothing else is voiced)."""
    script = episode.script
    if script is None or script.approved_version is None:
        raise ScriptError(f"episode {episode.code!r} has no approved script to voice")
    text = f"{episode.title}. {script.approved_version.text}"
    store, created = media_store(), []
    with tempfile.TemporaryDirectory() as tmp:
        path = render_espeak(text, Path(tmp) / f"{episode.code}.mp3")
        try:
            media = store_audio(session, store, path, check_audio(path), created)
            episode.media_sha256 = media.sha256
            session.flush()
        except BaseException:
            discard_new_files(store, created)
            raise
