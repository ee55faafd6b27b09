"""Moves this Python process's clock by RADIO_TEST_CLOCK_SHIFT_DAYS days, when it is set.

`./setup.sh test` puts this folder on PYTHONPATH for its second pass, so the test process and
every Python process it starts (the `radio` and `radio-device` commands, served apps) run as if
today were a year away, and a wall-clock read left in the code shows up as a failing test.
time-machine moves `time.time` and `datetime.now` inside Python; unlike libfaketime it leaves
the monotonic clock alone, so thread timers keep working. Programs that are not Python (ffmpeg,
chromium, PostgreSQL, mosquitto) keep the real date.
"""
import os

_days = os.environ.get("RADIO_TEST_CLOCK_SHIFT_DAYS")
if _days:
    from datetime import datetime, timedelta, timezone

    import time_machine

    time_machine.travel(datetime.now(timezone.utc) + timedelta(days=int(_days)), tick=True).start()
