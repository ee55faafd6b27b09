"""Play logs and heartbeats over real HTTP: nothing counted twice, every item judged on its own,
bodies checked, and devices going offline after three missed polls."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from radio.devices.presence import presence
from radio.models import Device, Episode, PlayLog
from tests.radio.api_kit import START, api, tones  # noqa: F401 (fixtures)
from tests.radio.api_kit import assert_error

pytestmark = pytest.mark.db
LOGS = "/devices/loa-01/playlogs"


@pytest.fixture(autouse=True)
def after_the_morning_window(api):
    """The logs below are of the 05:30 airing: the server's clock is past it."""
    api.clock.now = START + timedelta(hours=2)


def log(api, **fields):
    values = {"uuid": str(uuid.uuid4()), "entry_id": api.world.entries["today"],
              "started_at": "2026-11-24T05:30:00+07:00", "ended_at": "2026-11-24T05:30:03+07:00", "status": "played"}
    values.update(fields)
    return {k: v for k, v in values.items() if v is not None}


def stored_logs(api) -> int:
    with api.session() as session:
        return session.scalar(select(func.count()).select_from(PlayLog))


def test_a_batch_is_judged_item_by_item(api):
    batch = [
        log(api),                                                           # 0 stored
        log(api, entry_id=None, episode=api.world.media["ep-2"]),           # 1 unscheduled airing, stored
        log(api, entry_id=str(uuid.uuid4())),                               # 2 unknown entry
        log(api, started_at="2026-11-24T07:00:00+07:00", ended_at=None),    # 3 an hour in the future
        log(api, started_at=1732400000),                                    # 4 wrong type
        log(api, status="exploded"),                                        # 5 unknown status
        log(api, uuid=None),                                                # 6 no uuid
        "played it",                                                        # 7 not an object
        log(api, started_at="2026-11-19T05:30:00+07:00", ended_at="2026-11-19T05:33:00+07:00"),  # 8 late: stored
        log(api, entry_id=api.world.entries["xa"]),                         # 9 another station's entry
        log(api, entry_id=api.world.entries["village-02"]),                 # 10 another village's entry
        log(api, episode="kh-nt/cds/ep-1"),                                 # 11 entry and episode at once
        log(api, started_at="2026-11-24T05:30:00"),                         # 12 no UTC offset
        log(api, ended_at="2026-11-24T05:00:00+07:00"),                     # 13 ends before it starts
        log(api, started_at="2026-11-24T06:04:00+07:00", status="failed", ended_at=None),  # 14 within skew: stored
        log(api, started_at="2025-10-01T05:30:00+07:00", ended_at=None),    # 15 over 400 days old
    ]
    response = api.post(LOGS, device="loa-01", json=batch)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stored"] == [batch[i]["uuid"] for i in (0, 1, 8, 14)]
    assert body["duplicate"] == []
    reasons = {r["index"]: r["reason"] for r in body["refused"]}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 15]
    assert "unknown entry" in reasons[2] and "unknown entry" in reasons[9] and "unknown entry" in reasons[10]
    assert "in the future" in reasons[3] and "more than 400 days old" in reasons[15]
    assert "started_at: expected a string, got integer" in reasons[4]
    assert "status: expected one of" in reasons[5]
    assert "uuid: required" in reasons[6] and "expected an object, got string" in reasons[7]
    assert "exactly one of" in reasons[11] and "no UTC offset" in reasons[12] and "before started_at" in reasons[13]
    assert {r["index"]: r["uuid"] for r in body["refused"]}[2] == batch[2]["uuid"]
    assert stored_logs(api) == 4


def test_a_retried_batch_is_never_counted_twice(api):
    batch = [log(api), log(api, entry_id=api.world.entries["tomorrow"], started_at="2026-11-24T03:00:00+07:00",
                           ended_at=None, status="skipped")]
    first = api.post(LOGS, device="loa-01", json=batch).json()
    assert first["stored"] == [b["uuid"] for b in batch]
    again = api.post(LOGS, device="loa-01", json=[batch[1], log(api), batch[0], batch[0]]).json()
    assert again["duplicate"] == [batch[1]["uuid"], batch[0]["uuid"], batch[0]["uuid"]]  # in request order
    assert len(again["stored"]) == 1 and again["refused"] == []
    assert stored_logs(api) == 3
    stolen = api.post("/devices/loa-02/playlogs", device="loa-02",
                      json=[log(api, uuid=batch[0]["uuid"], entry_id=None, episode=api.world.media["ep-1"])]).json()
    assert stolen["stored"] == [] and stolen["duplicate"] == []
    assert stolen["refused"][0]["reason"] == "uuid already used by another client"


