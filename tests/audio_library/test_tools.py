"""run_tool(): one place where a missing or failing program is turned into an error."""

from __future__ import annotations

import sys

import pytest

from audio_library.tools import ToolFailedError, ToolMissingError, last_line, progress_seconds, run_tool


def test_output_is_captured_and_decoded() -> None:
    done = run_tool([sys.executable, "-c", "import sys; print(sys.stdin.read().upper())"], stdin="thôn".encode())

    assert done.stdout == "THÔN\n"


def test_stdin_is_closed_when_not_given() -> None:
    done = run_tool([sys.executable, "-c", "import sys; print(repr(sys.stdin.read()))"])

    assert done.stdout == "''\n"


def test_non_zero_exit_raises_with_the_last_stderr_line() -> None:
    script = "import sys; print('warming up', file=sys.stderr); print('boom', file=sys.stderr); sys.exit(3)"

    with pytest.raises(ToolFailedError) as err:
        run_tool([sys.executable, "-c", script])

    assert err.value.returncode == 3
    assert str(err.value).endswith("failed (exit status 3): boom")
    assert "warming up" in err.value.stderr


def test_check_false_returns_the_failure() -> None:
    assert run_tool([sys.executable, "-c", "raise SystemExit(2)"], check=False).returncode == 2


@pytest.mark.parametrize(
    ("tool", "message"),
    [
        ("ffmpeg", "ffmpeg is not installed: apt-get install ffmpeg"),
        ("ffprobe", "ffmpeg is not installed: apt-get install ffmpeg"),
        ("espeak-ng", "espeak-ng is not installed: apt-get install espeak-ng"),
        ("no-such-tool", "no-such-tool is not installed: apt-get install no-such-tool"),
    ],
)
def test_missing_program(tool: str, message: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(ToolMissingError) as err:
        run_tool([tool, "-version"])

    assert str(err.value) == message
    assert err.value.tool == tool


@pytest.mark.parametrize(
    ("stderr", "line"),
    [
        ("", ""),
        ("\n  \n", ""),
        ("[mp3float @ 0x55d1c0a3e4c0] Header missing\n", "Header missing"),
        ("first\n[flac @ 0x1] invalid residual\nlast one\n\n", "last one"),
    ],
)
def test_last_line(stderr: str, line: str) -> None:
    assert last_line(stderr) == line


@pytest.mark.parametrize(
    ("progress", "seconds"),
    [
        ("", 0.0),
        ("out_time_us=N/A\nprogress=end\n", 0.0),
        ("out_time_us=1000000\nprogress=continue\nout_time_us=2500000\nprogress=end\n", 2.5),
        ("out_time_us=-23220\nprogress=end\n", 0.0),
    ],
)
def test_progress_seconds(progress: str, seconds: float) -> None:
    assert progress_seconds(progress) == seconds
