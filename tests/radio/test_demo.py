"""`radio demo` is live on any day: the seed plans' dates move to the app's today.

The run loads only the Thanh Kỳ seed (the command's --examples folder): voicing all five
plans' scripts takes minutes, one plan's a few seconds, and the date shift is the same code.
"""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from radio.demo import EXAMPLES

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.slow
@pytest.mark.parametrize("now, weeks, history", [
    (datetime(2028, 3, 14, 9, 0, tzinfo=TZ), "+71", "0"),   # Tuesday, long after the written season
    (datetime(2025, 3, 13, 9, 0, tzinfo=TZ), "-86", "2"),   # Thursday, before it, with lived weeks
])
def test_the_demo_on_a_day_far_from_the_written_season_airs_today(app, runner, monkeypatch, tmp_path, now, weeks,
                                                                  history):
    monkeypatch.setitem(app.config, "CLOCK", lambda: now)
    shutil.copy(EXAMPLES / "002-thanh-ky.yaml", tmp_path)

    loaded = runner.invoke(args=["demo", "--examples", str(tmp_path), "--history-weeks", history])
    assert loaded.exit_code == 0, loaded.output
    assert "002-thanh-ky.yaml: " in loaded.output and f"dates moved {weeks} weeks" in loaded.output

    for day in (now, now + timedelta(weeks=1), now + timedelta(weeks=4)):  # today and the weeks after
        shown = runner.invoke(args=["schedule", "show", "--station", "thanhky", "--date", f"{day:%Y-%m-%d}"])
        assert shown.exit_code == 0, shown.output
        # The plan's weekly item airs that day, voiced (a reservation would mean no content).
        assert any(" episode " in line and "tk-cds-tuan" in line for line in shown.output.splitlines()), shown.output

    # This week's days gone by hold their running order too (built as of Monday): the relay.
    monday = now - timedelta(days=now.weekday())
    shown = runner.invoke(args=["schedule", "show", "--station", "thanhky", "--date", f"{monday:%Y-%m-%d}"])
    assert any(" relay " in line for line in shown.output.splitlines()), shown.output
