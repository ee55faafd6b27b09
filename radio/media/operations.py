"""Media operations: probe, store content-addressed, record a MediaFile row."""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from audio_library import AudioInfo, MediaStore, probe
from audio_library.formats import suffix_for

from ..models import MediaFile


def media_store() -> MediaStore:
    return MediaStore(Path(current_app.config["MEDIA_DIR"]))


def max_bytes() -> int:
    return current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024


def check_audio(path: Path, name: str | None = None) -> AudioInfo:
    """Probe a file; raises audio_library.NotAudioError with a message naming `name`."""
    return probe(path, max_bytes=max_bytes(), name=name or path.name)


def store_audio(session: Session, store: MediaStore, path: Path, info: AudioInfo,
                created: list[str]) -> MediaFile:
    """Store a probed file once by content; sha256s newly written are appended to `created`
    so that the caller can remove them if its transaction fails."""
    stored = store.add(path, suffix_for(info))
    suffix = stored.path.suffix.lstrip(".")  # the stored copy's, if this content was there already
    if stored.is_new:
        created.append(stored.sha256)
    row = session.get(MediaFile, stored.sha256)
    if row is None:
        row = MediaFile(
            sha256=stored.sha256, suffix=suffix, bytes=stored.bytes,
            duration_s=info.duration_s, codec=info.codec, sample_rate=info.sample_rate,
            channels=info.channels, original_name=path.name,
        )
        session.add(row)
    return row


def discard_new_files(store: MediaStore, created: list[str]) -> None:
    """Undo the files a failed transaction wrote, so a refused import leaves nothing behind."""
    for sha256 in created:
        store.remove(sha256)
