"""The receiver's link to the server, one for all its exchanges (polls, downloads, play logs,
heartbeats): an unreachable server is retried with a backoff that doubles at each failure,
while the receiver plays on from what it holds. Only an answer of the server ends the backoff,
never a tick that asked it nothing.
"""
from __future__ import annotations

import logging
from datetime import datetime

from ..retry import Backoff
from ..server import Refused, Unreachable

log = logging.getLogger(__name__)
NO_ANSWER = object()  # what Link.exchange returns when the server did not answer


class Link(Backoff):
    """The backoff, with each outage logged once loudly, whichever exchange met it."""

    def lost(self, now: datetime, exc: Exception, level: int = logging.WARNING) -> None:
        """Back off; the first failure of an outage is logged loudly, the retries quietly."""
        wait = self.failed(now)
        if self.failures > 1:
            level = logging.DEBUG
        log.log(level, "server: %s; playing on from the cache, next try in %.0f s", exc, wait)

    def answered(self) -> None:
        """The server has just answered (a poll, a download, logs, a heartbeat): the backoff
        starts again from its first wait. Only an answer resets it, never a tick that asked nothing."""
        if self.failures:
            log.info("server reachable again after %d failed attempts", self.failures)
        self.succeeded()

    def exchange(self, now: datetime, call, *args):
        """One request to the server: its answer with the backoff reset, or NO_ANSWER once the
        failure is noted and backed off."""
        try:
            answer = call(*args)
        except (Unreachable, Refused) as exc:
            self.lost(now, exc)
            return NO_ANSWER
        self.answered()
        return answer