def test_unscheduled_airings_name_the_episode(api):
    batch = [log(api, entry_id=None, episode=api.world.media["ep-2"]),
             log(api, entry_id=None, episode="kh-nt/cds/ep-1", detail="phát lại theo yêu cầu"),
             log(api, entry_id=None, episode="kh-nt/cds/ep-9")]
    body = api.post(LOGS, device="loa-01", json=batch).json()
    assert body["stored"] == [batch[0]["uuid"], batch[1]["uuid"]]
    assert "unknown episode" in body["refused"][0]["reason"]
    with api.session() as session:
        rows = session.execute(select(PlayLog.entry_id, Episode.code, PlayLog.note, Device.code)
                               .join(Episode, Episode.id == PlayLog.episode_id)
                               .join(Device, Device.id == PlayLog.device_id).order_by(Episode.code)).all()
    assert rows == [(None, "ep-1", "phát lại theo yêu cầu", "loa-01"), (None, "ep-2", None, "loa-01")]


def test_scheduled_logs_keep_their_entry_and_episode(api):
    api.post(LOGS, device="loa-01", json=[log(api)])
    with api.session() as session:
        row = session.scalar(select(PlayLog))
        assert row.entry_id is not None and row.episode_id is not None and row.device_id is not None
        assert row.started_at == START + timedelta(hours=1, minutes=30)


def test_bodies_are_checked_and_errors_are_json(api):
    assert_error(api.post(LOGS, device="loa-01", data=b"[{\"uuid\": ", headers={"Content-Type": "application/json"}),
                 400, "bad_json")
    assert_error(api.post(LOGS, device="loa-01", data=b""), 400, "bad_json")
    assert_error(api.post(LOGS, device="loa-01", data=b"\xff\xfe"), 400, "bad_json")
    assert_error(api.post(LOGS, device="loa-01", data=b"[NaN]"), 400, "bad_json")
    assert_error(api.post(LOGS, device="loa-01", json={"uuid": "x"}), 400, "invalid")
    assert_error(api.post(LOGS, device="loa-01", data=b"[" * 50_000), 400, "bad_json")
    far = api.post(LOGS, device="loa-01", json=[log(api, started_at="0001-01-01T00:00:00+07:00")]).json()
    assert "out of range" in far["refused"][0]["reason"]
    nul = api.post(LOGS, device="loa-01", json=[log(api, entry_id=None, episode="kh-nt/cds/ep\u0000"),
                                                log(api, detail="\ud800")]).json()  # PostgreSQL holds neither
    assert [r["reason"] for r in nul["refused"]] == ["episode: contains a NUL character or invalid Unicode",
                                                    "detail: contains a NUL character or invalid Unicode"]
    assert_error(api.login("dai-tk").get(api.url("/stations/st%00tk/devices")), 404)
    big = [log(api, detail="x" * 1900) for _ in range(200)]  # about 400 KB
    assert_error(api.post(LOGS, device="loa-01", json=big), 413)
    assert_error(api.post(LOGS, device="loa-01", json=[{}] * 1001), 413, "too_many")
    assert stored_logs(api) == 0


def test_a_heartbeat_is_stored_with_the_devices_clock_offset(api):
    report = {"now_playing": {"id": api.world.entries["today"], "title": "Bản tin", "position_s": 12.5},
              "volume": 80, "free_disk_bytes": 2_000_000_000, "cached_items": 7, "firmware": "loa-2.3.1",
              "device_time": "2026-11-24T06:00:42+07:00"}
    response = api.post("/devices/loa-01/heartbeat", device="loa-01", json=report)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["device"], body["status"], body["poll_seconds"]) == ("loa-01", "online", 60)
    assert body["server_time"] == "2026-11-24T06:00:00+07:00"
    with api.session() as session:
        device = session.scalar(select(Device).where(Device.code == "loa-01"))
        assert device.heartbeat["clock_offset_s"] == 42 and device.heartbeat["volume"] == 80
        assert device.heartbeat["now_playing"]["title"] == "Bản tin"
        assert device.heartbeat_at == START + timedelta(hours=2)


def test_a_heartbeat_keeps_what_the_receiver_says_of_itself(api):
    error = {"at": "2026-11-24T05:30:00+07:00", "code": "player_failed",
             "message": "Bản tin: mpv exited with 2: Failed to recognize file"}
    report = {"uptime_s": 86400, "player_running": False, "last_error": error,
              "network": {"type": "wifi", "signal_dbm": -67}}
    assert api.post("/devices/loa-01/heartbeat", device="loa-01", json=report).status_code == 200
    api.post("/devices/loa-02/heartbeat", device="loa-02", json={"network": {"type": "cellular"}, "uptime_s": 0})
    with api.session() as session:
        stored = dict(session.execute(select(Device.code, Device.heartbeat).where(Device.code.like("loa-0%"))).all())
    assert stored["loa-01"] == report
    assert stored["loa-02"] == {"network": {"type": "cellular"}, "uptime_s": 0}  # what was not said stays absent
    listed = api.login("dai-tk").get(api.url("/stations/st-tk/devices")).json()["devices"]
    assert [d["heartbeat"] for d in listed if d["device"] == "loa-01"] == [report]


