"""Files written whole or not at all: a power cut on a receiver must never leave half a state
file or half a play log behind (write a temporary file, fsync, rename over, fsync the folder)."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


def write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename or a removal in `folder` survive a power cut."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_json(path: Path, value) -> None:
    write_atomic(path, json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))


def read_json(path: Path, default):
    """The file's JSON, or `default` when there is none. A file that is not JSON (a failing SD
    card) is moved aside with an error in the log rather than stopping the receiver for good:
    the server resends what it held."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (UnicodeDecodeError, ValueError) as exc:
        broken = path.with_name(path.name + ".broken")
        os.replace(path, broken)
        log.error("%s is not valid JSON (%s); moved it to %s and started afresh", path, exc, broken.name)
        return default
