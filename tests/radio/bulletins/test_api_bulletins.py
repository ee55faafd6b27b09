"""Bulletins over real HTTP: an emergency reaches devices on their next poll (through any ETag
they hold, whatever moment it is issued at), "poll now" notices over MQTT, who fetched and
played it, a busy database that never withholds it, and the users' API."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import make_url

from radio import db
from radio.bulletins.operations import issue_bulletin
from radio.db import make_engine
from radio.models import Bulletin, BulletinDelivery, Device, User
from tests.radio.api_kit import START, TZ, api, sha256, tones  # noqa: F401 (fixtures)
from tests.radio.api_kit import assert_error

pytestmark = pytest.mark.db
MQTT_HOST, MQTT_PORT = "127.0.0.1", 1883


def issue_emergency(api, *areas, actor="vanhoa"):
    result = api.cli("bulletin", "issue", "--episode", "ep-2", "--areas", *areas, "--priority", "emergency",
                     "--as", actor)
    assert result.exit_code == 0, result.output
    return result.output.split()[1]  # "bulletin <uuid> (emergency) …"


def test_an_emergency_bulletin_is_on_the_next_poll_of_every_device_below(api):
    schedule = api.get("/devices/loa-01/schedule", device="loa-01")
    light = api.get("/devices/loa-01/bulletins", device="loa-01")
    assert light.json()["bulletins"] == []
    held = {"schedule": schedule.headers["ETag"], "bulletins": light.headers["ETag"]}
    assert api.get("/devices/loa-01/bulletins", device="loa-01",
                   headers={"If-None-Match": held["bulletins"]}).status_code == 304
    bulletin_id = issue_emergency(api, "TH-NT-TK")
    api.clock.advance(seconds=30)
    for path in ("schedule", "bulletins"):
        response = api.get(f"/devices/loa-01/{path}", device="loa-01", headers={"If-None-Match": held[path]})
        assert response.status_code == 200, path
        [sent] = response.json()["bulletins"]
        assert (sent["id"], sent["priority"], sent["play"]) == (bulletin_id, "emergency", "immediately")
        assert sent["valid_until"] == "2026-11-24T06:00:00+07:00"
        assert sent["media"]["sha256"] == api.world.media["ep-2"]
    audio = api.get(sent["media"]["url"], device="loa-01")
    assert sha256(audio.content) == api.world.media["ep-2"]  # a bulletin's audio is the device's to fetch
    assert [b["id"] for b in api.get("/devices/loa-02/bulletins", device="loa-02").json()["bulletins"]] == [bulletin_id]
    assert api.get("/devices/loa-xa/bulletins", device="loa-xa").json()["bulletins"] == []


def test_the_server_records_who_fetched_and_who_played_it(api):
    bulletin_id = issue_emergency(api, "TH-NT-TK-01")
    api.get("/devices/loa-01/bulletins", device="loa-01")
    api.clock.advance(minutes=1)
    log = {"uuid": str(uuid.uuid4()), "bulletin": bulletin_id, "started_at": api.clock.now.isoformat(),
           "status": "played"}
    assert api.post("/devices/loa-01/playlogs", device="loa-01", json=[log]).json()["stored"] == [log["uuid"]]
    refused = api.post("/devices/loa-02/playlogs", device="loa-02", json=[{**log, "uuid": str(uuid.uuid4())}]).json()
    assert "unknown bulletin" in refused["refused"][0]["reason"]  # not issued to loa-02's village
    with api.session() as session:
        rows = session.execute(select(Device.code, BulletinDelivery.fetched_at, BulletinDelivery.played_at)
                               .join(Device, Device.id == BulletinDelivery.device_id)).all()
    assert rows == [("loa-01", START, START + timedelta(minutes=1))]
    shown = api.cli("bulletin", "show", bulletin_id)
    assert "device loa-01: fetched 24/11/2026 04:00, played 24/11/2026 04:01" in shown.output
    viewer = api.login("vanhoa")
    body = viewer.get(api.url(f"/bulletins/{bulletin_id}")).json()
    assert body["deliveries"] == [{"device": "loa-01", "fetched_at": "2026-11-24T04:00:00+07:00",
                                   "played_at": "2026-11-24T04:01:00+07:00"}]
    assert_error(api.login("dai-xa").get(api.url(f"/bulletins/{bulletin_id}")), 403)
    assert_error(viewer.get(api.url(f"/bulletins/{uuid.uuid4()}")), 404)


def test_a_cancelled_or_expired_emergency_disappears_on_the_next_poll(api):
    bulletin_id = issue_emergency(api, "TH-NT")
    etag = api.get("/devices/loa-01/bulletins", device="loa-01").headers["ETag"]
    assert "rights on TH-NT are needed" in api.cli("bulletin", "cancel", bulletin_id, "--as", "dai-tk").output
    assert api.cli("bulletin", "cancel", bulletin_id, "--as", "vanhoa").exit_code == 0
    after = api.get("/devices/loa-01/bulletins", device="loa-01", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.json()["bulletins"] == []
    issue_emergency(api, "TH-NT")
    assert len(api.get("/devices/loa-01/schedule", device="loa-01").json()["bulletins"]) == 1
    api.clock.advance(hours=2)
    assert api.get("/devices/loa-01/schedule", device="loa-01").json()["bulletins"] == []


def test_users_issue_and_cancel_bulletins_through_the_api_with_csrf(api):
    operator = api.login("dai-tk")
    payload = {"episode": "kh-nt/cds/ep-1", "areas": ["TH-NT-TK"], "priority": "priority",
               "valid_until": "2026-11-24T18:00:00+07:00"}
    response = operator.post(api.url("/bulletins"), json=payload)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["priority"] == "priority" and body["areas"] == ["TH-NT-TK"]
    assert [e["start"] for e in body["entries"]] == ["2026-11-24T05:30:03+07:00"]  # right after the 3 s item
    items = api.get("/devices/loa-01/schedule", device="loa-01").json()["items"]
    [placed] = [i for i in items if i["bulletin"] == body["id"]]
    assert (placed["kind"], placed["priority"], placed["id"]) == ("bulletin", "priority", body["entries"][0]["id"])
    api.clock.advance(hours=2)  # it aired: the device says so, naming the schedule entry
    log = {"uuid": str(uuid.uuid4()), "entry_id": placed["id"], "started_at": placed["start"], "status": "played"}
    assert api.post("/devices/loa-01/playlogs", device="loa-01", json=[log]).json()["stored"] == [log["uuid"]]
    deliveries = operator.get(api.url(f"/bulletins/{body['id']}")).json()["deliveries"]
    assert deliveries == [{"device": "loa-01", "fetched_at": "2026-11-24T04:00:00+07:00",
                           "played_at": "2026-11-24T05:30:03+07:00"}]
    api.clock.advance(hours=-2)
    no_csrf = operator.post(api.url("/bulletins"), json=payload, headers={"X-CSRFToken": "forged"})
    assert_error(no_csrf, 403)
    assert_error(api.login("dai-xa").post(api.url("/bulletins"), json=payload), 403)
    assert_error(api.post("/bulletins", json=payload), 401)
    assert_error(api.post("/bulletins", device="loa-01", json=payload), 401)  # devices do not issue
    assert_error(operator.post(api.url("/bulletins"), json={**payload, "episode": "nope"}), 422, "refused")
    assert_error(operator.post(api.url("/bulletins"), json={**payload, "areas": "TH-NT-TK"}), 400)
    cancelled = operator.post(api.url(f"/bulletins/{body['id']}/cancel"))
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_at"] == "2026-11-24T04:00:00+07:00"
    assert_error(operator.post(api.url(f"/bulletins/{body['id']}/cancel")), 409)
    with api.session() as session:
        assert session.scalar(select(Bulletin.cancelled_at)) is not None


@pytest.fixture
def broker():
    """Mosquitto on loopback, or a skip (CI=true makes it a failure)."""
    mqtt = pytest.importorskip("paho.mqtt.client")
    import socket

    try:
        socket.create_connection((MQTT_HOST, MQTT_PORT), timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"no MQTT broker at {MQTT_HOST}:{MQTT_PORT}")
        pytest.skip(f"no MQTT broker at {MQTT_HOST}:{MQTT_PORT}")
    return mqtt


@contextmanager
def poll_notices(api, broker):
    """The app's poll-now notices, as a subscriber on the broker receives them (a list that fills)."""
    prefix = f"radio-test-{uuid.uuid4().hex[:8]}"
    api.app.config.update(MQTT_URL=f"mqtt://{MQTT_HOST}:{MQTT_PORT}", MQTT_TOPIC_PREFIX=prefix)
    received, subscribed = [], threading.Event()
    client = broker.Client(broker.CallbackAPIVersion.VERSION2)
    client.on_subscribe = lambda *args: subscribed.set()
    client.on_message = lambda _c, _u, message: received.append((message.topic, json.loads(message.payload)))
    client.connect(MQTT_HOST, MQTT_PORT)
    client.subscribe(f"{prefix}/devices/+/poll", qos=1)
    client.loop_start()
    try:
        assert subscribed.wait(5)
        yield prefix, received
    finally:
        client.loop_stop()
        client.disconnect()


