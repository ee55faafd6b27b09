"""Bulletins over real HTTP: an emergency reaches devices on their next poll (through any ETag
they hold), "poll now" notices over MQTT, who fetched and played it, and the users' API."""
from __future__ import annotations

import json
import os
import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from radio.models import Bulletin, BulletinDelivery, Device
from tests.radio.api_kit import START, api, sha256, tones  # noqa: F401 (fixtures)
from tests.radio.test_api_schedule import assert_error

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


def test_poll_now_notices_go_to_the_devices_of_the_areas(api, broker):
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
        output = api.cli("bulletin", "issue", "--episode", "ep-2", "--areas", "TH-NT-TK", "--priority", "emergency",
                         "--as", "vanhoa").output
        assert "2 devices reached; 2 poll-now notices sent" in output
        for _ in range(50):
            if len(received) >= 2:
                break
            threading.Event().wait(0.1)
    finally:
        client.loop_stop()
        client.disconnect()
    assert sorted(topic for topic, _ in received) == [f"{prefix}/devices/loa-01/poll", f"{prefix}/devices/loa-02/poll"]
    assert all(payload == {"poll": "now", "reason": "bulletin"} for _, payload in received)


def test_a_dead_broker_costs_a_warning_not_the_bulletin(api, caplog):
    api.app.config["MQTT_URL"] = "mqtt://127.0.0.1:1"  # nothing listens on port 1
    bulletin_id = issue_emergency(api, "TH-NT-TK")
    assert "MQTT poll-now notices not sent" in caplog.text
    assert [b["id"] for b in api.get("/devices/loa-01/bulletins", device="loa-01").json()["bulletins"]] == [bulletin_id]
