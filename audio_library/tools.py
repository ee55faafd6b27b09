"""Running the external programs the audio core relies on (ffmpeg, ffprobe, espeak-ng).

Every call to an outside binary goes through :func:`run_tool`, so that a missing
program is reported the same way everywhere: as :class:`ToolMissingError` telling the
operator which Debian package to install, instead of a bare ``FileNotFoundError``
that looks like a missing *media* file.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence

__all__ = ["ToolFailedError", "ToolMissingError", "last_line", "progress_seconds", "run_tool"]

# Binary name -> the Debian package that provides it (ffprobe ships inside ffmpeg).
_PACKAGES = {"ffmpeg": "ffmpeg", "ffprobe": "ffmpeg", "espeak-ng": "espeak-ng"}

DEFAULT_TIMEOUT_S = 600.0

# ffmpeg prefixes log lines with the emitting component and a memory address,
# "[mp3float @ 0x55d1c0a3e4c0] Header missing": noise in a message for people.
_LOG_PREFIX = re.compile(r"^\[[^\]]* @ 0x[0-9a-fA-F]+\]\s*")


class ToolMissingError(RuntimeError):
    """An external program is not installed; the message says how to install it."""

    def __init__(self, tool: str) -> None:
        package = _PACKAGES.get(tool, tool)
        super().__init__(f"{package} is not installed: apt-get install {package}")
        self.tool = tool
        self.package = package


class ToolFailedError(RuntimeError):
    """An external program ran but exited non-zero; keeps its stderr for the log."""

    def __init__(self, tool: str, returncode: int, stderr: str) -> None:
        detail = last_line(stderr) or "no error output"
        super().__init__(f"{tool} failed (exit status {returncode}): {detail}")
        self.tool = tool
        self.returncode = returncode
        self.stderr = stderr


def run_tool(
    args: Sequence[str | os.PathLike[str]],
    *,
    stdin: bytes | None = None,
    check: bool = True,
    timeout_s: float | None = DEFAULT_TIMEOUT_S,
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` without a shell and return its captured, UTF-8 decoded output.

    Arguments are passed as a list, never through a shell, so file names and user
    text cannot be interpreted as commands. ``stdin`` (bytes) is fed to the program;
    otherwise stdin is closed so a tool can never hang waiting for a terminal.
    With ``check`` a non-zero exit raises :class:`ToolFailedError`; callers that
    want to interpret failures themselves (``probe``) pass ``check=False``.
    """
    argv = [os.fspath(arg) for arg in args]
    try:
        done = subprocess.run(
            argv,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except FileNotFoundError as exc:  # the only file run() opens is the program
        raise ToolMissingError(os.path.basename(argv[0])) from exc
    result = subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
    )
    if check and result.returncode != 0:
        raise ToolFailedError(os.path.basename(argv[0]), result.returncode, result.stderr)
    return result


def last_line(text: str) -> str:
    """The last non-blank line of a tool's stderr: usually the one naming the error."""
    lines = [_LOG_PREFIX.sub("", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    return lines[-1] if lines else ""


def progress_seconds(progress: str) -> float:
    """How much audio ffmpeg produced, from its ``-progress`` report (0 if none).

    The last ``out_time_us`` is the decoded duration, which is what will play; the
    duration a header claims can be wrong (see :mod:`audio_library.probe`).
    """
    values = [
        line.partition("=")[2].strip() for line in progress.splitlines()
        if line.startswith("out_time_us=")
    ]
    if not values or not values[-1].lstrip("-").isdigit():
        return 0.0
    return max(int(values[-1]) / 1_000_000, 0.0)
