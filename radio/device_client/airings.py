"""What the receiver may play, read from the server's JSON, and the rules for choosing.

An airing is a schedule item or an emergency bulletin. A scheduled item plays at its start and
may still start late (the receiver was busy or restarting) until its scheduled end; after that
it has expired and never plays. An emergency bulletin plays at once, before anything else,
while it is valid. These rules are plain functions of the airings, what is done and "now".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .clock import parse_instant


class FeedError(ValueError):
    """The server sent a schedule the receiver cannot read (it keeps the one it had)."""


@dataclass(frozen=True)
class Media:
    url: str
    sha256: str
    bytes: int
    duration_s: float


@dataclass(frozen=True)
class Airing:
    id: str
    title: str
    start: datetime
    end: datetime  # a scheduled item's end, a bulletin's validity: the last moment it may start
    media: Media | None
    stream: str | None
    is_emergency: bool = False

    @property
    def reference(self) -> dict:
        """How a play log names it."""
        return {"bulletin": self.id} if self.is_emergency else {"entry_id": self.id}

    @property
    def duration_s(self) -> float:
        return self.media.duration_s if self.media else (self.end - self.start).total_seconds()

    def label(self) -> str:
        what = "emergency bulletin" if self.is_emergency else "item"
        return f"{what} {self.title!r} ({self.id})"


def _media(data, where: str) -> Media | None:
    if data is None:
        return None
    try:
        return Media(url=data["url"], sha256=data["sha256"], bytes=int(data["bytes"]),
                     duration_s=float(data["duration_s"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise FeedError(f"{where}: media is incomplete ({exc})") from None


POLL_SECONDS = (5, 86400)  # the poll intervals a receiver accepts from a server


def poll_seconds_from(answer: dict) -> float | None:
    """The poll interval an answer advertises (None: it gives none). A figure that is not a
    number of seconds within POLL_SECONDS is refused: a negative one would make the receiver
    poll on every tick, a huge one would leave it deaf to schedule changes."""
    figure = answer.get("poll_seconds")
    if figure is None:
        return None
    low, high = POLL_SECONDS
    if isinstance(figure, bool) or not isinstance(figure, (int, float)) or not low <= figure <= high:
        raise FeedError(f"poll_seconds {figure!r} is not a number of seconds from {low} to {high}")
    return float(figure)


def items_from(schedule: dict) -> list[Airing]:
    """The schedule's items (relays and live blocks carry a stream instead of media)."""
    found = []
    for index, item in enumerate(schedule.get("items", [])):
        where = f"items[{index}]"
        try:
            found.append(Airing(id=item["id"], title=item.get("title") or item["kind"],
                                start=parse_instant(item["start"], f"{where}.start"),
                                end=parse_instant(item["end"], f"{where}.end"),
                                media=_media(item.get("media"), where), stream=item.get("stream")))
        except (KeyError, TypeError, ValueError) as exc:
            raise FeedError(f"{where}: {exc}") from None
    return [a for a in found if a.media or a.stream]


def bulletins_from(bulletins: list[dict]) -> list[Airing]:
    found = []
    for index, bulletin in enumerate(bulletins):
        where = f"bulletins[{index}]"
        try:
            found.append(Airing(id=bulletin["id"], title=bulletin.get("title") or "emergency bulletin",
                                start=parse_instant(bulletin["valid_from"], f"{where}.valid_from"),
                                end=parse_instant(bulletin["valid_until"], f"{where}.valid_until"),
                                media=_media(bulletin.get("media"), where), stream=None, is_emergency=True))
        except (KeyError, TypeError, ValueError) as exc:
            raise FeedError(f"{where}: {exc}") from None
    return [a for a in found if a.media]


def is_open(airing: Airing, now: datetime) -> bool:
    """It may start now: its time has come and it has not expired."""
    return airing.start <= now < airing.end


def due(airings: list[Airing], done: set[str], now: datetime) -> list[Airing]:
    """What may start now, in order: emergency bulletins first, then items by start."""
    waiting = [a for a in airings if a.id not in done and is_open(a, now)]
    return sorted(waiting, key=lambda a: (not a.is_emergency, a.start, a.id))


def expired(airings: list[Airing], done: set[str], now: datetime) -> list[Airing]:
    """What was never played and can no longer start."""
    return sorted((a for a in airings if a.id not in done and a.end <= now), key=lambda a: (a.start, a.id))


def wanted_media(airings: list[Airing], done: set[str], now: datetime) -> list[Media]:
    """Audio still needed, the most urgent first (emergencies, then by start), once each."""
    coming = sorted((a for a in airings if a.id not in done and a.end > now and a.media),
                    key=lambda a: (not a.is_emergency, a.start, a.id))
    seen, ordered = set(), []
    for airing in coming:
        if airing.media.sha256 not in seen:
            seen.add(airing.media.sha256)
            ordered.append(airing.media)
    return ordered


def next_start(airings: list[Airing], done: set[str], now: datetime) -> datetime | None:
    """When the next airing not yet done begins (after now)."""
    return min((a.start for a in airings if a.id not in done and a.start > now), default=None)
