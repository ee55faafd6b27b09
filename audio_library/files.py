"""Writing a file so that it appears whole or not at all.

A converter killed half-way (ffmpeg crash, full disk, power cut) must not leave a
half-written MP3 under the name the library or a loudspeaker will later trust. Every
output of the audio core is therefore written to a hidden temp file in the same
folder (same file system, so the final rename is atomic) and renamed into place only
once the writer has finished without error.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_output"]


@contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """Yield a temp path beside ``out``; on success it replaces ``out``, else it is removed.

    The temp name starts with a dot and ends in ``.part`` so that folder listings and
    globs for ``*.mp3`` never pick it up. Writers must name the format explicitly
    (``ffmpeg -f mp3``) since the suffix says nothing about it.
    """
    out = Path(out)
    fd, temp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)
    temp = Path(temp_name)
    try:
        yield temp
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
