"""The play-log intake through the real broker (mosquitto on loopback): the heartbeat offers it,
sealed batches of many devices are stored together and acknowledged on each device's topic, judged
as POST /playlogs judges them; forged messages are stored nowhere and acknowledged to nobody."""
from __future__ import annotations

import queue
import threading
import time
import uuid
from datetime import timedelta

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import func, select, text

from radio.device_client.sealed import logs_topic, opened, seal
from radio.devices.intake import Intake, device_key
from radio.models import Device, PlayLog
from tests.radio.api_kit import START, serve_api, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db
BROKER = "mqtt://127.0.0.1:1883"


@pytest.fixture
def served(tmp_path, tones):
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    with serve_api(tmp_path, tones, MQTT_URL=BROKER, MQTT_TOPIC_PREFIX=prefix, PLAYLOG_INTAKE="mqtt") as api:
        api.clock.now = START + timedelta(hours=2)  # past the morning's airing the logs tell of
        api.prefix = prefix
        yield api


@pytest.fixture
def intake(served):
    """The consumer in a thread of its own, as `radio device intake` runs it."""
    consumer = Intake(served.app, batch=2000, wait_s=0.3)
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    yield consumer
    consumer.stop()
    thread.join(timeout=10)
    consumer.close()


class Device_:
    """A receiver's side of the protocol: its key, from its heartbeat answer, and its acknowledgements."""

    def __init__(self, api, code: str):
        answer = api.post(f"/devices/{code}/heartbeat", device=code, json={}).json()
        self.code, self.offer = code, answer["playlogs_mqtt"]
        self.acks: queue.Queue[bytes] = queue.Queue()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-{code}-{uuid.uuid4().hex[:6]}")
        subscribed = threading.Event()
        self.client.on_subscribe = lambda *args: subscribed.set()
        self.client.on_message = lambda client, userdata, message: self.acks.put(message.payload)
        self.client.connect("127.0.0.1", 1883)
        self.client.subscribe(self.offer["ack_topic"], qos=1)
        self.client.loop_start()
        assert subscribed.wait(10)

    def send(self, logs: list, key: str | None = None) -> str:
        batch = uuid.uuid4().hex
        self.client.publish(self.offer["topic"], seal(key or self.offer["key"], {"batch": batch, "logs": logs}),
                            qos=1).wait_for_publish(10)
        return batch

    def ack(self, timeout: float = 15) -> dict:
        return opened(self.offer["key"], self.acks.get(timeout=timeout))

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


def log(api, entry: str = "today", started: str = "2026-11-24T05:30:00+07:00") -> dict:
    return {"uuid": str(uuid.uuid4()), "entry_id": api.world.entries[entry], "started_at": started,
            "status": "played"}


def count_logs(api, code: str | None = None) -> int:
    with api.session() as session:
        query = select(func.count()).select_from(PlayLog)
        if code:
            query = query.join(Device, Device.id == PlayLog.device_id).where(Device.code == code)
        return session.scalar(query)


def test_the_heartbeat_offers_the_intake_with_a_key_of_the_device_and_its_token(served, tmp_path, tones):
    offer = served.post("/devices/loa-01/heartbeat", device="loa-01", json={}).json()["playlogs_mqtt"]
    assert offer["topic"] == f"{served.prefix}/devices/loa-01/playlogs"
    assert offer["ack_topic"] == f"{served.prefix}/devices/loa-01/playlogs/ack"
    other = served.post("/devices/loa-02/heartbeat", device="loa-02", json={}).json()["playlogs_mqtt"]
    assert len(offer["key"]) == 64 and offer["key"] != other["key"]
    served.world.tokens["loa-01"] = served.cli("device-token", "loa-01").output.strip()
    renewed = served.post("/devices/loa-01/heartbeat", device="loa-01", json={}).json()["playlogs_mqtt"]
    assert renewed["key"] != offer["key"]


def test_without_the_intake_the_heartbeat_offers_nothing(tmp_path, tones):
    with serve_api(tmp_path, tones, MQTT_URL=BROKER) as api:
        assert "playlogs_mqtt" not in api.post("/devices/loa-01/heartbeat", device="loa-01", json={}).json()


