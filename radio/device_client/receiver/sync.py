"""The schedule and the emergency bulletins the receiver holds, polled from the server, and the
airings they make.

Rules it follows:
- the schedule is polled with its ETag every `poll_seconds`: the figure the answer just read
  advertised if sound (5 s to a day; a 304, and a restart, keep that of the schedule held; the
  server's ETags change with the figure, so a new one arrives at the next poll); emergency bulletins every
  `bulletin_seconds` (or at once on a "poll now" notice); while the server is unreachable,
  only a notice polls before the link's backoff allows it (link.py);
- when the schedule names a poll file (a server with nginx keeps one per device), that file is
  asked instead, every `bulletin_seconds` with its ETag, and both polls are made only when it
  changed, besides a safety poll every `quiet_seconds`; its new ETag is kept only once they
  answered, so a change is never lost to a failed poll. A file gone (404) sends the receiver back
  to the usual polls until the next safety poll;
- both answers carry the emergency bulletins to play: the latest answer of either kind, a 304
  included, says which are held, and the bulletins ETag is kept only while it stands for exactly
  those (held and ETag are saved together), so a cancelled emergency goes on the next poll of
  either kind, whichever brought it, and stops there if it is playing (`withdraw`).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from ..airings import Airing, FeedError, bulletins_from, items_from, poll_seconds_from
from ..clock import is_due
from ..server import Refused, ServerClient, Unreachable
from ..state import State
from .link import Link

log = logging.getLogger(__name__)


class Sync:
    """`withdraw(ids, now)` stops an emergency the server no longer sends, if it is playing."""

    def __init__(self, server: ServerClient, state: State, link: Link,
                 withdraw: Callable[[set[str], datetime], None], days: int, bulletin_seconds: float,
                 poll_seconds: float, quiet_seconds: float):
        self.server, self.state, self.link, self.withdraw = server, state, link, withdraw
        self.days, self.bulletin_seconds, self.poll_seconds = days, bulletin_seconds, poll_seconds
        self.quiet_seconds, self.quiet = quiet_seconds, False
        self._take_poll_seconds(state["schedule"] or {})  # the held schedule's: a 304 will not repeat it
        self.polled_at: dict[str, datetime | None] = {"schedule": None, "bulletins": None, "file": None}
        self.missing_file: tuple[str, datetime] | None = None  # a poll file found gone, and until when
        self.airings: list[Airing] = items_from(state["schedule"] or {}) + bulletins_from(state["bulletins"])

    def poll(self, now: datetime, forced: bool) -> None:
        """The polls that are due, or both when `forced` (a "poll now" notice, even while backing off)."""
        if not (forced or self.link.ready(now)):
            return
        due_at = self.due_at
        file_due = not forced and "file" in due_at and is_due(due_at["file"], now)
        try:
            changed = self._poll_file(now) if file_due else None
            polls = [poll for name, poll in (("bulletins", self._poll_bulletins), ("schedule", self._poll_schedule))
                     if forced or changed is not None or (name in due_at and is_due(due_at[name], now))]
            for poll in polls:
                poll(now)
        except Unreachable as exc:
            self.link.lost(now, exc)
        except Refused as exc:
            self.link.lost(now, exc, level=logging.ERROR)
        else:
            if changed:  # what it told of is fetched: only now is its ETag taken
                self.state["poll_file_etag"] = changed
            if file_due or polls:  # else the server was not asked: the backoff stands
                self.link.answered()

    @property
    def quiet_now(self) -> bool:
        """Whether something else tells of changes (a "poll now" listener, or a poll file), so
        that the server itself is asked only by a safety poll."""
        return self.quiet or self.poll_file is not None

    @property
    def poll_file(self) -> str | None:
        """The poll file the held schedule names, unless that very file was found gone lately (a
        schedule naming another, after a new token, is followed at once)."""
        named = (self.state["schedule"] or {}).get("poll_file")
        return None if self.missing_file is not None and self.missing_file[0] == named else named

    @property
    def due_at(self) -> dict[str, datetime | None]:
        """When each poll falls due (None: at once); quiet, only the schedule's safety poll, and
        the poll file's when there is one."""
        safety = {"schedule": _after(self.polled_at["schedule"], max(self.quiet_seconds, self.poll_seconds))}
        if self.quiet:
            return safety
        if self.poll_file is not None:
            return {**safety, "file": _after(self.polled_at["file"], self.bulletin_seconds)}
        return {"schedule": _after(self.polled_at["schedule"], self.poll_seconds),
                "bulletins": _after(self.polled_at["bulletins"], self.bulletin_seconds)}

    def _poll_file(self, now: datetime) -> str | None:
        """The poll file's new ETag when it changed (both polls follow), else None. When the file
        is gone, the usual polls stand in from the next tick until the next safety poll."""
        self.polled_at["file"] = now
        try:
            return self.server.poll_file(self.poll_file, self.state["poll_file_etag"])
        except Refused as exc:
            if exc.status not in (403, 404):
                raise
            log.warning("poll file %s is gone (%s): polling the server itself", self.poll_file, exc)
            self.missing_file = (self.poll_file, now + timedelta(seconds=max(self.quiet_seconds, self.poll_seconds)))
            self.state["poll_file_etag"] = None
            return None

    def _poll_schedule(self, now: datetime) -> None:
        if self.missing_file is not None and now >= self.missing_file[1]:
            self.missing_file = None  # the safety poll: the file named is tried again
        body, etag = self.server.schedule(self.state["schedule_etag"], self.days)
        if body is None:  # 304: the schedule held is current, with the emergency bulletins it carries
            self._bulletins_with_schedule((self.state["schedule"] or {}).get("bulletins", []), now)
        else:
            self._take_schedule(body, etag, now)
        self.polled_at["schedule"] = now  # due again after the interval the answer advertised (or the held one)

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
        self.polled_at["bulletins"] = now
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
        self.withdraw(known - {a.id for a in emergencies}, now)


def _after(moment: datetime | None, seconds: float) -> datetime | None:
    return None if moment is None else moment + timedelta(seconds=seconds)
