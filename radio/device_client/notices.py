""""Poll now" notices over MQTT (optional: `--mqtt URL`), so an emergency bulletin arrives in
seconds rather than at the next bulletin poll. A notice carries no data; it only wakes the
loop. paho-mqtt is imported only when a broker is configured: polling works without it.

While subscribed the receiver is quiet (`on_listening(True)`): one connection held open, a
PINGREQ every `keepalive` seconds, and only a safety poll over HTTP; a lost connection
(`on_listening(False)`) brings the usual polls back until paho has reconnected.
"""
from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)


def topic(prefix: str, device_code: str) -> str:
    """The server's topic for this device (radio/notify.py)."""
    return f"{prefix}/devices/{device_code}/poll"


class PollNotices:
    """Listens on the device's topic in paho's own thread and calls `on_notice` for each message."""

    def __init__(self, url: str, prefix: str, device_code: str, on_notice: Callable[[], None],
                 on_listening: Callable[[bool], None] = lambda listening: None, keepalive: int = 60,
                 ca_file: str | None = None):
        import paho.mqtt.client as mqtt

        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts"):
            raise ValueError(f"--mqtt must start with mqtt:// or mqtts://, not {parts.scheme}://")
        self.topic = topic(prefix, device_code)
        self.subscribed = threading.Event()
        # A broker drops the older of two clients with one id: two servers' receivers that share a
        # code (or two runs of one) would knock each other off, so the id is unique per start.
        client_id = f"loa-{device_code}"[:14] + f"-{uuid.uuid4().hex[:8]}"
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
        if parts.username:
            self.client.username_pw_set(unquote(parts.username), unquote(parts.password or ""))
        if parts.scheme == "mqtts":
            self.client.tls_set(ca_certs=ca_file)
        self.on_listening = on_listening
        self.client.on_connect = self._subscribe  # again after every reconnect
        self.client.on_subscribe = self._subscribed
        self.client.on_disconnect = lambda *args: on_listening(False)
        self.client.on_message = lambda *args: self._notice(on_notice)
        self.client.connect_async(parts.hostname or "127.0.0.1",
                                  parts.port or (8883 if parts.scheme == "mqtts" else 1883), keepalive=keepalive)
        self.client.loop_start()

    def _subscribe(self, client, userdata, flags, reason, properties) -> None:
        client.subscribe(self.topic, qos=1)
        log.info("listening for poll-now notices on %s", self.topic)

    def _subscribed(self, *args) -> None:
        self.subscribed.set()
        self.on_listening(True)

    def _notice(self, on_notice: Callable[[], None]) -> None:
        log.info("poll-now notice received")
        on_notice()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
