"""The village loudspeakers: real `radio-device` receivers (player `none`) built from their
command-line options, each on the simulation's clock (one set far off), stepped by the season:
a receiver is ticked at the moment its own `next_wake()` names, so a day is a few dozen ticks.

A receiver can lose its link (pointed at a port nobody answers on: it plays on from what it
holds, queueing its logs) or lose its power (closed and not ticked; built again from its cache
folder when it comes back, as a restarted device is).
"""
from __future__ import annotations

import socket
from datetime import datetime, timedelta

from ..device_client.cli import build
from .instance import SimClock
from .ledger import Ledger, RecordingQueue

MIN_STEP = timedelta(seconds=1)


class Loudspeaker:
    def __init__(self, code: str, token: str, folder, clock: SimClock, ledger: Ledger, server_url: str,
                 dead_url: str, poll_seconds: int, offset: timedelta = timedelta()):
        self.code, self.folder, self.clock, self.ledger = code, folder, clock, ledger
        self.dead_url = dead_url
        self.offset, self.server_url, self.poll_seconds = offset, server_url, poll_seconds
        self.token_file = folder.parent / f"{code}.token"
        folder.parent.mkdir(parents=True, exist_ok=True)
        self.token_file.write_text(token + "\n")
        self.receiver = None
        self.link_up, self.off_since = True, None
        self.down_since: datetime | None = None
        self.power_on()

    def _device_clock(self) -> datetime:
        return self.clock.now + self.offset

    def power_on(self) -> None:
        receiver, _ = build(["--server", self.server_url, "--code", self.code, "--token-file", str(self.token_file),
                             "--cache", str(self.folder), "--player", "none", "--days", "3",
                             "--bulletin-seconds", str(self.poll_seconds)], clock=self._device_clock)
        receiver.logs = RecordingQueue(self.folder / "playlogs", self.code, self.ledger)
        self.receiver = receiver
        if not self.link_up:
            self._point_at_nothing()
        self.wake = self.clock.now
        if self.off_since is not None:
            self.ledger.counts["device hours off"] += (self.clock.now - self.off_since).total_seconds() / 3600
            self.off_since = None

    def power_off(self) -> None:
        self.receiver.close()
        self.receiver = None
        self.off_since = self.clock.now

    @property
    def is_on(self) -> bool:
        return self.receiver is not None

    @property
    def logs(self) -> RecordingQueue:
        return self.receiver.logs if self.receiver else RecordingQueue(self.folder / "playlogs", self.code, self.ledger)

    def cut_link(self) -> None:
        self.link_up, self.down_since = False, self.clock.now
        if self.receiver:
            self._point_at_nothing()

    def restore_link(self) -> None:
        self.link_up = True
        self.ledger.counts["device hours offline"] += (self.clock.now - self.down_since).total_seconds() / 3600
        if self.receiver:
            self.receiver.server.base = self.server_url + "/api/v1"
            self.wake = self.clock.now

    def _point_at_nothing(self) -> None:
        self.receiver.server.base = self.dead_url + "/api/v1"

    def tick(self) -> None:
        self.receiver.tick()
        self.ledger.counts["receiver ticks"] += 1
        self.wake = max(self.receiver.next_wake() - self.offset, self.clock.now + MIN_STEP)


class Fleet:
    def __init__(self, clock: SimClock):
        self.clock = clock
        self.speakers: dict[str, Loudspeaker] = {}
        # A port bound and never listened on: connecting is refused at once, as to a server that is down.
        self._dead = socket.socket()
        self._dead.bind(("127.0.0.1", 0))
        self.dead_url = f"http://127.0.0.1:{self._dead.getsockname()[1]}"

    def add(self, speaker: Loudspeaker) -> None:
        self.speakers[speaker.code] = speaker

    def run_until(self, until: datetime) -> None:
        """Tick every receiver that is on at each moment it asked for, up to `until`; then the
        clock stands at `until` (it never goes back)."""
        while True:
            awake = [s for s in self.speakers.values() if s.is_on]
            first = min((s.wake for s in awake), default=None)
            if first is None or first > until:
                break
            self.clock.now = max(self.clock.now, first)
            for speaker in awake:
                if speaker.wake <= self.clock.now:
                    speaker.tick()
        self.clock.now = max(self.clock.now, until)

    def close(self) -> None:
        for speaker in self.speakers.values():
            if speaker.is_on:
                speaker.power_off()
        self._dead.close()
