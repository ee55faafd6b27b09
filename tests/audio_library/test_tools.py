"""run_tool(), RunningTool and run_piped(): where a missing or failing program is turned into an error."""

from __future__ import annotations

import subprocess
import sys

import pytest

from audio_library.tools import (
    RunningTool,
    ToolFailedError,
    ToolMissingError,
    last_line,
    progress_seconds,
    run_piped,
    run_tool,
)

# Programs for the two ends of a pipe.
ENDLESS_WRITER = [sys.executable, "-c", "import sys\nwhile True: sys.stdout.write('x' * 65536)"]
UPPERCASE = [sys.executable, "-c", "import sys; print(sys.stdin.read().upper())"]
SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def failing(status: int, message: str) -> list[str]:
    return [sys.executable, "-c", f"import sys; print({message!r}, file=sys.stderr); sys.exit({status})"]


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


# --- two at once -------------------------------------------------------------------

def test_a_running_tool_never_stalls_on_its_output() -> None:
    # More than a pipe holds, on both outputs, before anyone reads them.
    script = "import sys; sys.stdout.write('o' * 1_000_000); sys.stderr.write('e' * 1_000_000)"
    with RunningTool([sys.executable, "-c", script]) as tool:
        done = tool.wait(timeout_s=60)

    assert (len(done.stdout), len(done.stderr)) == (1_000_000, 1_000_000)


def test_a_running_tool_reports_as_run_tool_does(child_processes) -> None:
    with pytest.raises(ToolFailedError, match=r"failed \(exit status 3\): boom$"):
        RunningTool(failing(3, "boom")).wait()
    assert RunningTool(failing(2, "")).wait(check=False).returncode == 2
    assert child_processes() == set()


def test_a_running_tool_past_its_time_out_is_killed(child_processes) -> None:
    with pytest.raises(subprocess.TimeoutExpired):
        RunningTool(SLEEPER).wait(timeout_s=0.1)
    assert child_processes() == set()


def test_leaving_the_block_stops_the_tool(child_processes) -> None:
    with RunningTool(SLEEPER):
        pass
    assert child_processes() == set()


def test_piped_output_reaches_the_consumer() -> None:
    produced, consumed = run_piped([sys.executable, "-c", "print('thôn')"], UPPERCASE)

    assert (produced.returncode, consumed.stdout) == (0, "THÔN\n\n")


def test_a_failing_consumer_is_the_error_and_stops_the_producer(child_processes) -> None:
    # The producer only fails on the broken pipe; the consumer's words are the ones that say why.
    with pytest.raises(ToolFailedError, match=r"failed \(exit status 4\): no room$") as err:
        run_piped(ENDLESS_WRITER, failing(4, "no room"))

    assert err.value.stderr == "no room\n"
    assert child_processes() == set()


def test_a_failing_producer_is_the_error_and_stops_the_consumer(child_processes) -> None:
    with pytest.raises(ToolFailedError, match=r"failed \(exit status 3\): bad input$"):
        run_piped(failing(3, "bad input"), [sys.executable, "-c", "import sys; sys.exit(0 if sys.stdin.read() else 5)"])
    with pytest.raises(ToolFailedError, match=r"failed \(exit status 3\): bad input$"):
        run_piped(failing(3, "bad input"), SLEEPER)  # a consumer that would never end by itself

    assert child_processes() == set()


def test_a_missing_consumer_stops_the_producer(child_processes) -> None:
    with pytest.raises(ToolMissingError, match="no-such-tool is not installed"):
        run_piped(ENDLESS_WRITER, ["no-such-tool"])

    assert child_processes() == set()


def test_a_pipe_past_its_time_out_is_killed(child_processes) -> None:
    with pytest.raises(subprocess.TimeoutExpired):
        run_piped(SLEEPER, UPPERCASE, timeout_s=0.1)

    assert child_processes() == set()
