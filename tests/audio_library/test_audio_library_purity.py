"""The audio core stays pure, also through what it imports indirectly.

tests/test_purity.py checks each module's own import statements; this checks what
actually gets loaded.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import audio_library

FORBIDDEN = ("flask", "sqlalchemy", "radio", "alembic", "werkzeug", "huey")
PACKAGE_DIR = Path(audio_library.__file__).parent


def test_importing_the_package_loads_no_framework() -> None:
    check = (
        "import sys, audio_library; "
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]; "
        "print(','.join(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True,
        cwd=PACKAGE_DIR.parent,
    )

    assert done.stdout.strip() == ""


def test_public_names() -> None:
    assert sorted(audio_library.__all__) == [
        "ALLOWED_SUFFIXES", "AudioInfo", "CANONICAL_FORMAT", "CanonicalResult", "JoinResult", "Loudness",
        "MediaStore", "NotAudioError", "RenderResult", "StoredMedia", "ToolFailedError", "ToolMissingError",
        "join_with_jingles", "measure_loudness", "probe", "render_espeak", "render_window", "suffix_for", "to_canonical",
    ]
