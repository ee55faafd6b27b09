"""Media operations: probe, keep the original, convert to the canonical format, record it.

Every airable file is in the library's canonical format (audio_library.canonical) at the
configured loudness; the upload itself is kept in the store beside it, under its own digest.
"""
from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from audio_library import AudioInfo, MediaStore, NotAudioError, probe
from audio_library.canonical import CANONICAL_FORMAT, to_canonical
from audio_library.formats import suffix_for

from ..models import MediaFile
from ..stores import media_store


def max_bytes() -> int:
    return current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024


def loudness_targets() -> dict:
    return {"target_lufs": current_app.config["LOUDNESS_TARGET_LUFS"],
            "true_peak_db": current_app.config["TRUE_PEAK_DBTP"]}


def check_audio(path: Path, name: str | None = None) -> AudioInfo:
    """Probe a file, measuring its loudness in the same decode (the conversion uses it); raises
    audio_library.NotAudioError with a message naming `name`, also for audio the store does not
    keep (a container it has no suffix for)."""
    display = name or path.name
    info = probe(path, max_bytes=max_bytes(), name=display, loudness=True)
    try:
        suffix_for(info)
    except ValueError as refused:
        raise NotAudioError(f'"{display}": {refused}', reason="unknown_format") from None
    return info


def ingest_audio(session: Session, path: Path, info: AudioInfo, created: list[str],
                 name: str | None = None, *, now: datetime) -> MediaFile:
    """The canonical MediaFile for a probed file. The same upload twice is stored (and converted)
    once. Digests of files newly written go to `created`, for the caller to remove on failure."""
    store = media_store()
    original = store.add(path, suffix_for(info))
    if original.is_new:
        created.append(original.sha256)
    known = known_media(session, original.sha256)
    if known is not None:
        return known
    with tempfile.TemporaryDirectory() as tmp:
        result = to_canonical(path, Path(tmp) / "canonical.mp3", **loudness_targets(), loudness=info.loudness)
        return record_canonical(session, store, result, original.sha256, name or path.name, created, now=now)


def known_media(session: Session, sha256: str) -> MediaFile | None:
    """The canonical MediaFile made from the file with digest `sha256` already, if any: no need
    to probe or convert it again."""
    known = session.scalar(select(MediaFile).where(MediaFile.original_sha256 == sha256))
    if known is None:
        # A canonical file of ours coming back (a plan export of voiced audio) is converted already.
        known = session.get(MediaFile, sha256)
        known = known if known is not None and known.is_canonical else None
    return known


def record_canonical(session: Session, store: MediaStore, result, original_sha256: str | None, name: str,
                     created: list[str], *, now: datetime) -> MediaFile:
    """Store a file the audio core rendered in the canonical format and record it (once). Its
    duration is the one the core decoded when it measured the file: no need to decode it again."""
    stored = store.add(result.path, "mp3")
    if stored.is_new:
        created.append(stored.sha256)
    row = session.get(MediaFile, stored.sha256)
    if row is None:
        row = MediaFile(sha256=stored.sha256, suffix="mp3", bytes=stored.bytes, duration_s=result.duration_s,
                        codec=CANONICAL_FORMAT.codec, sample_rate=CANONICAL_FORMAT.sample_rate,
                        channels=CANONICAL_FORMAT.channels,
                        loudness_lufs=_finite(result.loudness_after.integrated_lufs),
                        true_peak_dbtp=_finite(result.loudness_after.true_peak_dbtp), is_canonical=True,
                        original_sha256=original_sha256, original_name=name, created_at=now)
        session.add(row)
        session.flush()
    return row


def _finite(value: float) -> float | None:
    """Silence measures −inf, which no database column holds: stored as unknown."""
    return value if value not in (float("inf"), float("-inf")) else None


def discard_new_files(created: list[str]) -> None:
    """Undo the files a failed transaction wrote, so a refused operation leaves nothing behind."""
    store = media_store()
    for sha256 in created:
        store.remove(sha256)
