"""A content-addressed store for media files.

Files are named by the sha256 of their bytes: ``root/ab/abcd...ef.mp3``. That gives
deduplication for free (the same programme uploaded twice is stored once), a name that
proves the content has not changed, and paths built only from hex digits and an
allow-listed suffix, so a user's file name can never become a path on disk.

A file appears under its final name only when it is complete and on disk: it is
written to a hidden temp file inside ``root`` (same file system), fsynced, then
linked (or renamed) to its final name in one step, and the temp name removed. Nothing
half-written is ever left behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["ALLOWED_SUFFIXES", "MediaStore", "StoredMedia", "checked_digest"]

ALLOWED_SUFFIXES = frozenset({"mp3", "wav", "ogg", "opus", "m4a", "flac", "aac", "webm"})

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_CHUNK_BYTES = 1024 * 1024
_TEMP_PREFIX = ".incoming-"
# Stored media is read by other processes (web server, worker): not private.
_FILE_MODE = 0o644


@dataclass(frozen=True)
class StoredMedia:
    """Where content ended up; ``is_new`` is False when it was already stored."""

    sha256: str
    path: Path
    bytes: int
    is_new: bool


class MediaStore:
    """Media files under ``root``, addressed by the sha256 of their content."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"MediaStore({str(self.root)!r})"

    def add(self, src: Path, suffix: str) -> StoredMedia:
        """Store a copy of the file at ``src`` under the type ``suffix`` (e.g. "mp3")."""
        suffix = _checked_suffix(suffix)  # refuse before touching the source
        with open(src, "rb") as stream:
            return self.add_stream(stream, suffix)

    def add_stream(self, stream: BinaryIO, suffix: str) -> StoredMedia:
        """Store everything readable from ``stream`` (an upload needs no temp copy)."""
        suffix = _checked_suffix(suffix)
        self.root.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=self.root, prefix=_TEMP_PREFIX, suffix=".part")
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                sha256, size = _copy_hashing(stream, out)
                out.flush()
                os.fsync(out.fileno())
            return self._commit(temp, sha256, size, suffix)
        finally:
            temp.unlink(missing_ok=True)

    def path_for(self, sha256: str) -> Path:
        """The stored file for ``sha256``, whatever its suffix; FileNotFoundError if none."""
        path = self._find(checked_digest(sha256))
        if path is None:
            raise FileNotFoundError(f"no stored media with sha256 {sha256}")
        return path

    def exists(self, sha256: str) -> bool:
        """Whether content with this digest is stored."""
        return self._find(checked_digest(sha256)) is not None

    def files(self) -> Iterator[tuple[str, str]]:
        """(sha256, suffix) of every stored file (temp files of adds under way are not)."""
        for path in sorted(self.root.glob("??/*")):
            sha256, _, suffix = path.name.partition(".")
            if suffix in ALLOWED_SUFFIXES and _SHA256_HEX.fullmatch(sha256):
                yield sha256, suffix

    def remove(self, sha256: str) -> bool:
        """Delete the stored file; return whether there was one.

        Meant to undo an import that failed after :meth:`add`. Only call it when that
        add returned ``is_new=True``: otherwise the content belongs to an older item
        too, and removing it would take that item's audio away.
        """
        path = self._find(checked_digest(sha256))
        if path is None:
            return False
        path.unlink(missing_ok=True)
        return True

    def _commit(self, temp: Path, sha256: str, size: int, suffix: str) -> StoredMedia:
        """Give a complete temp file its final name, unless the content is there."""
        existing = self._find(sha256)
        if existing is not None:
            return StoredMedia(sha256, existing, size, is_new=False)
        shard = self.root / sha256[:2]
        shard.mkdir(exist_ok=True)
        final = shard / f"{sha256}.{suffix}"
        os.chmod(temp, _FILE_MODE)
        is_new = _place(temp, final)
        _fsync_dir(shard)
        return StoredMedia(sha256, final, size, is_new=is_new)

    def _find(self, sha256: str) -> Path | None:
        """The file for an already validated digest, trying each allowed suffix."""
        shard = self.root / sha256[:2]
        for suffix in sorted(ALLOWED_SUFFIXES):
            candidate = shard / f"{sha256}.{suffix}"
            if candidate.is_file():
                return candidate
        return None


def _copy_hashing(stream: BinaryIO, out: BinaryIO) -> tuple[str, int]:
    """Copy ``stream`` to ``out`` in chunks, hashing as we go: one read of the data."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(_CHUNK_BYTES):
        digest.update(chunk)
        out.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _checked_suffix(suffix: str) -> str:
    """Normalise ".MP3" to "mp3" and refuse anything outside the allow-list."""
    normal = suffix.lower().removeprefix(".")
    if normal not in ALLOWED_SUFFIXES:
        allowed = ", ".join(sorted(ALLOWED_SUFFIXES))
        raise ValueError(f"unsupported media suffix {suffix!r}: expected one of {allowed}")
    return normal


def checked_digest(sha256: str) -> str:
    """Only 64 lowercase hex digits may become a path: no "..", no slashes."""
    if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"not a sha256 digest (64 lowercase hex digits): {sha256!r}")
    return sha256


def _place(temp: Path, final: Path) -> bool:
    """Create ``final`` from ``temp`` atomically; False if another add got there first.

    A hard link fails if the name exists, so two imports of the same content racing
    each other cannot both be told ``is_new`` (and then both undo it). File systems
    without hard links (exFAT on a USB disk) get an atomic rename instead, where
    the loser of such a race overwrites identical bytes.
    """
    try:
        os.link(temp, final)
    except FileExistsError:
        return False
    except OSError:
        os.replace(temp, final)
    return True


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable: the directory entry must reach the disk too."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
