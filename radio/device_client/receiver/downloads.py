"""The audio the airings need: what is no longer wanted is evicted, what is missing is
downloaded, the most urgent first, within the cache limit. A download pauses (the part is
resumed later) when the next airing is due to start or a "poll now" notice comes; audio whose
sha256 does not match is never played, and asked for again after BAD_MEDIA_RETRY.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from .. import airings as rules
from ..airings import Airing, Media
from ..cache import ChecksumMismatch, MediaCache
from ..clock import Clock, parse_instant
from ..server import Refused, ServerClient, Unreachable
from ..state import State
from .link import Link

log = logging.getLogger(__name__)
BAD_MEDIA_RETRY = timedelta(minutes=15)  # a corrupt file on the server may be repaired


class Downloads:
    """`poll_requested()` says whether a "poll now" notice waits (it pauses a download)."""

    def __init__(self, cache: MediaCache, server: ServerClient, state: State, link: Link, clock: Clock,
                 poll_requested: Callable[[], bool]):
        self.cache, self.server, self.state, self.link, self.clock = cache, server, state, link, clock
        self.poll_requested = poll_requested
        self._waiting_for_space: list[str] = []

    def missing(self, airings: list[Airing], now: datetime) -> list[Media]:
        """Audio wanted and not here, but for corrupt audio before its retry."""
        bad = self.state["bad_media"]
        return [m for m in self._wanted(airings, now) if not self.cache.has(m.sha256) and
                (m.sha256 not in bad or now >= parse_instant(bad[m.sha256]["retry_at"], "retry_at"))]

    def fetch(self, airings: list[Airing], now: datetime, pause_at_next_start: bool = True) -> None:
        """Evict what is no longer wanted, then download what is missing, the most urgent first,
        pausing (the part is resumed later) when the next airing is due to start."""
        wanted = rules.wanted_media(airings, self.state.done, now)
        fitting = self.cache.fits(wanted)
        self._note_space(wanted, fitting)
        removed = self.cache.keep_only({m.sha256 for m in fitting} | self._held())
        if removed:
            log.info("evicted %d audio files no longer scheduled or over the cache limit", len(removed))
        until = rules.next_start(airings, self.state.done, now) if pause_at_next_start else None
        for media in self.missing(airings, now):
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
                self.link.lost(now, exc)
                return
            else:
                if complete:
                    self.state["bad_media"].pop(media.sha256, None)
            self.link.answered()  # the server answered: the file, a part of it (paused), or bytes that fail their sha256
            if not complete:
                return  # paused: the part is resumed later

    def _wanted(self, airings: list[Airing], now: datetime) -> list[Media]:
        """Audio to hold, most urgent first, within the cache limit."""
        return self.cache.fits(rules.wanted_media(airings, self.state.done, now))

    def _held(self) -> set[str]:
        """Audio in use now (playing or interrupted) is never evicted."""
        return {r["sha256"] for r in (self.state["playing"], self.state["interrupted"]) if r and r["sha256"]}

    def _should_pause(self, until: datetime | None) -> bool:
        return self.poll_requested() or (until is not None and self.clock() >= until)

    def _note_space(self, wanted: list[Media], fitting: list[Media]) -> None:
        left_out = [m.sha256 for m in wanted if m not in fitting]
        if left_out != self._waiting_for_space:
            self._waiting_for_space = left_out
            if left_out:
                log.warning("cache limit %s bytes: %d audio files wait until earlier ones have played",
                            self.cache.limit_bytes, len(left_out))
