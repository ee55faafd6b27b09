"""The play-log intake: receivers send their logs over MQTT, and `radio device intake` takes them
off the broker by the thousand.

After a day's outage every village receiver uploads its day at once. Over HTTP each upload is a
request with its token check, its reference look-ups and its INSERT: a Flask app stores a few
thousand rows a second. Here one consumer takes up to `batch` messages at a time and judges them
exactly as POST /playlogs does (playlogs.judge_batches), in one transaction with one look-up per
kind of reference and one COPY (db.insert_new), then acknowledges each on its device's topic.

Trust: the broker is shared, so a message counts only when sealed with its device's key
(radio/device_client/sealed.py), which the heartbeat answer gives the device over HTTPS
(`offer`) and which changes with its token. The receiver's outbox stays the record: it drops a
log only on a sealed acknowledgement, and sends by HTTP what is not acknowledged within a minute,
so a message the broker or this consumer loses (acknowledged to the broker before its batch is
committed) is sent again, and a log sent twice is stored once (by its uuid).
"""
from __future__ import annotations

import logging
import queue
import signal
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from .. import clock, db
from ..api.schemas import Invalid
from ..device_client.sealed import acks_topic, logs_topic, opened, seal
from ..models import Device
from ..notify import connect
from .access import device_secret
from .playlogs import judge_batches, store_batches
from .presence import note_contacts
from .schemas import dump_outcome, load_playlogs

log = logging.getLogger(__name__)
SHARE = "radio-intake"  # the shared subscription's group: several intakes split the messages


def is_on(config) -> bool:
    return config.get("PLAYLOG_INTAKE") == "mqtt" and bool(config.get("MQTT_URL"))


def offer(device: Device, config) -> dict | None:
    """What the heartbeat answer tells a device so that it sends its play logs over MQTT."""
    if not is_on(config) or not device.token_hash:
        return None
    prefix = config["MQTT_TOPIC_PREFIX"]
    return {"topic": logs_topic(prefix, device.code), "ack_topic": acks_topic(prefix, device.code),
            "key": device_key(config["SECRET_KEY"], device)}


def device_key(secret: str, device) -> str:
    return device_secret(secret, "playlogs", device.code, device.token_hash)


@dataclass(frozen=True)
class Message:
    code: str  # the device's, from the topic it came on
    payload: bytes


def take(session: Session, messages: list[Message], config, now) -> list[tuple[str, bytes]]:
    """Judge and store a batch of messages in the session's transaction (the caller commits);
    returns the acknowledgements to publish once committed, as (topic, payload)."""
    devices = _devices(session, {m.code for m in messages})
    secret, prefix = config["SECRET_KEY"], config["MQTT_TOPIC_PREFIX"]
    batches, acks, limit = [], [], config["API_MAX_BODY_KB"] * 1024
    for message in messages:
        if len(message.payload) > limit:  # as POST /playlogs refuses it: the receiver's batches are far smaller
            log.warning("play logs on device %s's topic ignored: %d bytes, over %d", message.code,
                        len(message.payload), limit)
            continue
        device = devices.get(message.code)
        key = device_key(secret, device) if device is not None else None
        body = opened(key, message.payload) if key else None
        if body is None:
            log.warning("play logs on device %s's topic ignored: not sealed with its key", message.code)
            continue
        try:
            items = load_playlogs(body.get("logs"), config["PLAYLOG_BATCH_MAX"])
        except Invalid as exc:
            acks.append((device, key, {"batch": body.get("batch"), "error": exc.message}))
            continue
        batches.append((device, key, body.get("batch"), items))
    judged = judge_batches(session, [(device, items) for device, _, _, items in batches], now,
                           config["CLOCK_SKEW_SECONDS"])
    outcomes = store_batches(session, [(batch[0], j) for batch, j in zip(batches, judged)])
    note_contacts(session, list({batch[0].id: batch[0] for batch in batches}.values()), now,
                  config["DEVICE_POLL_SECONDS"])
    acks += [(device, key, {"batch": batch} | dump_outcome(outcome))
             for (device, key, batch, _), outcome in zip(batches, outcomes)]
    return [(acks_topic(prefix, device.code), seal(key, body)) for device, key, body in acks]