def wait_for(received: list, count: int) -> None:
    for _ in range(50):
        if len(received) >= count:
            break
        threading.Event().wait(0.1)


def test_poll_now_notices_go_to_the_devices_of_the_areas(api, broker):
    with poll_notices(api, broker) as (prefix, received):
        output = api.cli("bulletin", "issue", "--episode", "ep-2", "--areas", "TH-NT-TK", "--priority", "emergency",
                         "--as", "vanhoa").output
        assert "2 devices reached; 2 poll-now notices sent" in output  # a command waits for the broker
        wait_for(received, 2)
    assert sorted(topic for topic, _ in received) == [f"{prefix}/devices/loa-01/poll", f"{prefix}/devices/loa-02/poll"]
    assert all(payload == {"poll": "now", "reason": "bulletin"} for _, payload in received)


def test_a_bulletin_issued_through_the_api_tells_the_devices_after_answering(api, broker):
    with poll_notices(api, broker) as (prefix, received):
        payload = {"episode": "kh-nt/cds/ep-2", "areas": ["TH-NT-TK"], "priority": "emergency"}
        response = api.login("vanhoa").post(api.url("/bulletins"), json=payload)
        assert response.status_code == 201, response.text
        wait_for(received, 2)  # published once the answer has gone (the request never waits for the broker)
    assert sorted(topic for topic, _ in received) == [f"{prefix}/devices/loa-01/poll", f"{prefix}/devices/loa-02/poll"]