@pytest.mark.parametrize("report, field", [
    ({"volume": "loud"}, "volume"), ({"volume": 101}, "volume"), ({"volume": True}, "volume"),
    ({"free_disk_bytes": -1}, "free_disk_bytes"), ({"firmware": 2}, "firmware"),
    ({"now_playing": "x"}, "now_playing"), ({"now_playing": {"title": 5}}, "now_playing.title"),
    ({"device_time": "yesterday"}, "device_time"), ([], "the body"),
    ({"uptime_s": -1}, "uptime_s"), ({"uptime_s": 1.5}, "uptime_s"), ({"uptime_s": 10**11}, "uptime_s"),
    ({"player_running": 1}, "player_running"), ({"player_running": "yes"}, "player_running"),
    ({"last_error": "mpv failed"}, "last_error"), ({"last_error": {"at": "2026-11-24T05:30:00+07:00"}},
                                                   "last_error.message: required"),
    ({"last_error": {"at": "2026-11-24T05:30:00", "message": "x"}}, "last_error.at"),
    ({"last_error": {"at": "2026-11-24T05:30:00+07:00", "message": "x" * 301}}, "last_error.message: at most 300"),
    ({"last_error": {"at": "2026-11-24T05:30:00+07:00", "message": " "}}, "last_error.message: must not be empty"),
    ({"last_error": {"at": "2026-11-24T05:30:00+07:00", "message": "x", "code": "Player Failed"}}, "last_error.code"),
    ({"last_error": {"at": "2026-11-24T05:30:00+07:00", "message": "x", "code": "player_failed\n"}},
     "last_error.code"),
    ({"last_error": {"at": "2026-11-24T05:30:00+07:00", "message": "x", "code": "a" * 41}},
     "last_error.code: at most 40"),
    ({"last_error": {"at": "2026-11-24T05:30:00+07:00", "message": "x", "code": 3}}, "last_error.code"),
    ({"network": "wifi"}, "network"), ({"network": {}}, "network.type: required"),
    ({"network": {"type": "5g"}}, "network.type: expected one of ethernet, wifi, cellular, other"),
    ({"network": {"type": "wifi", "signal_dbm": 10}}, "network.signal_dbm: expected -150 to 0"),
    ({"network": {"type": "wifi", "signal_dbm": "-60"}}, "network.signal_dbm"),
])
def test_a_heartbeat_with_wrong_types_is_400_naming_the_field(api, report, field):
    body = assert_error(api.post("/devices/loa-01/heartbeat", device="loa-01", json=report), 400)
    assert body["message"].startswith(field)


def test_a_device_is_offline_after_three_missed_polls(api):
    api.post("/devices/loa-01/heartbeat", device="loa-01", json={})
    states = api.login("dai-tk")
    devices = {d["device"]: d for d in states.get(api.url("/stations/st-tk/devices")).json()["devices"]}
    assert devices["loa-01"]["status"] == "online" and devices["loa-02"]["status"] == "never_seen"
    api.clock.advance(seconds=3 * 60)  # three polls missed only just: still online
    listed = states.get(api.url("/stations/st-tk/devices")).json()["devices"]
    assert [d["status"] for d in listed if d["device"] == "loa-01"] == ["online"]
    api.clock.advance(seconds=1)
    listed = states.get(api.url("/stations/st-tk/devices")).json()["devices"]
    assert [d["status"] for d in listed if d["device"] == "loa-01"] == ["offline"]
    result = api.cli("device", "status", "--station", "st-tk")
    assert result.exit_code == 0 and "loa-01\toffline (now offline)" in result.output
    with api.session() as session:
        device = session.scalar(select(Device).where(Device.code == "loa-01"))
        assert device.status == "offline"
        assert presence(device, device.last_seen_at + timedelta(seconds=180), 60) == "online"
    api.get("/devices/loa-01/bulletins", device="loa-01")  # any poll brings it back
    with api.session() as session:
        assert session.scalar(select(Device.status).where(Device.code == "loa-01")) == "online"


def test_device_lists_are_for_the_stations_users_only(api):
    assert_error(api.get("/stations/st-tk/devices"), 401)
    assert_error(api.login("dai-xa").get(api.url("/stations/st-tk/devices")), 403)
    assert_error(api.login("dai-tk").get(api.url("/stations/nowhere/devices")), 404)


def test_devices_posting_and_polling_at_once_never_get_a_500(api):
    """SQLite fails a transaction that read and then writes while another writes ("database is
    locked"); devices polling and posting together must still all be answered."""
    from concurrent.futures import ThreadPoolExecutor

    devices = ["loa-01", "loa-02", "loa-xa"]

    def work(n: int) -> int:
        device = devices[n % 3]
        if n % 2:
            return api.post(f"/devices/{device}/playlogs", device=device,
                            json=[log(api, entry_id=None, episode=api.world.media["ep-1"])]).status_code
        return api.get(f"/devices/{device}/schedule", device=device).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(work, range(120)))
    assert set(statuses) == {200}
    assert stored_logs(api) == 60