_DEVICE = (Device.id, Device.code, Device.token_hash, Device.station_id, Device.area_id, Device.status,
           Device.last_seen_at)


def _devices(session: Session, codes: set[str]) -> dict[str, Row]:
    """The devices with a token among `codes`, by code (a device without one has no key): rows
    of what judging, storing and noting contact read, not records (thousands a batch)."""
    found, codes = {}, sorted(codes)
    for start in range(0, len(codes), db.IN_CHUNK):
        found.update((device.code, device) for device in session.execute(select(*_DEVICE).where(
            Device.code.in_(codes[start:start + db.IN_CHUNK]), Device.token_hash.is_not(None))))
    return found


class Intake:
    """The consumer: paho's thread queues the messages, `workers` threads store them batch by
    batch, each in its own transaction: while one waits on the database, another reads its batch."""

    def __init__(self, app, batch: int, wait_s: float, workers: int = 1):
        self.app, self.batch, self.wait_s, self.workers = app, batch, wait_s, workers
        self.messages: queue.Queue[Message] = queue.Queue()
        self.stopping = threading.Event()
        config = app.config
        self.subscription = f"$share/{SHARE}/{logs_topic(config['MQTT_TOPIC_PREFIX'], '+')}"
        self.client = connect(config["MQTT_URL"], "intake", keepalive=60)
        # QoS 0 both ways: in paho each QoS 1 message costs this process a round of its own, and
        # a message lost on the way is sent again by the receiver, over HTTP, a minute later.
        self.client.on_connect = lambda client, *args: client.subscribe(self.subscription, qos=0)
        self.client.on_message = self._received
        self.client.loop_start()

    def _received(self, client, userdata, message) -> None:
        self.messages.put(Message(message.topic.split("/")[-2], message.payload))

    def run(self) -> int:
        """Store batches until stopped; returns how many messages were taken."""
        counts = [0] * self.workers
        threads = [threading.Thread(target=self._work, args=(counts, n), name=f"intake-{n}")
                   for n in range(1, self.workers)]
        for thread in threads:
            thread.start()
        self._work(counts, 0)
        for thread in threads:
            thread.join()
        return sum(counts)

    def _work(self, counts: list[int], n: int) -> None:
        while not self.stopping.is_set():
            messages = self._next_batch()
            if not messages:
                continue
            try:
                self.store(messages)
            except Exception:  # noqa: BLE001 — the receivers send these logs again by HTTP; the intake goes on
                log.exception("play-log intake: a batch of %d messages not stored", len(messages))
                self.stopping.wait(1)  # a database that is down is not asked again at once
                continue
            counts[n] += len(messages)

    def _next_batch(self) -> list[Message]:
        """The next message (waiting up to a second), then whatever else arrives within wait_s,
        up to `batch`: under load a full batch at once, when quiet each message within wait_s."""
        try:
            messages = [self.messages.get(timeout=1)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + self.wait_s
        while len(messages) < self.batch:
            try:
                messages.append(self.messages.get(timeout=max(deadline - time.monotonic(), 0)))
            except queue.Empty:
                break
        return messages

    def store(self, messages: list[Message]) -> None:
        with self.app.app_context():
            session = db.session()
            acks = take(session, messages, self.app.config, clock.now())  # the batch's one reading of the clock
            session.commit()
        for topic, payload in acks:
            self.client.publish(topic, payload, qos=0)
        log.info("play-log intake: %d messages stored, %d acknowledged", len(messages), len(acks))

    def stop(self, *_args) -> None:
        self.stopping.set()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def run_intake(app, batch: int, wait_s: float, workers: int) -> int:
    """`radio device intake`: until SIGTERM or Ctrl-C."""
    intake = Intake(app, batch, wait_s, workers)
    signal.signal(signal.SIGTERM, intake.stop)
    signal.signal(signal.SIGINT, intake.stop)
    try:
        return intake.run()
    finally:
        intake.close()
