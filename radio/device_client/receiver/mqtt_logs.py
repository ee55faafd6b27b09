"""Play logs over MQTT, when the server offers it (the heartbeat's `playlogs_mqtt`, sealed.py):
after an outage thousands of receivers come back at once, and their logs, published on the
connection each holds anyway, are taken in bulk rather than one HTTP request each.

Rules it follows: a batch published waits for the server's sealed acknowledgement, and its logs
are not sent again meanwhile; an acknowledgement that does not open with the device's key, or
names no batch awaited, is ignored (the logs stay in the outbox); a batch left unanswered
ACK_TIMEOUT_S (on the receiver's clock) goes again by HTTP, which is idempotent by log uuid, so a
late acknowledgement does no harm. Acknowledgements arrive in paho's thread: they wait in a
queue for the loop, which never waits for them.
"""
from __future__ import annotations

import logging
import queue
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from .. import sealed
from ..playlogs import PlayLogQueue

log = logging.getLogger(__name__)
ACK_TIMEOUT_S = 60
OFFER_FIELDS = ("topic", "ack_topic", "key")


class Publisher(Protocol):
    """The MQTT connection (notices.PollNotices)."""

    def listen_acks(self, ack_topic: str) -> None: ...

    def publish(self, topic: str, payload: bytes) -> bool: ...


def offer_from(answer) -> dict | None:
    """The offer a heartbeat answer makes, or None: the server does not take logs over MQTT now."""
    offer = answer.get("playlogs_mqtt") if isinstance(answer, dict) else None
    if not isinstance(offer, dict) or not all(isinstance(offer.get(name), str) and offer[name]
                                              for name in OFFER_FIELDS):
        return None
    return {name: offer[name] for name in OFFER_FIELDS}


@dataclass(frozen=True)
class Flight:
    logs: list[dict]
    deadline: datetime


class MqttLogs:
    def __init__(self):
        self.publisher: Publisher | None = None
        self.listening = False  # the connection is up and subscribed (on_listening)
        self.flights: dict[str, Flight] = {}
        self.acks: queue.SimpleQueue[bytes] = queue.SimpleQueue()

    def usable(self, offer: dict | None) -> bool:
        return offer is not None and self.publisher is not None and self.listening

    @property
    def in_flight(self) -> set[str]:
        """The uuids of the logs awaiting an acknowledgement."""
        return {entry["uuid"] for flight in self.flights.values() for entry in flight.logs}

    @property
    def deadline(self) -> datetime | None:
        """When the first batch awaited goes by HTTP instead."""
        return min((flight.deadline for flight in self.flights.values()), default=None)

    def send(self, batch: list[dict], offer: dict, now: datetime) -> bool:
        """Publish one batch; False when the connection did not take it (send it by HTTP)."""
        self.publisher.listen_acks(offer["ack_topic"])
        batch_id = uuid.uuid4().hex
        if not self.publisher.publish(offer["topic"], sealed.seal(offer["key"], {"batch": batch_id, "logs": batch})):
            return False
        self.flights[batch_id] = Flight(batch, now + timedelta(seconds=ACK_TIMEOUT_S))
        log.info("play logs published: %d in batch %s", len(batch), batch_id)
        return True

    def settle(self, logs: PlayLogQueue, offer: dict | None) -> None:
        """Act on the acknowledgements received since the last tick."""
        while True:
            try:
                payload = self.acks.get_nowait()
            except queue.Empty:
                return
            answer = sealed.opened(offer["key"], payload) if offer is not None else None
            if answer is None:
                log.warning("play log acknowledgement ignored: its seal is not this device's key")
                continue
            flight = self.flights.pop(answer.get("batch"), None) if isinstance(answer.get("batch"), str) else None
            if flight is None:
                log.warning("play log acknowledgement ignored: batch %r is not awaited", answer.get("batch"))
                continue
            done, refused = logs.settle(flight.logs, answer)
            log.info("play logs acknowledged over MQTT: %d acknowledged, %d refused, %d waiting",
                     done, refused, len(logs))

    def overdue(self, now: datetime) -> list[tuple[str, list[dict]]]:
        """(batch id, logs) of the batches unanswered past their deadline."""
        return [(batch_id, flight.logs) for batch_id, flight in self.flights.items() if now >= flight.deadline]

    def give_up(self, batch_id: str) -> None:
        """The batch was sent by HTTP instead: its acknowledgement, should it come, is ignored."""
        del self.flights[batch_id]
