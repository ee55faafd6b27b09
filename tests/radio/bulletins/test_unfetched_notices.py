"""Emergency bulletins some loudspeakers have not fetched: the issuer is told how many and where."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from radio.bulletins.delivery import record_fetched, record_played
from radio.bulletins.jobs import check_unfetched_bulletins, unfetched_bulletins
from radio.bulletins.operations import cancel_bulletin, issue_bulletin
from tests.factories import (
    create_area, create_device, create_episode, create_plan, create_series, create_station, create_tree, create_user,
)
from tests.radio.notices_kit import told  # noqa: F401 (a fixture)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ISSUED = datetime(2026, 11, 24, 4, 0, tzinfo=TZ)
LATER = ISSUED + timedelta(minutes=10)


@pytest.fixture
def world(db):
    tree = create_tree(db)
    commune = tree["TH-NT-TK"]
    station = create_station(db, commune, "st-tk")
    create_episode(db, create_series(db, create_plan(db, tree["TH-NT"], "kh-nt"), "cds"), "bt-1", duration_s=60.0)
    east = create_area(db, "TH-NT-TK-02", "village", commune, name="Thôn Đông")
    tree["TH-NT-TK-01"].name = "Thôn Tây"
    return {
        "tree": tree,
        "west": create_device(db, station, tree["TH-NT-TK-01"], "loa-01"),
        "east": create_device(db, station, east, "loa-02"),
        "east-2": create_device(db, station, east, "loa-03"),
        "elsewhere": create_device(db, create_station(db, tree["TH-TX-XA"]), tree["TH-TX-XA-01"], "loa-xa"),
        "issuer": create_user(db, "vanhoa", "oversight", tree["TH"]),
        "operator": create_user(db, "dai-tk", "operator", commune),
    }


def issue(db, world, priority="emergency"):
    return issue_bulletin(db, world["issuer"], episode="bt-1", areas=["TH-NT-TK"], priority=priority, now=ISSUED,
                          tz=TZ).bulletin


def test_due_from_exactly_m_minutes_after_issue_naming_the_devices_not_fetched(db, world):
    bulletin = issue(db, world)
    record_fetched(db, world["west"], {bulletin.id}, ISSUED + timedelta(minutes=1))
    assert unfetched_bulletins(db, LATER - timedelta(seconds=1), 10) == []
    [due] = unfetched_bulletins(db, LATER, 10)
    assert (due.bulletin, due.unfetched, due.reached, due.issuer) == (bulletin, [world["east"], world["east-2"]], 3,
                                                                      [world["issuer"]])
    assert due.villages == ["Thôn Đông"]


def test_not_due_when_every_device_fetched_or_played_it(db, world):
    bulletin = issue(db, world)
    record_fetched(db, world["west"], {bulletin.id}, ISSUED)
    record_fetched(db, world["east"], {bulletin.id}, ISSUED)
    record_played(db, world["east-2"], bulletin.id, ISSUED + timedelta(minutes=2))
    assert unfetched_bulletins(db, LATER, 10) == []


def test_not_due_once_cancelled_or_expired_nor_for_a_normal_bulletin_nor_a_retired_device(db, world):
    emergency = issue(db, world)
    assert unfetched_bulletins(db, emergency.valid_until, 10) == []
    cancel_bulletin(db, world["issuer"], emergency, ISSUED + timedelta(minutes=5))
    issue(db, world, priority="normal")
    assert unfetched_bulletins(db, LATER, 10) == []
    another = issue(db, world)
    record_fetched(db, world["west"], {another.id}, ISSUED)
    record_fetched(db, world["east"], {another.id}, ISSUED)
    world["east-2"].retired_on = date(2026, 11, 20)
    assert unfetched_bulletins(db, LATER, 10) == []


def test_the_check_tells_the_issuer_once_how_many_and_which_villages(app, db, world, told, monkeypatch):
    bulletin = issue(db, world)
    record_fetched(db, world["east"], {bulletin.id}, ISSUED)
    monkeypatch.setitem(app.config, "CLOCK", lambda: LATER)
    check_unfetched_bulletins()
    check_unfetched_bulletins()
    assert told(world["issuer"]) == [("bulletin.unfetched", f"bulletin-unfetched:{bulletin.uuid}",
                                      {"bulletin": bulletin.title, "unfetched": 2, "devices": 3,
                                       "villages": "Thôn Tây, Thôn Đông", "valid_from_at": ISSUED.isoformat()})]
    assert told(world["operator"]) == []
