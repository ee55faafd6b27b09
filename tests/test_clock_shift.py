"""The moved clock of the suite's second pass really moves, in this process and in the Python
processes it starts (tests/clock_shift/sitecustomize.py); the kernel's file times stay real."""
from __future__ import annotations

import os
import subprocess
import sys
import time

SHIFT_DAYS = int(os.environ.get("RADIO_TEST_CLOCK_SHIFT_DAYS") or 0)
DAY = 86400


def _real_now(tmp_path) -> float:
    """The kernel's clock, which time-machine cannot move: a new file's modification time."""
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    return probe.stat().st_mtime


def test_this_process_sees_the_moved_clock(tmp_path):
    seen_days = (time.time() - _real_now(tmp_path)) / DAY
    assert abs(seen_days - SHIFT_DAYS) < 0.01


def test_a_python_process_started_by_a_test_sees_the_same_moved_clock(tmp_path):
    child = subprocess.run([sys.executable, "-c", "import datetime; print(datetime.datetime.now().timestamp())"],
                           capture_output=True, text=True, check=True)
    seen_days = (float(child.stdout) - _real_now(tmp_path)) / DAY
    assert abs(seen_days - SHIFT_DAYS) < 0.01