def test_a_dead_broker_costs_a_warning_not_the_bulletin(api, caplog):
    api.app.config["MQTT_URL"] = "mqtt://127.0.0.1:1"  # nothing listens on port 1
    bulletin_id = issue_emergency(api, "TH-NT-TK")
    assert "MQTT poll-now notices not sent" in caplog.text
    assert [b["id"] for b in api.get("/devices/loa-01/bulletins", device="loa-01").json()["bulletins"]] == [bulletin_id]


def bulletins_poll(api, etag: str | None = None, device: str = "loa-01"):
    return api.get(f"/devices/{device}/bulletins", device=device, headers={"If-None-Match": etag} if etag else {})


def test_every_change_of_the_emergency_set_moves_the_bulletins_etag_and_nothing_else_does(api):
    empty = bulletins_poll(api).headers["ETag"]
    first = issue_emergency(api, "TH-NT-TK")  # the commune above loa-01's village
    response = bulletins_poll(api, empty)
    assert response.status_code == 200 and [b["id"] for b in response.json()["bulletins"]] == [first]
    held = response.headers["ETag"]
    assert held != empty and bulletins_poll(api, held).status_code == 304
    issue_emergency(api, "TH-TX-XA", actor="dai-xa")  # another commune's: not loa-01's to play
    assert bulletins_poll(api, held).status_code == 304
    later = api.cli("bulletin", "issue", "--episode", "ep-1", "--areas", "TH-NT-TK-01", "--priority", "emergency",
                    "--from", "2026-11-24 04:10", "--until", "2026-11-24 04:40", "--as", "vanhoa")
    assert later.exit_code == 0, later.output
    second = later.output.split()[1]
    assert bulletins_poll(api, held).status_code == 304  # not valid before 04:10
    api.clock.advance(minutes=10)
    response = bulletins_poll(api, held)
    assert response.status_code == 200
    assert [b["id"] for b in response.json()["bulletins"]] == [first, second]  # oldest first
    held = response.headers["ETag"]
    assert bulletins_poll(api, held).status_code == 304  # two bulletins: the same digest both ways
    with api.session() as session:
        session.scalar(select(Bulletin).where(Bulletin.uuid == uuid.UUID(first))).episode.media_sha256 = \
            api.world.media["ep-3"]  # its episode re-voiced: same bulletin, new audio
        session.commit()
    response = bulletins_poll(api, held)
    assert response.status_code == 200 and response.json()["bulletins"][0]["media"]["sha256"] == api.world.media["ep-3"]
    held = response.headers["ETag"]
    assert api.cli("bulletin", "cancel", first, "--as", "vanhoa").exit_code == 0
    response = bulletins_poll(api, held)
    assert response.status_code == 200 and [b["id"] for b in response.json()["bulletins"]] == [second]
    held = response.headers["ETag"]
    api.clock.advance(minutes=30)  # 04:40: the second has expired
    response = bulletins_poll(api, held)
    assert response.status_code == 200 and response.json()["bulletins"] == []
    assert response.headers["ETag"] == empty  # one ETag, one body
    assert bulletins_poll(api, empty).status_code == 304


