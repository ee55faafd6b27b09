"""What the export writers read: one station's day as plain, immutable values.

The shell loads schedule entries, episodes and media rows and builds these; the writers
never see the database. Values are checked when built, so a writer can trust them (an
aware ``start``, a known ``kind``) instead of each writer re-checking or failing later
half-way through a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..planfile.model import PERIODS, WEEKDAYS

KINDS = ("episode", "reservation", "relay", "live", "bulletin")
STATUSES = ("planned", "cancelled")


def _check_aware(owner: str, **values: datetime) -> None:
    for name, value in values.items():
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{owner}: {name} {value} has no time zone")


@dataclass(frozen=True, kw_only=True)
class PlayItem:
    """One schedule entry as the exports see it (``id`` is the entry's stable UUID).

    ``duration_s`` is the length of the audio (of the block, for relays and lives);
    ``media_path`` is a local canonical file, ``media_url`` where it is served online,
    ``source`` a relay's stream URL; ``window_title`` is how people read ``window``.
    """

    id: str
    start: datetime
    end: datetime
    window: str | None
    window_title: str | None = None
    kind: str
    title: str
    series_code: str | None = None
    series_title: str | None = None
    episode_code: str | None = None
    requirement: str | None = None
    priority: str | None = None
    status: str = "planned"
    duration_s: float
    media_path: Path | None = None
    media_url: str | None = None
    sha256: str | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        owner = f"entry {self.id}"
        _check_aware(owner, start=self.start, end=self.end)
        for rule, broken in (
            (f"kind {self.kind!r} is not one of {KINDS}", self.kind not in KINDS),
            (f"status {self.status!r} is not one of {STATUSES}", self.status not in STATUSES),
            (f"end {self.end} is before start {self.start}", self.end < self.start),
            ("duration_s is negative", self.duration_s < 0),
        ):
            if broken:
                raise ValueError(f"{owner}: {rule}")

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def has_content(self) -> bool:
        """Something a player can open: audio for airable items, a stream for relays."""
        if self.kind == "relay":
            return self.source is not None
        return self.kind != "live" and (self.media_path is not None or self.media_url is not None)

    @property
    def needs_content(self) -> bool:
        """A live block needs only a person at the microphone; everything else needs audio."""
        return self.kind != "live"

    @property
    def planned_s(self) -> float:
        """The slot the schedule gives the item, which the running order shows."""
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True)
class Tick:
    """An operator's "đã phát" for an item: who ticked it and when, printed in the log book."""

    by: str
    at: datetime

    def __post_init__(self) -> None:
        _check_aware(f"tick by {self.by}", at=self.at)


@dataclass(frozen=True)
class WindowInfo:
    """One broadcast window of the day, as aware instants; ``title`` is how people read it
    ("Buổi sáng"), the ``name`` being a code."""

    name: str
    start: datetime
    end: datetime
    title: str | None = None

    def __post_init__(self) -> None:
        _check_aware(f"window {self.name}", start=self.start, end=self.end)
        if self.end <= self.start:
            raise ValueError(f"window {self.name}: end {self.end} is not after start {self.start}")

    @property
    def label(self) -> str:
        """What a printed page or a player's display calls the window."""
        return self.title or self.name


@dataclass(frozen=True)
class DayPlaylist:
    """A station's running order for one local day: windows and entries, in time order."""

    station_code: str
    station_name: str
    day: date
    timezone: str
    windows: tuple[WindowInfo, ...]
    items: tuple[PlayItem, ...]
    schedule_version: int

    def __post_init__(self) -> None:
        owner = f"playlist {self.station_code} {self.day}"
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{owner}: unknown time zone {self.timezone!r}") from exc
        names = [window.name for window in self.windows]
        if len(set(names)) != len(names):
            raise ValueError(f"{owner}: duplicate window names")
        unknown = sorted({i.window for i in self.items if i.window is not None} - set(names))
        if unknown:
            raise ValueError(f"{owner}: items name unknown windows {unknown}")
        if list(self.items) != sorted(self.items, key=lambda item: item.start):
            raise ValueError(f"{owner}: items are not in time order")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def window(self, name: str) -> WindowInfo:
        """The window called ``name``; a ValueError names an unknown one."""
        for window in self.windows:
            if window.name == name:
                return window
        raise ValueError(f"playlist {self.station_code} {self.day}: no window {name!r}")

    def only(self, window: str) -> DayPlaylist:
        """The same day narrowed to one window and its items (an export of that window alone)."""
        return replace(self, windows=(self.window(window),),
                       items=tuple(item for item in self.items if item.window == window))

    def live_items(self, window: str | None = None) -> tuple[PlayItem, ...]:
        """Items not cancelled, of one window or (``None``) of the whole day."""
        if window is not None:
            self.window(window)
        return tuple(item for item in self.items
                     if not item.is_cancelled and (window is None or item.window == window))


@dataclass(frozen=True, kw_only=True)
class RequirementRule:
    """A requirement at one station, resolved to the windows and days it may air in.

    ``windows`` are (name, local start, local end), ``window_titles`` how people read those
    names (a name without one is shown as it is); ``closed`` are the station's closed dates.
    ``max`` is ``None`` when the plan sets no upper bound.
    """

    code: str
    title: str
    station_code: str
    period: str
    days: tuple[str, ...]
    windows: tuple[tuple[str, time, time], ...]
    date_from: date
    date_to: date
    closed: tuple[date, ...] = ()
    priority: str = "normal"
    min: int
    max: int | None = None
    window_titles: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        owner = f"requirement {self.code}"
        unknown = sorted(set(self.days) - set(WEEKDAYS))
        for rule, broken in (
            (f"unknown weekdays {unknown}", unknown),
            (f"period {self.period!r} is not one of {PERIODS}", self.period not in PERIODS),
            ("from is after to", self.date_from > self.date_to),
            ("min is more than max", self.max is not None and self.min > self.max),
            ("a window ends before it starts", any(end <= start for _, start, end in self.windows)),
        ):
            if broken:
                raise ValueError(f"{owner}: {rule}")
