"""Running the external programs the audio core relies on (ffmpeg, ffprobe, espeak-ng).

Every call to an outside binary goes through :func:`run_tool` (or, for two programs
at once, :class:`RunningTool` and :func:`run_piped`), so that a missing program is
reported the same way everywhere: as :class:`ToolMissingError` telling the operator
which Debian package to install, instead of a bare ``FileNotFoundError`` that looks
like a missing *media* file.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from typing import IO

__all__ = [
    "RunningTool", "ToolFailedError", "ToolMissingError", "last_line", "progress_seconds", "run_piped", "run_tool",
]

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
    return _result(argv, done.returncode, done.stdout, done.stderr, check)


class RunningTool:
    """A program started without waiting for it, so that two can run at once (on two cores).

    Its output goes to unnamed temporary files, not pipes, so it never stalls on a full pipe
    while the caller waits for another program. :meth:`wait` collects the result as
    :func:`run_tool` returns it; :meth:`stop` (also on leaving a ``with`` block) kills it
    if it is still running. Either way the process is reaped.
    """

    def __init__(self, args: Sequence[str | os.PathLike[str]], *, stdin: int | IO[bytes] = subprocess.DEVNULL,
                 pipe_stdout: bool = False) -> None:
        """``stdin`` is a file or pipe to read (closed by default); with ``pipe_stdout`` the standard
        output is a pipe (``process.stdout``) for another program to read, instead of being kept."""
        self.argv = [os.fspath(arg) for arg in args]
        self._stdout = None if pipe_stdout else tempfile.TemporaryFile()
        self._stderr = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                self.argv, stdin=stdin, stdout=subprocess.PIPE if pipe_stdout else self._stdout, stderr=self._stderr,
            )
        except BaseException as exc:
            self._close_files()
            if isinstance(exc, FileNotFoundError):  # the only file Popen opens is the program
                raise ToolMissingError(os.path.basename(self.argv[0])) from exc
            raise

    def __enter__(self) -> RunningTool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait(self, timeout_s: float | None = DEFAULT_TIMEOUT_S, *, check: bool = True,
             ) -> subprocess.CompletedProcess[str]:
        """Wait for the program to end; as :func:`run_tool`. Past ``timeout_s`` it is killed and
        :class:`subprocess.TimeoutExpired` raised."""
        try:
            returncode = self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.stop()
            raise
        stdout = self._read(self._stdout)
        stderr = self._read(self._stderr)
        self._close_files()
        return _result(self.argv, returncode, stdout, stderr, check)

    def stop(self) -> None:
        """Kill the program if it still runs, and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._close_files()

    @staticmethod
    def _read(file: IO[bytes] | None) -> bytes:
        if file is None:
            return b""
        file.seek(0)
        return file.read()

    def _close_files(self) -> None:
        for file in (self._stdout, self._stderr):
            if file is not None:
                file.close()


def run_piped(
    producer: Sequence[str | os.PathLike[str]],
    consumer: Sequence[str | os.PathLike[str]],
    *,
    timeout_s: float | None = DEFAULT_TIMEOUT_S,
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """Run ``producer`` with its standard output piped into ``consumer``, both at once; both results.

    The pipe runs between the two processes (nothing passes through Python), so the
    consumer works on the producer's output as it comes. If either fails, the other is
    stopped and :class:`ToolFailedError` raised with the failing program's stderr: the
    producer's, unless it only failed on the broken pipe a failed consumer left behind.
    Each is waited for at most ``timeout_s``.
    """
    with RunningTool(producer, pipe_stdout=True) as first:
        with RunningTool(consumer, stdin=first.process.stdout) as second:
            first.process.stdout.close()  # the consumer holds the only read end now
            produced = first.wait(timeout_s, check=False)
            if produced.returncode != 0 and not _broken_pipe(produced):
                raise _failure(produced)  # leaving the block stops the consumer
            consumed = second.wait(timeout_s)
    if produced.returncode != 0:  # the consumer stopped reading but succeeded: its result is incomplete
        raise _failure(produced)
    return produced, consumed


def _broken_pipe(done: subprocess.CompletedProcess[str]) -> bool:
    """Whether a program failed because the program reading its output went away."""
    return done.returncode == -signal.SIGPIPE or os.strerror(errno.EPIPE) in done.stderr


def _failure(done: subprocess.CompletedProcess[str]) -> ToolFailedError:
    return ToolFailedError(os.path.basename(done.args[0]), done.returncode, done.stderr)


def _result(argv: list[str], returncode: int, stdout: bytes, stderr: bytes,
            check: bool) -> subprocess.CompletedProcess[str]:
    """The decoded result of a program; with ``check`` a non-zero exit raises :class:`ToolFailedError`."""
    result = subprocess.CompletedProcess(
        argv, returncode, stdout.decode("utf-8", errors="replace"), stderr.decode("utf-8", errors="replace"),
    )
    if check and returncode != 0:
        raise _failure(result)
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
