"""A small world for the page tests: two communes, each with a station, an operator and a plan
with a series; an approver of the first; a schedule built for the test day."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from radio.schedule.operations import build_schedule
from tests.factories import create_area, create_episode, create_plan, create_requirement, create_series, create_station, create_user

DAY = date(2026, 11, 24)  # a Tuesday; the factories' window "sang" is 05:30–06:00
NOW = datetime(2026, 11, 24, 0, 0, tzinfo=timezone.utc)  # 07:00 in Hà Nội: the morning window is over


@pytest.fixture
def scene(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    province = create_area(db, "TH", "province")
    ours, theirs = create_area(db, "TK", "commune", province), create_area(db, "XA", "commune", province)
    world = {"ours": create_station(db, ours, "thanhky"), "theirs": create_station(db, theirs, "xuanan")}
    world["operator"] = create_user(db, "op-tk", "operator", ours)
    world["other_operator"] = create_user(db, "op-xa", "operator", theirs)
    world["approver"] = create_user(db, "duyet-tk", "approver", ours)
    for key, area in (("series", ours), ("their_series", theirs)):
        world[key] = create_series(db, create_plan(db, area, f"kh-{area.code.lower()}"), "cds")
    world["episode"] = create_episode(db, world["series"], "tin-1")
    world["their_episode"] = create_episode(db, world["their_series"], "tin-2")
    create_requirement(db, world["series"].plan, world["series"], [world["ours"]], code="daily", period="day",
                       min_airings=1, max_airings=1, days=("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
                       min_gap_days=0, date_from=DAY, date_to=DAY)
    build_schedule(db, None, DAY, DAY, now=datetime(2026, 11, 20, tzinfo=timezone.utc),
                   tz=ZoneInfo("Asia/Ho_Chi_Minh"))
    return world
