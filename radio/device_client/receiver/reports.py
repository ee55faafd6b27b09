"""What the receiver tells the server: its play logs, sent in batches until each one is
acknowledged or refused (the outbox keeps them meanwhile, playlogs.py), over MQTT while the server
offers it and the connection is up (mqtt_logs.py), else by HTTP, and a heartbeat every
poll interval (every safety poll while a "poll now" listener is connected), whose answer also
says whether the device's clock is right. The heartbeat says that interval (`contact_s`), so the
server counts a quiet receiver offline only after missing its own heartbeats. A heartbeat says
what the receiver knows of itself (`status`); what it cannot tell is left out, never sent as null.
Its answer says whether the server takes play logs over MQTT now: the offer is kept (in the state)
until an answer comes without it.
"""
from __future__ import annotations

import logging
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from ..cache import MediaCache
from ..clock import is_due, parse_instant
from ..network import network_status
from ..playlogs import PlayLogQueue
from ..server import ServerClient
from ..state import State
from .link import NO_ANSWER, Link
from .mqtt_logs import MqttLogs, offer_from
from .playout import Playout, position

log = logging.getLogger(__name__)
CLOCK_TOLERANCE_S = 30


class Reports:
    def __init__(self, server: ServerClient, cache: MediaCache, state: State, link: Link, playout: Playout,
                 upload_batch: int, firmware: str, started_at: datetime, system_root: Path = Path("/")):
        self.server, self.cache, self.state, self.link, self.playout = server, cache, state, link, playout
        self.upload_batch, self.firmware, self.started_at = upload_batch, firmware, started_at
        self.system_root = system_root  # where /proc and /sys are read (a test's fake tree)
        self.sent_at: datetime | None = None
        self.mqtt = MqttLogs()

    def upload(self, logs: PlayLogQueue, now: datetime) -> None:
        """Settle what was acknowledged over MQTT, send by HTTP the batches that waited too long,
        then send what waits: published while MQTT is usable, else posted."""
        offer = self.state["playlogs_mqtt"]
        self.mqtt.settle(logs, offer)
        for batch_id, batch in self.mqtt.overdue(now):
            log.warning("no acknowledgement over MQTT for batch %s: sending it by HTTP", batch_id)
            settled = self._post(logs, batch, now)
            if settled is None:
                return  # the server did not answer: the batch goes by HTTP at the next try
            self.mqtt.give_up(batch_id)
            if not settled:
                return
        while batch := logs.pending(self.upload_batch, self.mqtt.in_flight):
            if self.mqtt.usable(offer) and self.mqtt.send(batch, offer, now):
                continue
            if not self._post(logs, batch, now):
                return  # no answer, or the answer named none of them: try again later rather than loop

    def waiting(self, logs: PlayLogQueue) -> bool:
        """Whether some logs are neither acknowledged nor awaiting an acknowledgement."""
        return len(logs) > len(self.mqtt.in_flight)

    def _post(self, logs: PlayLogQueue, batch: list[dict], now: datetime) -> int | None:
        """POST one batch: how many logs the answer settled, None when there was no answer."""
        if not self.link.ready(now):
            return None
        answer = self.link.exchange(now, self.server.send_playlogs, batch)
        if answer is NO_ANSWER:
            return None
        done, refused = logs.settle(batch, answer)
        log.info("play logs sent: %d acknowledged, %d refused, %d waiting", done, refused, len(logs))
        return done + refused

    def heartbeat_at(self, interval_s: float) -> datetime | None:
        """When the next heartbeat falls due: `interval_s` after the last one (None: at once)."""
        return None if self.sent_at is None else self.sent_at + timedelta(seconds=interval_s)

    def heartbeat(self, now: datetime, interval_s: float) -> None:
        """A heartbeat if one is due; the next falls due `interval_s` on."""
        if not is_due(self.heartbeat_at(interval_s), now) or not self.link.ready(now):
            return
        self.sent_at = now
        report = self.status(now) | {"contact_s": round(interval_s)}
        answer = self.link.exchange(now, self.server.heartbeat, report)
        if answer is not NO_ANSWER:
            check_clock(answer, now)
            self._take_offer(answer)

    def _take_offer(self, answer) -> None:
        """Keep the server's offer to take play logs over MQTT, or forget it when the answer makes
        none (its intake stopped, or a new token brought a new key)."""
        offer = offer_from(answer)
        if offer != self.state["playlogs_mqtt"]:
            log.info("play logs go %s", f"over MQTT on {offer['topic']}" if offer else "by HTTP")
            self.state["playlogs_mqtt"] = offer

    def status(self, now: datetime) -> dict:
        """The heartbeat's body: uptime on the receiver's own clock (never below 0, should the
        clock be set back), the player (and the volume it was given, if any), the last playback
        error (kept across restarts), the network."""
        report = {"free_disk_bytes": shutil.disk_usage(self.cache.folder).free,
                  "cached_items": self.cache.cached_count(), "firmware": self.firmware[:64],
                  "device_time": now.isoformat(), "uptime_s": max(int((now - self.started_at).total_seconds()), 0),
                  "player_running": self.playout.player_running}
        if self.playout.volume is not None:
            report["volume"] = self.playout.volume
        playing = self.state["playing"]
        if playing is not None:
            report["now_playing"] = {"id": playing["id"], "title": playing["title"][:300],
                                     "position_s": max(position(playing, now), 0)}
        if self.state["last_error"] is not None:
            report["last_error"] = self.state["last_error"]
        network = network_status(self.system_root)
        if network is not None:
            report["network"] = network
        return report


def check_clock(answer: dict, now: datetime) -> None:
    """A Raspberry Pi has no clock battery: until NTP has set the time, items would play at
    the wrong moment. Say so loudly (playing follows the device's clock)."""
    try:
        offset = (now - parse_instant(answer["server_time"], "server_time")).total_seconds()
    except (KeyError, TypeError, ValueError):
        return
    if abs(offset) > CLOCK_TOLERANCE_S:
        log.error("this device's clock is %+.0f s off the server's: check NTP (timedatectl)", offset)
