"""Fixture audio made by the real ffmpeg, so the tests exercise the real decoders.

Helpers are fixtures (not importable functions) because sibling test folders have
their own conftest modules and no package ``__init__``.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

MakeMedia = Callable[..., Path]


def _ffmpeg(*args: str | Path) -> None:
    """Run ffmpeg quietly; a failure here is a broken fixture, not a test result."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", *map(str, args)],
        check=True,
        capture_output=True,
    )


def _tone(out: Path, *encode: str, seconds: float = 2, channels: int = 1) -> Path:
    """A 440 Hz tone of ``seconds`` at 44.1 kHz, encoded with the options ``encode``."""
    layout = "mono" if channels == 1 else "stereo"
    _ffmpeg(
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}:sample_rate=44100",
        "-af", f"aformat=channel_layouts={layout}", *encode, out,
    )
    return out


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated media shared by the whole session; tests must not modify it."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def sine_mp3(media_dir: Path) -> Path:
    """2 s mono CBR 128k MP3 with a Xing/Info header (what ffmpeg writes by default)."""
    return _tone(media_dir / "tone.mp3", "-c:a", "libmp3lame", "-b:a", "128k")


@pytest.fixture(scope="session")
def png_image(media_dir: Path) -> Path:
    """An 8x8 red PNG: a real file of a real format, with no sound in it."""
    out = media_dir / "red.png"
    _ffmpeg("-f", "lavfi", "-i", "color=c=red:s=8x8", "-frames:v", "1", out)
    return out


@pytest.fixture
def make_tone(tmp_path: Path) -> MakeMedia:
    """``make_tone("x.ogg", "-c:a", "libvorbis", seconds=2, channels=1)`` in tmp_path."""

    def make(name: str, *encode: str, seconds: float = 2, channels: int = 1) -> Path:
        return _tone(tmp_path / name, *encode, seconds=seconds, channels=channels)

    return make


@pytest.fixture
def make_media(tmp_path: Path) -> MakeMedia:
    """``make_media("x.mp4", *ffmpeg_args)``: any ffmpeg output in tmp_path."""

    def make(name: str, *args: str) -> Path:
        out = tmp_path / name
        _ffmpeg(*args, out)
        return out

    return make


@pytest.fixture
def cut(tmp_path: Path) -> MakeMedia:
    """``cut(src, "half.mp3", keep=0.5)``: the first part of a file, as an upload cut off."""

    def make(src: Path, name: str, keep: float = 0.5) -> Path:
        data = src.read_bytes()
        out = tmp_path / name
        out.write_bytes(data[: int(len(data) * keep)])
        return out

    return make


def _children() -> set[int]:
    """This test process's children still there, running or unreaped (Linux /proc)."""
    found = set()
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(status.read_text().rpartition(")")[2].split()[1])
        except (OSError, IndexError, ValueError):  # the process ended while being read
            continue
        if parent == os.getpid():
            found.add(int(status.parent.name))
    return found


@pytest.fixture
def child_processes() -> Callable[[], set[int]]:
    """``child_processes()``: the processes started since the test began that are still there, running
    or unreaped (a session's servers are left out). A tool neither waited for nor killed and reaped
    shows up here."""
    before = _children()
    return lambda: _children() - before


@pytest.fixture
def fake_ffmpeg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], None]:
    """``fake_ffmpeg(pattern, script)``: ffmpeg runs the shell ``script`` when its arguments match the
    ``case`` pattern, and is the real ffmpeg otherwise (ffprobe stays real). The script finds the
    real one in ``$REAL_FFMPEG``; it lives in ``tmp_path / "bin"``."""

    def install(pattern: str, script: str) -> None:
        fake_bin = tmp_path / "bin"
        fake_bin.mkdir(exist_ok=True)
        fake = fake_bin / "ffmpeg"
        fake.write_text(
            "#!/bin/sh\n"
            f'REAL_FFMPEG="{shutil.which("ffmpeg")}"\n'
            f'case "$*" in {pattern})\n{script}\n;;\nesac\n'
            'exec "$REAL_FFMPEG" "$@"\n'
        )
        fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
        monkeypatch.setenv("PATH", f"{fake_bin}{os.pathsep}{os.environ['PATH']}")

    return install