@pytest.mark.parametrize("path", ["schedule", "bulletins"])
def test_a_full_answers_etag_is_made_of_the_bulletins_it_sends(api, path):
    """An emergency issued between the poll's first read and the full answer's reads is in the
    answer: its ETag must say so, or the device would keep it behind a 304 once it is cancelled."""
    empty = api.get(f"/devices/loa-01/{path}", device="loa-01").headers["ETag"]
    engine, issued = api.app.extensions["radio.engine"], []

    def issue_in_between(_connection, _cursor, statement, *_):
        if issued or "token_hash" in statement:  # once, right after the poll's read
            return
        issued.append("issuing")
        with api.app.app_context():  # a session and connection of its own, committed at once
            session = db.session()
            actor = session.scalar(select(User).where(User.username == "vanhoa"))
            result = issue_bulletin(session, actor, episode="ep-2", areas=["TH-NT-TK-01"], priority="emergency",
                                    now=api.clock.now, tz=TZ)
            session.commit()
            issued[0] = str(result.bulletin.uuid)

    event.listen(engine, "before_cursor_execute", issue_in_between)
    try:
        response = api.get(f"/devices/loa-01/{path}", device="loa-01", headers={"If-None-Match": '"stale"'})
    finally:
        event.remove(engine, "before_cursor_execute", issue_in_between)
    assert [b["id"] for b in response.json()["bulletins"]] == issued != ["issuing"]
    held = response.headers["ETag"]
    assert held != empty and api.get(f"/devices/loa-01/{path}", device="loa-01",
                                     headers={"If-None-Match": held}).status_code == 304
    assert api.cli("bulletin", "cancel", issued[0], "--as", "vanhoa").exit_code == 0
    gone = api.get(f"/devices/loa-01/{path}", device="loa-01", headers={"If-None-Match": held})
    assert gone.status_code == 200 and gone.json()["bulletins"] == []


@contextmanager
def writes_held_up(api):
    """Another connection holds what a device's write needs: the write lock (SQLite) or the
    devices' rows (PostgreSQL). The app gives up after 50 ms instead of its usual wait (10 s on
    SQLite, no limit on PostgreSQL), so the refusal comes quickly; it is the same refusal."""
    engine, url = api.app.extensions["radio.engine"], api.app.config["DATABASE_URL"]
    sqlite = engine.dialect.name == "sqlite"

    def patient_briefly(dbapi, _record):
        if sqlite:
            dbapi.execute("PRAGMA busy_timeout=50")
        else:
            dbapi.autocommit = True  # a session setting, outside any transaction
            dbapi.execute("SET lock_timeout = '50ms'")
            dbapi.autocommit = False

    event.listen(engine, "connect", patient_briefly)
    engine.dispose()  # pooled connections reconnect, and take the short wait
    try:
        if sqlite:
            holder = sqlite3.connect(make_url(url).database, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                holder.rollback()
                holder.close()
        else:
            other = make_engine(url)
            try:
                with other.connect() as connection:
                    connection.exec_driver_sql("SELECT id FROM devices FOR UPDATE")
                    yield
                    connection.rollback()
            finally:
                other.dispose()
    finally:
        event.remove(engine, "connect", patient_briefly)
        engine.dispose()


def test_a_write_the_database_holds_up_never_costs_a_device_its_answer(api, caplog):
    empty = bulletins_poll(api).headers["ETag"]
    bulletin_id = issue_emergency(api, "TH-NT-TK")
    held = bulletins_poll(api, device="loa-02").headers["ETag"]  # loa-02 has it; loa-01 not yet
    api.clock.advance(seconds=40)  # last seen is due again for both
    with writes_held_up(api):
        response = bulletins_poll(api, empty)
        assert response.status_code == 200 and [b["id"] for b in response.json()["bulletins"]] == [bulletin_id]
        assert "ETag" not in response.headers  # its fetch is not recorded: the next poll answers in full again
        assert bulletins_poll(api, held, device="loa-02").status_code == 304  # not a 500 over last seen
    for device in ("loa-01", "loa-02"):
        assert f"device {device}: last seen and bulletins fetched not written, answered anyway" in caplog.text
    with api.session() as session:
        fetched = select(Device.code, BulletinDelivery.fetched_at).join(Device, Device.id == BulletinDelivery.device_id)
        assert session.execute(fetched).all() == [("loa-02", START)]
        assert set(session.scalars(select(Device.last_seen_at).where(Device.code != "loa-xa"))) == {START}
    retried = bulletins_poll(api)
    assert retried.status_code == 200 and "ETag" in retried.headers
    with api.session() as session:
        assert sorted(session.execute(fetched).all()) == [("loa-01", api.clock.now), ("loa-02", START)]
        assert session.scalar(select(Device.last_seen_at).where(Device.code == "loa-01")) == api.clock.now
    assert bulletins_poll(api, retried.headers["ETag"]).status_code == 304
