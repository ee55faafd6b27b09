"""The configured file stores: the content-addressed audio store under MEDIA_DIR, which imports,
voicing, uploads, exports and the media API all read and write."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from audio_library import MediaStore


def media_store() -> MediaStore:
    return MediaStore(Path(current_app.config["MEDIA_DIR"]))
