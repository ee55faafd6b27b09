"""Playing what is due, one airing at a time, and logging each airing.

Rules it follows:
- an item starts at its start, or late while its slot lasts (never after: it has expired), one
  at a time; audio plays only after its sha256 was checked again;
- an emergency bulletin interrupts anything but another emergency; the interrupted item then
  resumes where it was cut. A restart plays the item that was playing again from its start,
  while its slot lasts. An emergency the server withdrew stops at once;
- each airing, and each one that could not air, becomes a play log on disk until the server
  acknowledges it (reports.py sends them);
- a playback error (a player that could not start or exited with an error, audio missing or
  corrupt) is also kept in the state as the last error, with its code, for the heartbeat.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from .. import airings as rules
from ..airings import Airing
from ..cache import MediaCache
from ..clock import parse_instant
from ..players import PlayerError
from ..playlogs import PlayLogQueue
from ..state import AUDIO_MISSING, AUDIO_REFUSED, CACHE_MISMATCH, PLAYER_FAILED, PLAYER_NOT_STARTED, State

log = logging.getLogger(__name__)
PROCESS_CHECK = timedelta(seconds=1)  # how often a real player is asked whether it has finished


class Playout:
    """The player and its one playback; what plays is in the state (`playing`, `interrupted`),
    so that a restart knows it."""

    def __init__(self, player, cache: MediaCache, state: State, logs: PlayLogQueue):
        self.player, self.cache, self.state, self.logs = player, cache, state, logs
        self.playback = None

    @property
    def volume(self) -> int | None:
        """The volume the player was told to play at, if it was told one (players.py)."""
        return getattr(self.player, "volume", None)

    @property
    def player_running(self) -> bool:
        return self.playback is not None and self.playback.is_running()

    def next_look(self, now: datetime) -> datetime | None:
        """When the playback needs looking at (its end, or a real player's next check); None
        when nothing plays."""
        if self.playback is None:
            return None
        ends = self.playback.ends_at or now + PROCESS_CHECK
        playing = self.state["playing"]
        return min(ends, parse_instant(playing["end"], "end")) if playing["stream"] else ends

    def halt(self) -> None:
        """Stop the player for a shutdown; what it was playing stays in the state."""
        if self.playback is not None:
            self.playback.stop()
            self.playback = None

    def after_restart(self, now: datetime) -> None:
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

    def follow(self, now: datetime) -> None:
        """Log the playback if it has ended (a relay ends with its slot)."""
        if self.playback is None:
            return
        playing = self.state["playing"]
        if playing["stream"] and now >= parse_instant(playing["end"], "end"):
            self.playback.stop()
        elif not self.playback.is_done():
            return
        error = self.playback.error
        self.playback = None
        if error:
            self._fail(playing, now, PLAYER_FAILED, error)
        else:
            self._finish(playing, "played", now, playing.get("detail"))

    def withdraw(self, gone: set[str], now: datetime) -> None:
        """An emergency the server no longer sends stops at once if it is playing: a cancelled
        bulletin may be a wrong one, and the rest of it must not go out. What it interrupted
        resumes in this tick."""
        playing = self.state["playing"]
        if self.playback is None or playing is None or playing["id"] not in gone:
            return
        reached = position(playing, now)
        self.playback.stop()
        self.playback = None
        log.warning("stopping %r at %.0f s: the server withdrew it", playing["title"], reached)
        self._finish(playing, "skipped", now,
                     f"stopped at {reached:.0f} s: the server withdrew the bulletin (cancelled or expired)")

    def log_expired(self, airings: list[Airing], now: datetime) -> None:
        """Airings that can no longer start are logged once, with why they did not air."""
        current = {(self.state["playing"] or {}).get("id"), (self.state["interrupted"] or {}).get("id")}
        for airing in rules.expired(airings, self.state.done, now):
            if airing.id in current:
                continue
            bad = self.state["bad_media"].get(airing.media.sha256) if airing.media else None
            if bad:
                self._fail(record(airing, airing.start, 0), now, AUDIO_REFUSED, f"audio refused: {bad['reason']}")
                continue
            if airing.media and not self.cache.has(airing.media.sha256):
                status, detail = "skipped", "not started before the end of its slot (its audio was not here)"
            else:
                status, detail = "skipped", "not started before the end of its slot (receiver busy or off)"
            self._finish(record(airing, airing.start, 0), status, now, detail)

    def play(self, airings: list[Airing], now: datetime) -> None:
        held = (self.state["interrupted"] or {}).get("id")
        waiting = [a for a in rules.due(airings, self.state.done, now) if a.id != held]  # resumed, not restarted
        emergency = next((a for a in waiting if a.is_emergency and self._source(a, now)), None)
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
        reached = position(playing, now) if not playing["stream"] else 0  # a relay resumes live
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
            self._fail(held, now, AUDIO_MISSING, "audio missing when it was to be resumed")
            return
        log.info("resuming %r at %.0f s", held["title"], held["offset_s"])
        self._launch(held, str(source), now)

    def _source(self, airing: Airing, now: datetime):
        if airing.stream:
            return airing.stream
        held = self.cache.has(airing.media.sha256)
        path = self.cache.verified(airing.media.sha256)
        if held and path is None:
            self.state.note_error(now, CACHE_MISMATCH, f"{airing.title}: the cached audio no longer matched its sha256 "
                                       "(deleted, to be fetched again)")
        return path

    def _start(self, airing: Airing, now: datetime) -> bool:
        source = self._source(airing, now)
        if source is None:
            return False
        log.info("playing %s, due %s", airing.label(), airing.start.isoformat())
        self._launch(record(airing, now, 0), str(source), now)
        return True

    def _launch(self, playing: dict, source: str, now: datetime) -> None:
        if playing["stream"]:
            length = (parse_instant(playing["end"], "end") - now).total_seconds()
        else:
            length = playing["duration_s"]
        try:
            self.playback = self.player.start(source, playing["offset_s"], length)
        except PlayerError as exc:
            self._fail(playing, now, PLAYER_NOT_STARTED, str(exc))
            return
        self.state["playing"] = {**playing, "resumed_at": now.isoformat()}
        self.state.save()  # a restart must know what was playing

    def _fail(self, playing: dict, now: datetime, code: str, why: str) -> None:
        self.state.note_error(now, code, f"{playing['title']}: {why}")
        self._finish(playing, "failed", now, why)

    def _finish(self, playing: dict, status: str, now: datetime, detail: str | None) -> None:
        entry = {**playing["reference"], "started_at": playing["started_at"], "ended_at": now.isoformat(),
                 "status": status}
        if detail:
            entry["detail"] = detail[:2000]
        self.logs.add(entry)
        self.state.mark_done(playing["id"], status, parse_instant(playing["end"], "end"))
        self.state["playing"] = None
        log.info("%s %r (%s)%s", status, playing["title"], playing["id"], f": {detail}" if detail else "")


def record(airing: Airing, started: datetime, offset_s: float) -> dict:
    """What the state keeps of an airing while it plays (or waits, interrupted)."""
    return {"id": airing.id, "title": airing.title, "emergency": airing.is_emergency,
            "reference": airing.reference, "sha256": airing.media.sha256 if airing.media else None,
            "stream": airing.stream, "duration_s": airing.duration_s, "end": airing.end.isoformat(),
            "started_at": started.isoformat(), "offset_s": offset_s, "detail": None}


def position(playing: dict, now: datetime) -> float:
    """Seconds into the audio a playing airing has reached."""
    return playing["offset_s"] + (now - parse_instant(playing["resumed_at"], "resumed_at")).total_seconds()
