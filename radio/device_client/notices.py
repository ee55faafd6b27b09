""""Poll now" notices over MQTT (optional: `--mqtt URL`), so an emergency bulletin arrives in
seconds rather than at the next bulletin poll. A notice carries no data; it only wakes the
loop. paho-mqtt is imported only when a broker is configured: polling works without it.

While subscribed the receiver is quiet (`on_listening(True)`): one connection held open, a
PINGREQ every `keepalive` seconds, and only a safety poll over HTTP; a lost connection
(`on_listening(False)`) brings the usual polls back until paho has reconnected.

The same connection carries the play logs when the server offers it (receiver/mqtt_logs.py):
`publish` sends a batch, and the acknowledgements, on the topic `listen_acks` names, go to
`on_ack` (in paho's thread: the loop takes them from a queue).
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
    """Listens on the device's topic in paho's own thread and calls `on_notice` for each message
    (`on_ack` for each one on the acknowledgements' topic)."""

    def __init__(self, url: str, prefix: str, device_code: str, on_notice: Callable[[], None],
                 on_listening: Callable[[bool], None] = lambda listening: None, keepalive: int = 60,
                 ca_file: str | None = None, on_ack: Callable[[bytes], None] = lambda payload: None):
        import paho.mqtt.client as mqtt

        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts"):
            raise ValueError(f"--mqtt must start with mqtt:// or mqtts://, not {parts.scheme}://")
        self.topic = topic(prefix, device_code)
        self.ack_topic: str | None = None  # the play logs' acknowledgements, once the server offers them
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
        self.client.on_message = lambda client, userdata, message: (
            on_ack(message.payload) if message.topic == self.ack_topic else self._notice(on_notice))
        self.client.connect_async(parts.hostname or "127.0.0.1",
                                  parts.port or (8883 if parts.scheme == "mqtts" else 1883), keepalive=keepalive)
        self.client.loop_start()

    def _subscribe(self, client, userdata, flags, reason, properties) -> None:
        client.subscribe([(t, 1) for t in (self.topic, self.ack_topic) if t is not None])
        log.info("listening for poll-now notices on %s", self.topic)

    def listen_acks(self, ack_topic: str) -> None:
        """Take the play logs' acknowledgements from `ack_topic` (the server's offer says which),
        now and after each reconnect. Asked before each batch is published, and a broker keeps
        one client's packets in order, so the subscription is in place before the answer comes."""
        if ack_topic == self.ack_topic:
            return
        if self.ack_topic is not None:
            self.client.unsubscribe(self.ack_topic)
        self.ack_topic = ack_topic
        self.client.subscribe(ack_topic, qos=1)  # while disconnected, the next connect subscribes it

    def publish(self, topic: str, payload: bytes) -> bool:
        """Send at QoS 1; False when paho did not take it (not connected)."""
        import paho.mqtt.client as mqtt

        return self.client.publish(topic, payload, qos=1).rc == mqtt.MQTT_ERR_SUCCESS

    def _subscribed(self, *args) -> None:
        self.on_listening(True)
        self.subscribed.set()  # after: whoever waits for it finds the receiver listening

    def _notice(self, on_notice: Callable[[], None]) -> None:
        log.info("poll-now notice received")
        on_notice()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