def test_batches_of_several_devices_are_stored_once_and_acknowledged_each_on_its_own_topic(served, intake):
    first, second = Device_(served, "loa-01"), Device_(served, "loa-02")
    try:
        # 1,200 logs from loa-01 in two messages: stored together (through COPY on PostgreSQL).
        many = [log(served) for _ in range(1200)]
        batches = {first.send(many[:600]), first.send(many[600:])}
        mixed = [log(served), log(served, "village-02"), log(served, "xa"), {"uuid": "not a uuid"}]
        mixed_batch = second.send(mixed)
        acks = [first.ack(), first.ack()]
        assert {a["batch"] for a in acks} == batches
        assert sorted(u for a in acks for u in a["stored"]) == sorted(item["uuid"] for item in many)
        answer = second.ack()
        assert answer["batch"] == mixed_batch and answer["stored"] == [mixed[0]["uuid"], mixed[1]["uuid"]]
        reasons = {r["index"]: r["reason"] for r in answer["refused"]}
        assert sorted(reasons) == [2, 3] and "unknown entry" in reasons[2] and "exactly one of" in reasons[3]
        assert count_logs(served, "loa-01") == 1200 and count_logs(served, "loa-02") == 2

        again = first.send(many[:3] + [many[0]])  # a resend after a lost acknowledgement
        answer = first.ack()
        assert answer["batch"] == again and answer["stored"] == []
        assert answer["duplicate"] == [many[0]["uuid"], many[1]["uuid"], many[2]["uuid"], many[0]["uuid"]]
        assert count_logs(served) == 1202
        with served.session() as session:
            seen = session.scalar(select(Device.last_seen_at).where(Device.code == "loa-02"))
        assert seen == served.clock.now
    finally:
        first.close()
        second.close()


def test_a_message_not_sealed_with_the_devices_key_is_stored_nowhere_and_answered_to_nobody(served, intake):
    device, other = Device_(served, "loa-01"), Device_(served, "loa-02")
    try:
        device.send([log(served)], key=other.offer["key"])  # loa-02's key on loa-01's topic
        device.send([log(served)], key="0" * 64)
        device.client.publish(device.offer["topic"], b"not sealed at all", qos=1).wait_for_publish(10)
        unsealed = {"batch": "x", "logs": [log(served)]}
        device.client.publish(device.offer["topic"], b"0" * 64 + b"\n" + repr(unsealed).encode(), qos=1)
        bad_body = device.send({"not": "a list"})
        answer = device.ack()  # the only answer: the sealed message whose body is not a list of logs
        assert answer["batch"] == bad_body and "JSON array" in answer["error"]
        with pytest.raises(queue.Empty):
            device.acks.get(timeout=1)
        assert count_logs(served) == 0
    finally:
        device.close()
        other.close()


def test_the_key_is_the_devices_own(served):
    with served.session() as session:
        devices = {d.code: d for d in session.scalars(select(Device))}
        secret = served.app.config["SECRET_KEY"]
        keys = {code: device_key(secret, device) for code, device in devices.items()}
    assert len(set(keys.values())) == 3
    offer = served.post("/devices/loa-xa/heartbeat", device="loa-xa", json={}).json()["playlogs_mqtt"]
    assert offer["key"] == keys["loa-xa"] and logs_topic(served.prefix, "loa-xa") == offer["topic"]


def test_the_command_refuses_to_run_where_receivers_are_not_offered_the_intake(tmp_path, tones):
    with serve_api(tmp_path, tones, MQTT_URL=BROKER) as api:
        result = api.cli("device", "intake")
    assert result.exit_code == 2 and "RADIO_PLAYLOG_INTAKE=mqtt" in result.output


def test_a_batch_the_database_refuses_is_logged_and_the_intake_goes_on(served, intake, caplog):
    """As a full disk would: the batch's logs stay with the receiver (no acknowledgement), and the
    next batch is stored once the database takes writes again."""
    refuse = {"sqlite": ["CREATE TRIGGER refuse BEFORE INSERT ON play_logs "
                         "BEGIN SELECT RAISE(ABORT, 'disk full'); END"],
              "postgresql": ["CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                             "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$",
                             "CREATE TRIGGER refuse BEFORE INSERT ON play_logs FOR EACH ROW EXECUTE FUNCTION refuse()"]}
    allow = {"sqlite": ["DROP TRIGGER refuse"],
             "postgresql": ["DROP TRIGGER refuse ON play_logs", "DROP FUNCTION refuse()"]}
    device = Device_(served, "loa-01")
    try:
        with served.session() as session:
            for statement in refuse[session.get_bind().dialect.name]:
                session.execute(text(statement))
            session.commit()
        device.send([log(served)])
        for _ in range(150):
            if "a batch of 1 messages not stored" in caplog.text:
                break
            time.sleep(0.1)
        assert "a batch of 1 messages not stored" in caplog.text and "disk full" in caplog.text
        assert device.acks.empty() and count_logs(served) == 0
        with served.session() as session:
            for statement in allow[session.get_bind().dialect.name]:
                session.execute(text(statement))
            session.commit()
        again = device.send([log(served)])
        assert device.ack()["batch"] == again and count_logs(served) == 1
    finally:
        device.close()
