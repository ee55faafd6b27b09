"""The receiver's loop: one `tick()` polls what is due, plays what is due, fetches audio, sends
play logs and heartbeats, and saves its state. Nothing in it waits: `next_wake()` says when the
next tick is needed, and `run_forever` (cli.py) or a test advances the clock to it.

Rules it follows:
- the schedule is polled with its ETag every `poll_seconds`: the figure the answer just read
  advertised if sound (5 s to a day; a 304, and a restart, keep that of the schedule held; the
  server's ETags change with the figure, so a new one arrives at the next poll); emergency bulletins every
  `bulletin_seconds` (or at once on a "poll now" notice); an unreachable server is retried with
  a backoff that doubles at each failure, while the receiver plays on from what it holds. Only
  an answer of the server (a poll, a download, logs, a heartbeat) ends the backoff, never a tick
  that asked it nothing;
- both answers carry the emergency bulletins to play: the latest answer of either kind, a 304
  included, says which are held, and the bulletins ETag is kept only while it stands for exactly
  those (held and ETag are saved together), so a cancelled emergency goes on the next poll of
  either kind, whichever brought it, and stops there if it is playing;
- an item starts at its start, or late while its slot lasts (never after: it has expired), one
  at a time; audio plays only after its sha256 was checked again;
- an emergency bulletin interrupts anything but another emergency; the interrupted item then
  resumes where it was cut. A restart plays the item that was playing again from its start,
  while its slot lasts;
- each airing, and each one that could not air, becomes a play log on disk until the server
  acknowledges it.
"""
from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import airings as rules
from .airings import Airing, FeedError, bulletins_from, items_from, poll_seconds_from
from .cache import ChecksumMismatch, MediaCache
from .clock import Clock, parse_instant
from .playlogs import PlayLogQueue
from .retry import Backoff
from .server import Refused, ServerClient, Unreachable
from .state import State

log = logging.getLogger(__name__)
BAD_MEDIA_RETRY = timedelta(minutes=15)  # a corrupt file on the server may be repaired
PROCESS_CHECK = timedelta(seconds=1)  # how often a real player is asked whether it has finished
CLOCK_TOLERANCE_S = 30


@dataclass(frozen=True)
class Settings:
    device_code: str
    days: int = 3
    bulletin_seconds: float = 30
    poll_seconds: float = 60  # until the server advertises its own
    upload_batch: int = 200
    firmware: str = "radio-device"


_NO_ANSWER = object()  # what Receiver._exchange returns when the server did not answer

