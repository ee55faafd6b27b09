""""Poll now" notices over MQTT, when a broker is configured (MQTT_URL), and to the app's other
listeners (`init_app`: the devices' poll files, DEVICE_POLL_FILES_DIR).

A notice carries no schedule data: it only tells a device to poll at once instead of at its
next interval, so an emergency bulletin arrives in seconds. Polling works without it, so a
broker that is down costs a warning in the log, never a failed request. Pages and the API start
`poll_now` as a job after their answer (jobs.after_response): a slow broker never holds up a
request; a command calls it directly and reports what the broker acknowledged. Topics are
`<MQTT_TOPIC_PREFIX>/devices/<code>/poll`, QoS 1, not retained.

A new schedule version (Station.schedule_version: builds, hand edits, bulletins, new audio) is
told too, whichever path committed it: the stations whose version moved are noted at each flush
and their devices told after the commit (`poll_stations`). A receiver that hears these notices
needs only a slow safety poll (radio/device_client/notices.py).
"""
from __future__ import annotations

import json
import logging
import uuid
from urllib.parse import unquote, urlsplit

from flask import current_app, has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from . import clock, db, jobs
from .models import Device, Station

log = logging.getLogger(__name__)
TIMEOUT_S = 5


def topic(prefix: str, device_code: str) -> str:
    return f"{prefix}/devices/{device_code}/poll"


_LISTENERS = "radio.notify.listeners"


def init_app(app, listeners: tuple[str, ...]) -> None:
    """`listeners` ("module:function"), each called with the device codes and now before the
    MQTT notices go; imported on first use, like the jobs."""
    app.extensions[_LISTENERS] = listeners


def is_telling(config) -> bool:
    """Whether changes are told to devices at all: a broker, or poll files to rewrite."""
    return bool(config.get("MQTT_URL") or config.get("DEVICE_POLL_FILES_DIR"))


def poll_now(device_codes: list[str], reason: str) -> int:
    """Tell the listeners, then publish a notice to each device; returns how many the broker
    acknowledged."""
    if not device_codes:
        return 0
    now = clock.now()  # a job of its own: it reads the clock once
    for reference in current_app.extensions.get(_LISTENERS, ()):
        try:
            jobs.imported(reference)(device_codes, now)
        except Exception as exc:  # noqa: BLE001 — as a notice: the data is committed, the next check retries
            log.warning("devices not told by %s (%s): %s", reference, reason, exc)
    url = current_app.config.get("MQTT_URL")
    if not url:
        return 0
    try:
        return _publish(url, current_app.config["MQTT_TOPIC_PREFIX"], device_codes, reason)
    except Exception as exc:  # noqa: BLE001 — the notice is a courtesy; the data is committed already
        log.warning("MQTT poll-now notices not sent (%s): %s", urlsplit(url).hostname, exc)
        return 0


def poll_stations(station_ids: list[int], reason: str) -> int:
    """poll_now for the devices in use of these stations; returns how many the broker acknowledged."""
    codes = db.session().scalars(select(Device.code).where(Device.station_id.in_(station_ids),
                                                           Device.retired_on.is_(None)).order_by(Device.code))
    return poll_now(list(codes), reason)


_MOVED = "radio.notify.stations"  # session.info: stations whose schedule version moved in this transaction
_TELL = "radio.notify.committed"  # and those of the transaction just committed


@event.listens_for(Session, "after_flush")
def _note_new_versions(session: Session, _flush_context) -> None:
    moved = {obj.id for obj in session.dirty
             if isinstance(obj, Station) and inspect(obj).attrs.schedule_version.history.has_changes()}
    if moved:
        session.info.setdefault(_MOVED, set()).update(moved)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info[_TELL] = session.info.pop(_MOVED, None)


@event.listens_for(Session, "after_transaction_end")
def _tell_devices(session: Session, transaction) -> None:
    """Once the commit is over (a queued job reads only what is committed): tell the devices."""
    moved = session.info.pop(_TELL, None) if transaction.parent is None else None
    if moved and has_app_context() and is_telling(current_app.config):
        jobs.after_response(poll_stations, sorted(moved), "schedule")


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_MOVED, None)


def connect(url: str, role: str, keepalive: int = 30):
    """A paho client of the server's (`role`: what it is for, in its client id) connected to the
    broker at MQTT_URL, its network loop not started yet."""
    import paho.mqtt.client as mqtt

    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts"):
        raise ValueError(f"MQTT_URL must start with mqtt:// or mqtts://, not {parts.scheme}://")
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"radio-{role}-{uuid.uuid4().hex[:12]}")
    if parts.username:
        client.username_pw_set(unquote(parts.username), unquote(parts.password or ""))
    if parts.scheme == "mqtts":
        client.tls_set()
    client.connect(parts.hostname or "127.0.0.1", parts.port or (8883 if parts.scheme == "mqtts" else 1883),
                   keepalive=keepalive)
    return client


def _publish(url: str, prefix: str, device_codes: list[str], reason: str) -> int:
    client = connect(url, "server")
    client.loop_start()
    try:
        payload = json.dumps({"poll": "now", "reason": reason})
        messages = [client.publish(topic(prefix, code), payload, qos=1) for code in device_codes]
        for message in messages:
            message.wait_for_publish(timeout=TIMEOUT_S)
        return sum(1 for m in messages if m.is_published())
    finally:
        client.disconnect()
        client.loop_stop()
