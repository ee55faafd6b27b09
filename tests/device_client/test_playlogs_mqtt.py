"""Play logs over MQTT (receiver/mqtt_logs.py): the real receiver, built from its options, holds
its MQTT connection to the local mosquitto and talks HTTP to the served app. The first test runs
the whole way: the app's heartbeat answer offers the intake, and the server's own intake
(radio/devices/intake.py) stores and acknowledges. The others need the server to misbehave, so a
test-only responder plays the intake's part on the broker (it opens each batch and answers with a
sealed acknowledgement, or never, or with forged ones), with the offer put in the receiver's
state as a heartbeat answer would (Reports._take_offer). Each test has its own topic prefix, so
none hears another's.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import timedelta

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import select

from radio.device_client import sealed
from radio.device_client.cli import build, listen
from radio.device_client.receiver.mqtt_logs import ACK_TIMEOUT_S
from radio.device_client.state import State
from radio.devices.intake import Intake
from radio.models import PlayLog
from tests.device_client.kit import DEVICE, at, link, server_logs, slow_polls  # noqa: F401 (fixtures)
from tests.radio.api_kit import TODAY, api, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db
MQTT_URL = "mqtt://127.0.0.1:1883"
KEY = "5e" * 32
WAIT_S = 10  # the most real time a message on loopback may take


class Responder:
    """The server's side of sealed.py: opens each batch published on the device's logs topic,
    keeps it, and publishes what `answer(body)` returns on the acknowledgements' topic."""

    def __init__(self, prefix: str, answer):
        self.prefix, self.answer, self.batches = prefix, answer, []
        self.subscribed = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"responder-{uuid.uuid4().hex[:8]}")
        self.client.on_connect = lambda client, *args: client.subscribe(sealed.logs_topic(prefix, DEVICE), qos=1)
        self.client.on_subscribe = lambda *args: self.subscribed.set()
        self.client.on_message = self._message
        self.client.connect("127.0.0.1", 1883)
        self.client.loop_start()
        assert self.subscribed.wait(WAIT_S), "no MQTT broker answered on 127.0.0.1:1883"

    def _message(self, client, userdata, message) -> None:
        body = sealed.opened(KEY, message.payload)
        self.batches.append(body)
        for payload in self.answer(body):
            client.publish(sealed.acks_topic(self.prefix, DEVICE), payload, qos=1)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def acknowledge(body: dict) -> list[bytes]:
    """As the server's intake answers: every log stored."""
    return [sealed.seal(KEY, {"batch": body["batch"], "stored": [e["uuid"] for e in body["logs"]],
                              "duplicate": [], "refused": []})]


def never(body: dict) -> list[bytes]:
    return []


def forge(body: dict) -> list[bytes]:
    """What another client of the broker could send: the right batch sealed with another key, and
    a batch not awaited sealed with the right one (a replay, say)."""
    stored = [e["uuid"] for e in body["logs"]]
    return [sealed.seal("0" * 64, {"batch": body["batch"], "stored": stored, "duplicate": [], "refused": []}),
            sealed.seal(KEY, {"batch": uuid.uuid4().hex, "stored": stored, "duplicate": [], "refused": []})]


def start(api, link, tmp_path, prefix: str, *options: str):
    """The receiver as `radio-device --mqtt` runs it, its first tick done (polls and the first
    heartbeat), then offered MQTT as a heartbeat answer would; returns it with its wake event."""
    token_file = tmp_path / f"{DEVICE}.token"
    token_file.write_text(api.world.tokens[DEVICE])
    receiver, args = build(["--server", link.url, "--code", DEVICE, "--token-file", str(token_file), "--cache",
                            str(tmp_path / "cache"), "--player", "none", "--mqtt-prefix", prefix, *options],
                           clock=api.clock)
    wake = threading.Event()
    notices = listen(receiver, args, wake) if args.mqtt else None
    if notices is not None:
        assert notices.subscribed.wait(WAIT_S), "no MQTT broker answered on 127.0.0.1:1883"
    receiver.tick()
    receiver.state["playlogs_mqtt"] = {"topic": sealed.logs_topic(prefix, DEVICE),
                                       "ack_topic": sealed.acks_topic(prefix, DEVICE), "key": KEY}
    return receiver, notices, wake


def add_logs(api, receiver, count: int) -> set[str]:
    """`count` unscheduled airings of ep-1 played before the test's day starts, as the playout
    queues them; their uuids."""
    return {receiver.logs.add({"episode": api.world.media["ep-1"],
                               "started_at": at(TODAY, 3, 30, second=n).isoformat(),
                               "ended_at": at(TODAY, 3, 33, second=n).isoformat(), "status": "played"})
            for n in range(count)}


