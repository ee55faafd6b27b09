"""Hand edits beyond pin/move/cancel: adding an episode into free airtime, filling a reservation,
the free time they are offered and checked against, and `radio schedule add|fill`."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from radio.errors import Forbidden
from radio.models import AuditLog, ScheduleEntry
from radio.schedule.errors import ScheduleError
from radio.schedule.free_time import free_time
from schedules.slots import starts_that_fit
from radio.schedule.operations import add_entry, build_schedule, cancel_entry, fill_reservation, move_entry
from tests.factories import (
    create_area, create_episode, create_plan, create_requirement, create_series, create_station, create_user,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)  # Sunday 10:00 in Hà Nội
TUESDAY = date(2026, 11, 24)


@pytest.fixture
def world(app, db, monkeypatch):
    """Weekly Tuesday and Thursday airings in the 05:30–06:00 window; only week 48 has an episode,
    so later weeks wait for content."""
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    commune = create_area(db, "TK", "commune")
    station = create_station(db, commune, "thanhky")
    plan = create_plan(db, commune, "tk-2026")
    series = create_series(db, plan, "cds")
    create_requirement(db, plan, series, [station], code="tk-weekly")
    create_episode(db, series, "w48")
    build_schedule(db, None, TUESDAY, date(2026, 12, 13), now=NOW, tz=TZ)
    return {"area": commune, "station": station, "series": series,
            "operator": create_user(db, "op", "operator", commune)}


def planned(db, kind=None) -> list[ScheduleEntry]:
    query = select(ScheduleEntry).where(ScheduleEntry.status == "planned")
    if kind:
        query = query.where(ScheduleEntry.kind == kind)
    return db.scalars(query.order_by(ScheduleEntry.start_at)).all()


def local(day: date, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), TZ)


def test_free_time_leaves_out_entries_and_the_past(db, world):
    tuesday = planned(db)[0]
    assert tuesday.local_date == TUESDAY and tuesday.start_at == local(TUESDAY, 5, 30)
    free = free_time(db, world["station"], TUESDAY, TZ, NOW)
    assert [(s.start, s.end, s.window) for s in free] == [(tuesday.end_at, local(TUESDAY, 6, 0), "sang")]
    assert free_time(db, world["station"], TUESDAY, TZ, NOW, ignore=tuesday)[0].start == local(TUESDAY, 5, 30)
    half_past = datetime(2026, 11, 23, 22, 45, tzinfo=timezone.utc)  # 05:45 on Tuesday
    assert free_time(db, world["station"], TUESDAY, TZ, half_past, ignore=tuesday)[0].start == local(TUESDAY, 5, 45)
    assert free_time(db, world["station"], date(2026, 11, 29), TZ, NOW) == []  # no window on Sundays


def test_the_starts_offered_are_the_first_second_then_every_five_minutes():
    from schedules.slots import Span

    span = Span(local(TUESDAY, 5, 32, 30), local(TUESDAY, 6, 0), "sang")
    starts = [s.start.time() for s in starts_that_fit([span], timedelta(minutes=10))]
    assert starts == [time(5, 32, 30), time(5, 35), time(5, 40), time(5, 45), time(5, 50)]
    assert starts_that_fit([span], timedelta(minutes=28)) == []


def test_adding_an_episode_is_a_pinned_manual_entry_that_rebuilds_keep(db, world):
    episode = create_episode(db, world["series"], "spot", duration_s=29.4)
    entry = add_entry(db, world["operator"], world["station"], episode, datetime(2026, 11, 24, 5, 45), TZ, now=NOW)
    assert (entry.start_at, entry.end_at, entry.window_name) == (local(TUESDAY, 5, 45), local(TUESDAY, 5, 45, 30),
                                                                 "sang")
    assert (entry.origin, entry.is_pinned, entry.kind, entry.series_id) == ("manual", True, "episode",
                                                                            world["series"].id)
    build_schedule(db, None, TUESDAY, date(2026, 12, 13), now=NOW, tz=TZ)
    assert entry in planned(db)
    log = db.scalar(select(AuditLog).where(AuditLog.action == "schedule.add"))
    assert (log.actor, log.object_key, log.after["episode"]) == ("op", str(entry.uuid), "tk-2026/cds/spot")


def test_filling_a_reservation_keeps_its_identity_and_start(db, world):
    waiting = planned(db, "reservation")[0]
    uuid, start = waiting.uuid, waiting.start_at
    episode = create_episode(db, world["series"], "w50", duration_s=170.0)
    fill_reservation(db, world["operator"], waiting, episode, TZ, now=NOW)
    assert (waiting.uuid, waiting.start_at, waiting.end_at - start) == (uuid, start, timedelta(seconds=170))
    assert (waiting.kind, waiting.episode_id, waiting.title) == ("episode", episode.id, episode.title)
    with pytest.raises(ScheduleError, match="not waiting for content") as refused:
        fill_reservation(db, world["operator"], waiting, episode, TZ, now=NOW)
    assert refused.value.code == "not_reservation"


def test_hand_edits_refuse_the_past_and_strangers(db, world):
    tuesday = planned(db)[0]
    later = datetime(2026, 11, 23, 22, 31, tzinfo=timezone.utc)  # 05:31 on Tuesday: it has begun
    for edit in (lambda: cancel_entry(db, world["operator"], tuesday, now=later),
                 lambda: move_entry(db, world["operator"], tuesday, datetime(2026, 11, 26, 5, 45), TZ, now=later)):
        with pytest.raises(ScheduleError, match="has started already") as refused:
            edit()
        assert refused.value.code == "started"
    stranger = create_user(db, "other", "operator", create_area(db, "XX", "commune"))
    episode = create_episode(db, world["series"], "spot", duration_s=30.0)
    with pytest.raises(Forbidden):
        add_entry(db, stranger, world["station"], episode, datetime(2026, 11, 24, 5, 45), TZ, now=NOW)
    with pytest.raises(ScheduleError, match="in the past") as refused:
        add_entry(db, world["operator"], world["station"], episode, datetime(2026, 11, 20, 5, 45), TZ, now=NOW)
    assert refused.value.values == {"when": "20/11/2026 05:45–05:45"}
    assert tuesday.status == "planned" and db.scalars(select(ScheduleEntry).where(
        ScheduleEntry.origin == "manual")).all() == []


def test_cli_add_and_fill(runner, db, world):
    spot = create_episode(db, world["series"], "spot", duration_s=30.0)
    program = create_episode(db, world["series"], "w50", duration_s=150.0)
    waiting = planned(db, "reservation")[0]
    db.commit()
    added = runner.invoke(args=["schedule", "add", "--station", "thanhky", "--episode", "cds/spot",
                                "--at", "2026-11-24 05:50", "--as", "op"])
    assert added.exit_code == 0 and "added cds/spot at thanhky on 24/11/2026 05:50" in added.output, added.output
    filled = runner.invoke(args=["schedule", "fill", str(waiting.uuid), "--episode", "w50", "--as", "op"])
    assert filled.exit_code == 0, filled.output
    db.refresh(waiting)
    assert (waiting.kind, waiting.episode_id) == ("episode", program.id)
    assert db.scalar(select(ScheduleEntry).where(ScheduleEntry.episode_id == spot.id)).origin == "manual"
    clash = runner.invoke(args=["schedule", "add", "--station", "thanhky", "--episode", "cds/spot",
                                "--at", "2026-11-24 05:50", "--as", "op"])
    assert clash.exit_code == 1 and "overlaps entry" in clash.output
