"""Reservations still without content a few days before they air: who is told, and when."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from radio.models import ScheduleEntry
from radio.schedule.jobs import check_empty_reservations, empty_reservations
from radio.schedule.operations import build_schedule, cancel_entry, fill_reservation
from tests.factories import (
    create_area, create_episode, create_plan, create_requirement, create_series, create_station, create_user,
)
from tests.radio.notices_kit import told  # noqa: F401 (a fixture)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BUILT = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(db):
    """Tuesday and Thursday airings from 24/11; only the first week has an episode, so the
    later weeks are reservations."""
    commune = create_area(db, "TK", "commune")
    station = create_station(db, commune, "thanhky")
    plan = create_plan(db, commune, "tk-2026")
    series = create_series(db, plan, "cds")
    create_requirement(db, plan, series, [station], code="tk-weekly")
    create_episode(db, series, "w48")
    build_schedule(db, None, date(2026, 11, 24), date(2026, 12, 13), now=BUILT, tz=TZ)
    elsewhere = create_area(db, "XA", "commune")
    create_station(db, elsewhere, "xa")
    reservations = db.scalars(select(ScheduleEntry).where(ScheduleEntry.kind == "reservation")
                              .order_by(ScheduleEntry.start_at)).all()
    return {"series": series, "first": reservations[0], "second": reservations[1],
            "operator": create_user(db, "op", "operator", commune),
            "other_operator": create_user(db, "op-xa", "operator", elsewhere)}


def test_a_reservation_is_due_from_exactly_n_days_before_it_airs_until_it_starts(db, world):
    first = world["first"]
    assert empty_reservations(db, first.start_at - timedelta(days=3, seconds=1), 3) == []
    due = empty_reservations(db, first.start_at - timedelta(days=3), 3)
    assert [(d.entry, d.operators) for d in due] == [(first, [world["operator"]])]
    assert empty_reservations(db, first.start_at, 3)[0].entry != first  # airing: too late to tell


def test_a_filled_or_cancelled_reservation_is_not_due(db, world):
    first, second = world["first"], world["second"]
    now = first.start_at - timedelta(days=1)
    assert [d.entry for d in empty_reservations(db, now, 7)][:2] == [first, second]
    fill_reservation(db, world["operator"], first, create_episode(db, world["series"], "w49"), TZ, now=now)
    cancel_entry(db, world["operator"], second, now=now)
    assert {first, second}.isdisjoint(d.entry for d in empty_reservations(db, now, 7))


def test_the_check_tells_the_station_operators_once_per_reservation(app, db, world, told, monkeypatch):
    first = world["first"]
    now = first.start_at - timedelta(days=3)
    monkeypatch.setitem(app.config, "CLOCK", lambda: now)
    check_empty_reservations()
    check_empty_reservations()
    assert told(world["operator"]) == [("reservation.empty", f"reservation:{first.uuid}",
                                        {"series": "Chuyên mục Chuyển đổi số", "station": "Đài Khu TK",
                                         "start_at": first.start_at.isoformat()})]
    assert told(world["other_operator"]) == []


def test_the_threshold_is_the_setting(app, db, world, told, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: world["first"].start_at - timedelta(days=5))
    monkeypatch.setitem(app.config, "NOTICE_EMPTY_RESERVATION_DAYS", 4)
    check_empty_reservations()
    assert told(world["operator"]) == []
    monkeypatch.setitem(app.config, "NOTICE_EMPTY_RESERVATION_DAYS", 5)
    check_empty_reservations()
    assert [about for _, about, _ in told(world["operator"])] == [f"reservation:{world['first'].uuid}"]
