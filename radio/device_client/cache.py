"""The receiver's audio: files named by their sha256, verified before they are used.

A download goes to `<sha>.part` and is resumed with a Range request after a cut; only when its
digest matches is it renamed to `<sha>`. A file whose digest fails is deleted and never played.
The cache holds what is still to play, the most urgent first, within an optional size limit:
whatever is not wanted, or does not fit behind more urgent audio, is evicted.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

from .airings import Media
from .files import sync_folder
from .server import Refused, ServerClient

log = logging.getLogger(__name__)
SHA256 = re.compile(r"[0-9a-f]{64}")


class ChecksumMismatch(Exception):
    """The downloaded bytes are not the audio the schedule named."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


class MediaCache:
    def __init__(self, folder: Path, limit_bytes: int | None = None):
        self.folder = folder
        self.limit_bytes = limit_bytes
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if not SHA256.fullmatch(sha256):  # names come from the server: never a path
            raise ValueError(f"{sha256!r} is not a sha256 digest")
        return self.folder / sha256

    def _part(self, sha256: str) -> Path:
        return self.path(sha256).with_suffix(".part")

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def verified(self, sha256: str) -> Path | None:
        """The file, checked again just before it is played (SD cards fail); a bad one is deleted."""
        path = self.path(sha256)
        if not path.is_file():
            return None
        if file_sha256(path) != sha256:
            log.error("cached audio %s no longer matches its sha256; deleted (it will be fetched again)", sha256)
            path.unlink()
            return None
        return path

    def files(self) -> dict[str, int]:
        """Digest → bytes of every complete file and every part on disk."""
        found = {}
        for path in self.folder.iterdir():
            name = path.name.removesuffix(".part")
            if SHA256.fullmatch(name) and path.is_file():
                found[path.name] = path.stat().st_size
        return found

    def used_bytes(self) -> int:
        return sum(self.files().values())

    def cached_count(self) -> int:
        return sum(1 for name in self.files() if not name.endswith(".part"))

    def fits(self, wanted: list[Media]) -> list[Media]:
        """The most urgent files that fit within the limit together (all when there is none)."""
        if self.limit_bytes is None:
            return list(wanted)
        chosen, total = [], 0
        for media in wanted:
            if total + media.bytes <= self.limit_bytes:
                chosen.append(media)
                total += media.bytes
        return chosen

    def keep_only(self, keep: set[str]) -> list[str]:
        """Delete every file and part whose digest is not in `keep`; returns the digests removed."""
        removed = []
        for name in self.files():
            sha256 = name.removesuffix(".part")
            if sha256 not in keep:
                (self.folder / name).unlink()
                removed.append(sha256)
        if removed:
            sync_folder(self.folder)
        return sorted(set(removed))

    def fetch(self, media: Media, server: ServerClient, should_stop: Callable[[], bool]) -> bool:
        """Download (or resume) `media`; True once it is complete and verified, False when paused.
        Raises ChecksumMismatch (the part is deleted) or the server's Unreachable/Refused."""
        part = self._part(media.sha256)
        offset = part.stat().st_size if part.exists() else 0
        if offset > media.bytes:
            part.unlink()
            offset = 0
        if offset:
            log.info("resuming %s at byte %d of %d", media.sha256[:12], offset, media.bytes)
        if offset < media.bytes or media.bytes == 0:
            try:
                with open(part, "ab") as out:
                    complete = server.download(media.url, out, offset, should_stop)
                    out.flush()
                    os.fsync(out.fileno())
            except Refused as exc:
                if exc.status == 416:  # the server's file is shorter than the part: start afresh
                    part.unlink(missing_ok=True)
                raise
            if not complete:
                return False
        got, size = file_sha256(part), part.stat().st_size
        if got != media.sha256:
            part.unlink()
            raise ChecksumMismatch(f"audio {media.sha256} arrived with sha256 {got} ({size} bytes)")
        os.replace(part, self.path(media.sha256))
        sync_folder(self.folder)
        log.info("downloaded and verified %s (%d bytes)", media.sha256[:12], media.bytes)
        return True