def ticked_until(receiver, wake: threading.Event, done) -> bool:
    """What run_forever does when woken (an acknowledgement, a reconnect), until `done()` or WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while not done() and wake.wait(max(0.0, deadline - time.monotonic())):
        wake.clear()
        receiver.tick()
    return done()


def posted_logs(link) -> int:
    return sum(b"/playlogs " in line for line in link.requests)


@pytest.fixture
def prefix():
    return f"radio-test-{uuid.uuid4().hex[:8]}"


def test_the_servers_offer_and_intake_take_the_logs_that_the_receiver_publishes(api, link, tmp_path, prefix):
    slow_polls(api)
    api.app.config.update(MQTT_URL=MQTT_URL, PLAYLOG_INTAKE="mqtt", MQTT_TOPIC_PREFIX=prefix)
    intake = Intake(api.app, batch=100, wait_s=0.1)
    consumer = threading.Thread(target=intake.run, daemon=True)
    consumer.start()
    token_file = tmp_path / f"{DEVICE}.token"
    token_file.write_text(api.world.tokens[DEVICE])
    receiver, args = build(["--server", link.url, "--code", DEVICE, "--token-file", str(token_file), "--cache",
                            str(tmp_path / "cache"), "--player", "none", "--mqtt-prefix", prefix, "--mqtt", MQTT_URL],
                           clock=api.clock)
    wake = threading.Event()
    notices = listen(receiver, args, wake)
    try:
        assert notices.subscribed.wait(WAIT_S)
        receiver.tick()  # its first heartbeat: the answer offers the intake
        assert receiver.state["playlogs_mqtt"]["topic"] == sealed.logs_topic(prefix, DEVICE)
        sent = add_logs(api, receiver, 3)
        receiver.tick()
        assert ticked_until(receiver, wake, lambda: len(receiver.logs) == 0)
        assert len(server_logs(api)) == 3 and posted_logs(link) == 0  # stored, and none went by HTTP
        with api.session() as session:
            stored = {str(u) for u in session.scalars(select(PlayLog.client_uuid))}
        assert stored == sent
    finally:
        intake.stop()
        consumer.join(timeout=WAIT_S)
        intake.close()
        notices.close()
        receiver.close()


def test_logs_offered_mqtt_are_published_in_batches_and_settled_by_the_sealed_acknowledgements(
        api, link, tmp_path, prefix):
    slow_polls(api)
    responder = Responder(prefix, acknowledge)
    receiver, notices, wake = start(api, link, tmp_path, prefix, "--mqtt", MQTT_URL)
    try:
        receiver.reports.upload_batch = 2
        sent = add_logs(api, receiver, 3)
        receiver.tick()
        assert ticked_until(receiver, wake, lambda: len(receiver.logs) == 0)
        assert [len(body["logs"]) for body in responder.batches] == [2, 1]
        assert {e["uuid"] for body in responder.batches for e in body["logs"]} == sent
        assert receiver.reports.mqtt.flights == {} and receiver.reports.mqtt.deadline is None
        assert posted_logs(link) == 0 and server_logs(api) == []  # none went by HTTP
    finally:
        notices.close()
        receiver.close()
        responder.close()


def test_a_batch_left_unacknowledged_is_sent_once_by_http_after_the_timeout(api, link, tmp_path, prefix):
    slow_polls(api)
    responder = Responder(prefix, never)
    receiver, notices, wake = start(api, link, tmp_path, prefix, "--mqtt", MQTT_URL)
    try:
        sent = add_logs(api, receiver, 2)
        receiver.tick()
        published_at = api.clock.now
        deadline = published_at + timedelta(seconds=ACK_TIMEOUT_S)
        assert receiver.reports.mqtt.deadline == deadline
        assert api.clock.now < receiver.next_wake() <= deadline  # no busy loop while it waits, and it wakes
        api.clock.now += timedelta(seconds=ACK_TIMEOUT_S - 1)
        receiver.tick()  # waiting: not published again, not posted
        assert len(receiver.reports.mqtt.flights) == 1 and len(receiver.logs) == 2 and posted_logs(link) == 0
        api.clock.now = deadline
        receiver.tick()
        assert posted_logs(link) == 1 and len(receiver.logs) == 0
        assert len(server_logs(api)) == 2 and receiver.reports.mqtt.flights == {}
        assert len(responder.batches) == 1 and {e["uuid"] for e in responder.batches[0]["logs"]} == sent
    finally:
        notices.close()
        receiver.close()
        responder.close()


def test_forged_acknowledgements_are_ignored_and_the_logs_stay_in_the_outbox(api, link, tmp_path, prefix, caplog):
    slow_polls(api)
    caplog.set_level(logging.WARNING, logger="radio.device_client")
    responder = Responder(prefix, forge)
    receiver, notices, wake = start(api, link, tmp_path, prefix, "--mqtt", MQTT_URL)
    try:
        add_logs(api, receiver, 2)
        receiver.tick()
        ignored = lambda: sum("acknowledgement ignored" in r.getMessage() for r in caplog.records)  # noqa: E731
        assert ticked_until(receiver, wake, lambda: ignored() == 2)
        assert len(receiver.logs) == 2 and len(receiver.reports.mqtt.flights) == 1
        assert "not this device's key" in caplog.text and "is not awaited" in caplog.text
        assert posted_logs(link) == 0 and server_logs(api) == []
    finally:
        notices.close()
        receiver.close()
        responder.close()


def test_without_an_mqtt_connection_the_logs_go_by_http_and_an_answer_without_offer_forgets_it(
        api, link, tmp_path, prefix):
    slow_polls(api, 600)
    receiver, _, _ = start(api, link, tmp_path, prefix)  # no --mqtt: offered, but not connected
    try:
        add_logs(api, receiver, 3)
        receiver.state.save()
        assert State(tmp_path / "cache" / "state.json")["playlogs_mqtt"]["key"] == KEY  # kept for a restart
        receiver.tick()
        assert posted_logs(link) == 1 and len(receiver.logs) == 0 and len(server_logs(api)) == 3
        assert receiver.state["playlogs_mqtt"] is not None  # no heartbeat yet
        api.clock.now += timedelta(seconds=600)
        receiver.tick()  # the heartbeat: the app offers no MQTT, so the receiver forgets it
        assert receiver.state["playlogs_mqtt"] is None
        assert State(tmp_path / "cache" / "state.json")["playlogs_mqtt"] is None
    finally:
        receiver.close()
