"""The receiver's loop: one `tick()` polls what is due, plays what is due, fetches audio, sends
play logs and heartbeats, and saves its state. Nothing in it waits: `next_wake()` says when the
next tick is needed, and `run_forever` (cli.py) or a test advances the clock to it.

Its parts, each with the rules it follows: sync.py (the schedule and emergency bulletins polled
from the server), playout.py (playing what is due, and logging each airing), downloads.py (the
audio the airings need), reports.py (play logs and heartbeats sent to the server; mqtt_logs.py
the logs' batches over MQTT), and link.py
(the backoff they share while the server is unreachable: the receiver plays on from what it holds).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .. import airings as rules
from ..airings import Airing
from ..cache import MediaCache
from ..clock import Clock
from ..playlogs import PlayLogQueue
from ..server import ServerClient
from ..state import State
from .downloads import Downloads
from .link import Link
from .playout import Playout
from .reports import Reports
from .sync import Sync


@dataclass(frozen=True)
class Settings:
    device_code: str
    days: int = 3
    bulletin_seconds: float = 30
    poll_seconds: float = 60  # until the server advertises its own
    quiet_seconds: float = 7200  # the safety poll and heartbeat while a "poll now" listener is connected
    upload_batch: int = 200
    firmware: str = "radio-device"


class Receiver:
    def __init__(self, settings: Settings, server: ServerClient, cache: MediaCache, player, logs: PlayLogQueue,
                 state: State, clock: Clock):
        self.settings, self.server, self.cache, self.player = settings, server, cache, player
        self.state, self.clock = state, clock
        self.link = Link(settings.device_code)
        self.poll_requested = False
        self.playout = Playout(player, cache, state, logs)
        self.sync = Sync(server, state, self.link, self.playout.withdraw, settings.days, settings.bulletin_seconds,
                         settings.poll_seconds, settings.quiet_seconds)
        self.downloads = Downloads(cache, server, state, self.link, clock, lambda: self.poll_requested)
        started_at = clock()
        self.reports = Reports(server, cache, state, self.link, self.playout, settings.upload_batch,
                               settings.firmware, started_at)
        self.playout.after_restart(started_at)

    @property
    def airings(self) -> list[Airing]:
        """What may play: the schedule's items and the emergency bulletins held."""
        return self.sync.airings

    @property
    def poll_seconds(self) -> float:
        return self.sync.poll_seconds

    @property
    def contact_seconds(self) -> float:
        """How often the heartbeat goes: every poll interval, or every safety poll while changes
        are told otherwise (a "poll now" listener, a poll file)."""
        return max(self.sync.quiet_seconds, self.poll_seconds) if self.sync.quiet_now else self.poll_seconds

    @property
    def quiet(self) -> bool:
        """Whether a "poll now" listener is connected: the server tells each change at once, so
        the receiver only makes a safety poll and a heartbeat every `quiet_seconds`."""
        return self.sync.quiet

    @quiet.setter
    def quiet(self, listening: bool) -> None:
        self.sync.quiet = self.reports.mqtt.listening = listening

    def publish_logs_with(self, publisher) -> None:
        """The MQTT connection (`--mqtt`) the play logs go on while the server offers it."""
        self.reports.mqtt.publisher = publisher

    def ack_received(self, payload: bytes) -> None:
        """A play logs' acknowledgement (in paho's thread): the next tick settles it."""
        self.reports.mqtt.acks.put(payload)

    @property
    def playback(self):
        return self.playout.playback

    @property
    def logs(self) -> PlayLogQueue:
        """The play-log outbox: the playout fills it, the reports empty it."""
        return self.playout.logs

    @logs.setter
    def logs(self, queue: PlayLogQueue) -> None:
        self.playout.logs = queue

    # -- the loop ---------------------------------------------------------------------------

    def tick(self) -> None:
        now = self.clock()
        self._poll(now)
        self.playout.follow(now)
        self.playout.log_expired(self.airings, now)
        self.playout.play(self.airings, now)
        self.downloads.fetch(self.airings, now)
        self.playout.play(self.airings, now)  # audio that has just arrived (an emergency's) plays in this tick
        self.reports.upload(self.logs, now)
        self.reports.heartbeat(now, self.contact_seconds)
        self.state.forget_old(now)
        self.state.save()

    def close(self) -> None:
        """Stop for a shutdown: the player stops, and what it was playing is kept in the state,
        so that the next start plays it again (while its slot lasts)."""
        self.playout.halt()
        self.state.save()
        self.server.close()

    def request_poll(self) -> None:
        """A "poll now" notice (MQTT): the next tick polls whatever the intervals say."""
        self.poll_requested = True

    def next_wake(self) -> datetime:
        """When the next tick has work: a poll, an airing's start, a playback's end, a retry, play
        logs to send, a batch of them unacknowledged too long over MQTT."""
        now = self.clock()
        retry = now if self.link.ready(now) else self.link.not_before
        moments = [max(moment or now, retry) for moment in
                   (*self.sync.due_at.values(), self.reports.heartbeat_at(self.contact_seconds))]
        start = rules.next_start(self.airings, self.state.done, now)
        if start is not None:
            moments.append(start)
        look = self.playout.next_look(now)
        if look is not None:
            moments.append(look)
        if self.reports.waiting(self.logs) or self.downloads.missing(self.airings, now):
            moments.append(retry)
        if self.reports.mqtt.deadline is not None:
            moments.append(max(self.reports.mqtt.deadline, retry))
        return max(min(moments), now)

    def sync_once(self) -> bool:
        """Poll, fetch every audio file that fits, send logs and a heartbeat (`--once`): True when
        the server answered and nothing that fits is missing."""
        now = self.clock()
        self.poll_requested = True
        self._poll(now)
        reached = self.link.failures == 0
        self.downloads.fetch(self.airings, now, pause_at_next_start=False)
        self.reports.upload(self.logs, now)
        self.reports.heartbeat(now, self.contact_seconds)
        self.state.save()
        return reached and self.link.failures == 0 and not self.downloads.missing(self.airings, now)

    def _poll(self, now: datetime) -> None:
        """The polls that are due; all of them once after a "poll now" notice."""
        forced, self.poll_requested = self.poll_requested, False
        self.sync.poll(now, forced)
