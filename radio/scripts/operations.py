"""Script operations (flush only; the caller commits)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from audio_library import render_espeak

from .. import audit
from ..auth.scope import can
from ..media.operations import check_audio, discard_new_files, media_store, store_audio
from ..models import Episode, ScriptVersion, User, utcnow


class ScriptError(ValueError):
    """A script operation refused, with a message that says why."""


def approve_version(session: Session, actor: User, version: ScriptVersion) -> None:
    """Approve a submitted version; only an approver of the series' plan area may."""
    area = version.script.series.plan.issued_by
    if not can(actor, ("approver",), area):
        raise ScriptError(f"{actor.username} is not an approver of {area.code}")
    if version.status != "submitted":
        raise ScriptError(f"version {version.number} is {version.status}, not submitted")
    version.status, version.decided_by_id, version.decided_at = "approved", actor.id, utcnow()
    version.script.approved_version_id = version.id
    audit.record(session, actor, "script.approve", "script", str(version.script_id), area=area,
                 after={"version": version.number})
    session.flush()


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