class Receiver:
    def __init__(self, settings: Settings, server: ServerClient, cache: MediaCache, player, logs: PlayLogQueue,
                 state: State, clock: Clock):
        self.settings, self.server, self.cache, self.player = settings, server, cache, player
        self.logs, self.state, self.clock = logs, state, clock
        self.poll_seconds = settings.poll_seconds
        self._take_poll_seconds(state["schedule"] or {})  # the held schedule's: a 304 will not repeat it
        self.link = Backoff(settings.device_code)
        self.playback = None
        self.poll_requested = False
        self.due_at: dict[str, datetime | None] = {"schedule": None, "bulletins": None, "heartbeat": None}
        self._waiting_for_space: list[str] = []
        self.airings: list[Airing] = self._read_airings()
        self._after_restart(clock())

    # -- the loop ---------------------------------------------------------------------------

    def tick(self) -> None:
        now = self.clock()
        self._poll(now)
        self._follow_playback(now)
        self._log_expired(now)
        self._play(now)
        self._fetch_media(now)
        self._play(now)  # audio that has just arrived (an emergency's) plays in this tick
        self._upload(now)
        self._heartbeat(now)
        self.state.forget_old(now)
        self.state.save()

    def close(self) -> None:
        """Stop for a shutdown: the player stops, and what it was playing is kept in the state,
        so that the next start plays it again (while its slot lasts)."""
        if self.playback is not None:
            self.playback.stop()
            self.playback = None
        self.state.save()
        self.server.close()

    def request_poll(self) -> None:
        """A "poll now" notice (MQTT): the next tick polls whatever the intervals say."""
        self.poll_requested = True

    def next_wake(self) -> datetime:
        """When the next tick has work: a poll, an airing's start, a playback's end, a retry."""
        now = self.clock()
        retry = now if self.link.ready(now) else self.link.not_before
        moments = [max(moment or now, retry) for moment in self.due_at.values()]
        start = rules.next_start(self.airings, self.state.done, now)
        if start is not None:
            moments.append(start)
        if self.playback is not None:
            ends = self.playback.ends_at or now + PROCESS_CHECK
            playing = self.state["playing"]
            moments.append(min(ends, parse_instant(playing["end"], "end")) if playing["stream"] else ends)
        if len(self.logs) or self._missing_media(now):
            moments.append(retry)
        return max(min(moments), now)

    def sync_once(self) -> bool:
        """Poll, fetch every audio file that fits, send logs and a heartbeat (`--once`): True when
        the server answered and nothing that fits is missing."""
        now = self.clock()
        self.poll_requested = True
        self._poll(now)
        reached = self.link.failures == 0
        self._fetch_media(now, pause_at_next_start=False)
        self._upload(now)
        self._heartbeat(now)
        self.state.save()
        return reached and self.link.failures == 0 and not self._missing_media(now)

    # -- polling ----------------------------------------------------------------------------

    def _read_airings(self) -> list[Airing]:
        return items_from(self.state["schedule"] or {}) + bulletins_from(self.state["bulletins"])

    def _is_due(self, name: str, now: datetime) -> bool:
        return self.due_at[name] is None or now >= self.due_at[name]

    def _poll(self, now: datetime) -> None:
        forced, self.poll_requested = self.poll_requested, False
        if not (forced or self.link.ready(now)):
            return
        polls = [poll for name, poll in (("bulletins", self._poll_bulletins), ("schedule", self._poll_schedule))
                 if forced or self._is_due(name, now)]
        if not polls:  # the server was not asked: this says nothing about the link (the backoff stands)
            return
        try:
            for poll in polls:
                poll(now)
        except Unreachable as exc:
            self._link_failed(now, exc)
        except Refused as exc:
            self._link_failed(now, exc, level=logging.ERROR)
        else:
            self._link_ok()

    def _exchange(self, now: datetime, call, *args):
        """One request to the server: its answer with the backoff reset, or _NO_ANSWER once the
        failure is noted and backed off."""
        try:
            answer = call(*args)
        except (Unreachable, Refused) as exc:
            self._link_failed(now, exc)
            return _NO_ANSWER
        self._link_ok()
        return answer

    def _link_failed(self, now: datetime, exc: Exception, level: int = logging.WARNING) -> None:
        """Back off; the first failure of an outage is logged loudly, the retries quietly."""
        wait = self.link.failed(now)
        if self.link.failures > 1:
            level = logging.DEBUG
        log.log(level, "server: %s; playing on from the cache, next try in %.0f s", exc, wait)

    def _link_ok(self) -> None:
        """The server has just answered (a poll, a download, logs, a heartbeat): the backoff
        starts again from its first wait. Only an answer resets it, never a tick that asked nothing."""
        if self.link.failures:
            log.info("server reachable again after %d failed attempts", self.link.failures)
        self.link.succeeded()

    def _poll_schedule(self, now: datetime) -> None:
        body, etag = self.server.schedule(self.state["schedule_etag"], self.settings.days)
        if body is None:  # 304: the schedule held is current, with the emergency bulletins it carries
            self._bulletins_with_schedule((self.state["schedule"] or {}).get("bulletins", []), now)
        else:
            self._take_schedule(body, etag, now)
        # after the answer was read: the interval it advertised (a 304 keeps the one held)
        self.due_at["schedule"] = now + timedelta(seconds=self.poll_seconds)

    def _take_schedule(self, body: dict, etag: str | None, now: datetime) -> None:
        try:
            items = items_from(body)
            bulletins_from(body.get("bulletins", []))
        except FeedError as exc:
            log.error("schedule not taken (keeping the one held): %s", exc)
            return
        self.state["schedule"], self.state["schedule_etag"] = body, etag
        self._take_poll_seconds(body)
        self.airings = items + [a for a in self.airings if a.is_emergency]
        self._bulletins_with_schedule(body.get("bulletins", []), now)
        log.info("schedule %s: %d items until %s, %d emergency bulletins", etag, len(body.get("items", [])),
                 body.get("valid_until"), len(self.state["bulletins"]))

    def _take_poll_seconds(self, answer: dict) -> None:
        """The interval the answer advertises, if it gives a sound one; else the known one stays
        (the schedule itself is still taken: a bad figure is no reason to play an old one)."""
        try:
            self.poll_seconds = poll_seconds_from(answer) or self.poll_seconds
        except FeedError as exc:
            log.error("keeping the poll interval of %.0f s: %s", self.poll_seconds, exc)

    def _poll_bulletins(self, now: datetime) -> None:
        body, etag = self.server.bulletins(self.state["bulletins_etag"])
        self.due_at["bulletins"] = now + timedelta(seconds=self.settings.bulletin_seconds)
        if body is None:  # 304: the ETag sent stands for exactly the bulletins held
            return
        try:
            emergencies = bulletins_from(body.get("bulletins", []))
        except FeedError as exc:
            log.error("bulletins not taken: %s", exc)
            return
        self._hold_bulletins(body.get("bulletins", []), emergencies, etag, now)

    def _bulletins_with_schedule(self, sent: list[dict], now: datetime) -> None:
        """The emergency bulletins a schedule answer carries (200) or confirms (304) are the
        current ones. When they differ from those held, they replace them, and the bulletins
        ETag goes with the set it stood for: sent again, it would be answered 304 as soon as
        the server's set is that old one again (a bulletin that came with the schedule was
        cancelled), and the cancelled one would stay, and play, until the next schedule poll."""
        if sent != self.state["bulletins"]:
            self._hold_bulletins(sent, bulletins_from(sent), None, now)

    def _hold_bulletins(self, sent: list[dict], emergencies: list[Airing], etag: str | None, now: datetime) -> None:
        """Hold these emergency bulletins with `etag`, the bulletins ETag that stands for exactly
        them (None: the next bulletins poll asks for them in full). The two are set together, and
        so saved together (one state file, written whole)."""
        known = {a.id for a in self.airings if a.is_emergency}
        for bulletin in emergencies:
            if bulletin.id not in known:
                log.warning("new %s, valid until %s", bulletin.label(), bulletin.end.isoformat())
        for gone in sorted(known - {a.id for a in emergencies}):
            log.info("emergency bulletin %s dropped: the server no longer sends it (cancelled or expired)", gone)
        self.state["bulletins"], self.state["bulletins_etag"] = sent, etag
        self.airings = [a for a in self.airings if not a.is_emergency] + emergencies
        self._stop_withdrawn(known - {a.id for a in emergencies}, now)

    def _stop_withdrawn(self, gone: set[str], now: datetime) -> None:
        """An emergency the server no longer sends stops at once if it is playing: a cancelled
        bulletin may be a wrong one, and the rest of it must not go out. What it interrupted
        resumes in this tick."""
        playing = self.state["playing"]
        if self.playback is None or playing is None or playing["id"] not in gone:
            return
        reached = self._position(playing, now)
        self.playback.stop()
        self.playback = None
        log.warning("stopping %r at %.0f s: the server withdrew it", playing["title"], reached)
        self._finish(playing, "skipped", now,
                     f"stopped at {reached:.0f} s: the server withdrew the bulletin (cancelled or expired)")

    # -- playing ----------------------------------------------------------------------------

    def _after_restart(self, now: datetime) -> None:
        """What was playing when the receiver stopped plays again from its start, if it may."""
        playing = self.state["playing"]
        if playing is None:
            return
        self.state["playing"] = None
        if now < parse_instant(playing["end"], "end"):
            log.info("restarted while playing %r: playing it again from the start", playing["title"])
            self.state["interrupted"] = {**playing, "offset_s": 0, "started_at": None,
                                         "detail": "played again after a restart"}
        else:
            self._finish(playing, "failed", now, "interrupted by a restart of the receiver")

    def _follow_playback(self, now: datetime) -> None:
        if self.playback is None:
            return
        playing = self.state["playing"]
        if playing["stream"] and now >= parse_instant(playing["end"], "end"):
            self.playback.stop()
        elif not self.playback.is_done():
            return
        error = self.playback.error
        self.playback = None
        self._finish(playing, "failed" if error else "played", now, error or playing.get("detail"))

    def _finish(self, playing: dict, status: str, now: datetime, detail: str | None) -> None:
        entry = {**playing["reference"], "started_at": playing["started_at"], "ended_at": now.isoformat(),
                 "status": status}
        if detail:
            entry["detail"] = detail[:2000]
        self.logs.add(entry)
        self.state.mark_done(playing["id"], status, parse_instant(playing["end"], "end"))
        self.state["playing"] = None
        log.info("%s %r (%s)%s", status, playing["title"], playing["id"], f": {detail}" if detail else "")

    def _log_expired(self, now: datetime) -> None:
        """Airings that can no longer start are logged once, with why they did not air."""
        current = {(self.state["playing"] or {}).get("id"), (self.state["interrupted"] or {}).get("id")}
        for airing in rules.expired(self.airings, self.state.done, now):
            if airing.id in current:
                continue
            bad = self.state["bad_media"].get(airing.media.sha256) if airing.media else None
            if bad:
                status, detail = "failed", f"audio refused: {bad['reason']}"
            elif airing.media and not self.cache.has(airing.media.sha256):
                status, detail = "skipped", "not started before the end of its slot (its audio was not here)"
            else:
                status, detail = "skipped", "not started before the end of its slot (receiver busy or off)"
            self._finish(self._playing_record(airing, airing.start, 0), status, now, detail)

    def _play(self, now: datetime) -> None:
        held = (self.state["interrupted"] or {}).get("id")
        waiting = [a for a in rules.due(self.airings, self.state.done, now) if a.id != held]  # resumed, not restarted
        emergency = next((a for a in waiting if a.is_emergency and self._source(a)), None)
        if self.playback is not None:
            if emergency is None or self.state["playing"]["emergency"]:
                return
            self._interrupt(emergency, now)
        if emergency is not None:
            self._start(emergency, now)
        elif self.state["interrupted"] is not None:
            self._resume(now)
        else:
            for airing in waiting:
                if self._start(airing, now):
                    return

    def _interrupt(self, emergency: Airing, now: datetime) -> None:
        playing = self.state["playing"]
        reached = self._position(playing, now) if not playing["stream"] else 0  # a relay resumes live
        self.playback.stop()
        self.playback = None
        self.state["interrupted"] = {**playing, "offset_s": reached,
                                     "detail": f"interrupted at {reached:.0f} s by emergency bulletin {emergency.id}, "
                                               "then resumed"}
        self.state["playing"] = None
        log.warning("interrupting %r at %.0f s for %s", playing["title"], reached, emergency.label())

    def _resume(self, now: datetime) -> None:
        held = self.state["interrupted"]
        self.state["interrupted"] = None
        held["started_at"] = held["started_at"] or now.isoformat()  # a replay from the start starts now
        source = held["stream"] or self.cache.verified(held["sha256"])
        if source is None:
            self._finish(held, "failed", now, "audio missing when it was to be resumed")
            return
        log.info("resuming %r at %.0f s", held["title"], held["offset_s"])
        self._launch(held, str(source), now)

    def _source(self, airing: Airing):
        return airing.stream or self.cache.verified(airing.media.sha256)

    def _start(self, airing: Airing, now: datetime) -> bool:
        source = self._source(airing)
        if source is None:
            return False
        log.info("playing %s, due %s", airing.label(), airing.start.isoformat())
        self._launch(self._playing_record(airing, now, 0), str(source), now)
        return True

    @staticmethod
    def _playing_record(airing: Airing, started: datetime, offset_s: float) -> dict:
        return {"id": airing.id, "title": airing.title, "emergency": airing.is_emergency,
                "reference": airing.reference, "sha256": airing.media.sha256 if airing.media else None,
                "stream": airing.stream, "duration_s": airing.duration_s, "end": airing.end.isoformat(),
                "started_at": started.isoformat(), "offset_s": offset_s, "detail": None}

    def _launch(self, record: dict, source: str, now: datetime) -> None:
        if record["stream"]:
            length = (parse_instant(record["end"], "end") - now).total_seconds()
        else:
            length = record["duration_s"]
        self.playback = self.player.start(source, record["offset_s"], length)
        self.state["playing"] = {**record, "resumed_at": now.isoformat()}
        self.state.save()  # a restart must know what was playing

    # -- audio ------------------------------------------------------------------------------

    def _wanted(self, now: datetime) -> list:
        """Audio to hold, most urgent first, within the cache limit."""
        return self.cache.fits(rules.wanted_media(self.airings, self.state.done, now))

    def _held(self) -> set[str]:
        """Audio in use now (playing or interrupted) is never evicted."""
        return {r["sha256"] for r in (self.state["playing"], self.state["interrupted"]) if r and r["sha256"]}

    def _missing_media(self, now: datetime) -> list:
        bad = self.state["bad_media"]
        return [m for m in self._wanted(now) if not self.cache.has(m.sha256) and
                (m.sha256 not in bad or now >= parse_instant(bad[m.sha256]["retry_at"], "retry_at"))]

    def _fetch_media(self, now: datetime, pause_at_next_start: bool = True) -> None:
        """Evict what is no longer wanted, then download what is missing, the most urgent first,
        pausing (the part is resumed later) when the next airing is due to start."""
        wanted = rules.wanted_media(self.airings, self.state.done, now)
        fitting = self.cache.fits(wanted)
        self._note_space(wanted, fitting)
        removed = self.cache.keep_only({m.sha256 for m in fitting} | self._held())
        if removed:
            log.info("evicted %d audio files no longer scheduled or over the cache limit", len(removed))
        until = rules.next_start(self.airings, self.state.done, now) if pause_at_next_start else None
        for media in self._missing_media(now):
            if not self.link.ready(now) or self._should_pause(until):
                return
            complete = True
            try:
                complete = self.cache.fetch(media, self.server, lambda: self._should_pause(until))
            except ChecksumMismatch as exc:
                log.error("refused (never played): %s", exc)
                self.state["bad_media"][media.sha256] = {"reason": str(exc),
                                                         "retry_at": (now + BAD_MEDIA_RETRY).isoformat()}
            except (Unreachable, Refused) as exc:
                self._link_failed(now, exc)
                return
            else:
                if complete:
                    self.state["bad_media"].pop(media.sha256, None)
            self._link_ok()  # the server answered: the file, a part of it (paused), or bytes that fail their sha256
            if not complete:
                return  # paused: the part is resumed later

    def _should_pause(self, until: datetime | None) -> bool:
        return self.poll_requested or (until is not None and self.clock() >= until)

    def _note_space(self, wanted: list, fitting: list) -> None:
        left_out = [m.sha256 for m in wanted if m not in fitting]
        if left_out != self._waiting_for_space:
            self._waiting_for_space = left_out
            if left_out:
                log.warning("cache limit %s bytes: %d audio files wait until earlier ones have played",
                            self.cache.limit_bytes, len(left_out))

    # -- reports ----------------------------------------------------------------------------

    def _upload(self, now: datetime) -> None:
        while len(self.logs) and self.link.ready(now):
            batch = self.logs.pending(self.settings.upload_batch)
            answer = self._exchange(now, self.server.send_playlogs, batch)
            if answer is _NO_ANSWER:
                return
            done, refused = self.logs.settle(batch, answer)
            log.info("play logs sent: %d acknowledged, %d refused, %d waiting", done, refused, len(self.logs))
            if done + refused == 0:
                return  # the answer named none of them: try again later rather than loop

    def _heartbeat(self, now: datetime) -> None:
        if not self._is_due("heartbeat", now) or not self.link.ready(now):
            return
        self.due_at["heartbeat"] = now + timedelta(seconds=self.poll_seconds)
        report = {"free_disk_bytes": shutil.disk_usage(self.cache.folder).free,
                  "cached_items": self.cache.cached_count(), "firmware": self.settings.firmware[:64],
                  "device_time": now.isoformat()}
        playing = self.state["playing"]
        if playing is not None:
            report["now_playing"] = {"id": playing["id"], "title": playing["title"][:300],
                                     "position_s": max(self._position(playing, now), 0)}
        answer = self._exchange(now, self.server.heartbeat, report)
        if answer is not _NO_ANSWER:
            self._check_clock(answer, now)

    @staticmethod
    def _position(playing: dict, now: datetime) -> float:
        return playing["offset_s"] + (now - parse_instant(playing["resumed_at"], "resumed_at")).total_seconds()

    @staticmethod
    def _check_clock(answer: dict, now: datetime) -> None:
        """A Raspberry Pi has no clock battery: until NTP has set the time, items would play at
        the wrong moment. Say so loudly (playing follows the device's clock)."""
        try:
            offset = (now - parse_instant(answer["server_time"], "server_time")).total_seconds()
        except (KeyError, TypeError, ValueError):
            return
        if abs(offset) > CLOCK_TOLERANCE_S:
            log.error("this device's clock is %+.0f s off the server's: check NTP (timedatectl)", offset)
