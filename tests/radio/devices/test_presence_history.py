"""Offline periods written by real device calls: the periodic check opens one from the device's
last call, its next call (a 304 poll, a heartbeat, a play-log upload) closes it, and the check
returns who went silent and who came back, with the notices the operators would get."""
from __future__ import annotations

from datetime import timezone

import pytest
from sqlalchemy import select

from radio.devices.jobs import check_devices
from radio.models import Device, Notice, OfflinePeriod, User
from tests.radio.api_kit import START, api, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db
SCHEDULE = "/devices/loa-01/schedule"


def periods(api, code="loa-01"):
    with api.session() as session:
        return [(p.offline_from, p.back_at) for p in session.scalars(
            select(OfflinePeriod).join(Device).where(Device.code == code).order_by(OfflinePeriod.offline_from))]


def check(api):
    with api.app.app_context():
        changes = check_devices()
        return ([p.device.code for p in changes.went_offline], [p.device.code for p in changes.came_back])


def test_a_silent_device_gets_a_period_that_its_next_poll_closes(api):
    etag = api.get(SCHEDULE, device="loa-01").headers["ETag"]
    assert check(api) == ([], [])
    silent_at = api.clock.advance(minutes=2)
    assert check(api) == ([], []) and periods(api) == []  # two missed polls: not yet offline
    api.clock.advance(minutes=8)
    assert check(api) == (["loa-01"], [])
    assert periods(api) == [(START, None)]  # from its last call
    assert api.cli("device", "status").output.splitlines()[0].startswith("loa-01\toffline")
    back = api.clock.advance(minutes=5)
    assert api.get(SCHEDULE, device="loa-01", headers={"If-None-Match": etag}).status_code == 304
    assert periods(api) == [(START, back)]
    assert check(api) == ([], ["loa-01"])
    assert silent_at < back


def test_a_heartbeat_or_a_playlog_upload_ends_the_period_too(api):
    api.get(SCHEDULE, device="loa-01")
    api.get("/devices/loa-02/schedule", device="loa-02")
    api.clock.advance(minutes=10)
    assert check(api)[0] == ["loa-01", "loa-02"]
    back = api.clock.advance(minutes=1)
    assert api.post("/devices/loa-01/heartbeat", device="loa-01", json={"volume": 70}).status_code == 200
    assert api.post("/devices/loa-02/playlogs", device="loa-02", json=[]).status_code == 200
    assert periods(api, "loa-01") == [(START, back)] and periods(api, "loa-02") == [(START, back)]


def test_an_online_device_polling_writes_no_period(api):
    api.get(SCHEDULE, device="loa-01")
    with api.statements() as sent:
        api.clock.advance(minutes=1)
        api.get(SCHEDULE, device="loa-01")
    assert not any("device_offline_periods" in statement for statement, _ in sent)
    assert periods(api) == []


def test_a_device_never_seen_is_not_marked_offline(api):
    api.clock.advance(days=2)
    assert check(api) == ([], [])
    assert periods(api, "loa-xa") == []


def told(api, username):
    with api.session() as session:
        return [(n.kind, n.about, n.link, n.values) for n in session.scalars(
            select(Notice).join(User).where(User.username == username).order_by(Notice.id))]


def test_the_check_tells_the_stations_operators_once_gone_and_once_back(api):
    api.get(SCHEDULE, device="loa-01")
    api.clock.advance(minutes=10)
    check(api)
    check(api)  # found again: nobody is told twice
    since = START.astimezone(timezone.utc).isoformat()
    [(kind, about, link, values)] = told(api, "dai-tk")
    assert (kind, link) == ("device.offline", "/loudspeakers/station/st-tk")
    assert about.startswith("device.offline:") and about.endswith(since)
    assert values["station"] == "Đài Khu TH-NT-TK" and values["since_at"] == since and values["village"]
    assert told(api, "dai-xa") == []  # another commune's operator
    api.clock.advance(minutes=1)
    api.get(SCHEDULE, device="loa-01")
    assert check(api)[1] == ["loa-01"]
    check(api)
    assert [kind for kind, *_ in told(api, "dai-tk")] == ["device.offline", "device.back"]
    api.clock.advance(days=2)
    assert check(api) == ([], [])  # told once, within a day; long ago is not told again


def test_a_device_that_said_its_heartbeats_come_every_two_hours_is_offline_only_after_three_missed(api):
    quiet = {"contact_s": 7200}  # a receiver hearing MQTT notices: a safety poll every two hours
    assert api.post("/devices/loa-01/heartbeat", device="loa-01", json=quiet).status_code == 200
    assert api.post("/devices/loa-02/heartbeat", device="loa-02", json={}).status_code == 200
    api.clock.advance(hours=5)
    assert check(api) == (["loa-02"], [])  # the other one polls every minute: long offline
    api.clock.advance(hours=1, minutes=1)
    assert check(api) == (["loa-01", "loa-02"], [])  # both silent now (each told once: notices are idempotent)
    assert [start for start, _ in periods(api)] == [START]
    assert api.post("/devices/loa-01/heartbeat", device="loa-01", json={"contact_s": 0}).status_code == 400
