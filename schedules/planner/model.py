"""The planner's inputs and outputs besides stations and requirements (see ``periods``).

All immutable; mappings are left out of hashing so that the records stay usable as
plain values while still comparing by content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time

from .reasons import Reason


@dataclass(frozen=True)
class EpisodeInput:
    """An episode: airable from ``available_from`` to ``expires`` once it has audio.

    ``duration_s`` None means no audio yet; ``first_aired`` maps a station code to the
    date of the episode's first airing there, from the play history. The planner puts an
    episode in its series' slots only when it is ``for_requirements`` (a one-off notice
    filed in a series is aired by hand, never rotated into a requirement's slot).
    """

    key: str
    series: str
    title: str
    duration_s: float | None
    available_from: date | None
    expires: date | None
    first_aired: Mapping[str, date] = field(default_factory=dict, hash=False)
    for_requirements: bool = True

    def __post_init__(self) -> None:
        if self.duration_s is not None and self.duration_s <= 0:
            raise ValueError(f"episode {self.key}: duration must be positive")

    def is_airable_on(self, day: date) -> bool:
        """Has audio and is inside its availability that day."""
        return (self.duration_s is not None
                and (self.available_from is None or self.available_from <= day)
                and (self.expires is None or day <= self.expires))


@dataclass(frozen=True)
class FixedEntry:
    """An entry the planner must not move: past, pinned, manual, a bulletin or already aired.

    It occupies its time and counts toward every requirement it matches, unless its kind
    never counts (``periods.UNCOUNTED_KINDS``: a bulletin only occupies its time).
    """

    station: str
    day: date
    start: time
    end: time
    kind: str
    series: str | None
    episode: str | None
    requirement: str | None
    key: str

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"entry {self.key}: end {self.end} is not after start {self.start}")


@dataclass(frozen=True)
class PlannedEntry:
    """One airing the planner proposes; ``requirement`` is the one that placed it.

    ``counts_for`` lists every requirement it counts toward (the plan format's matching);
    ``first_airing`` tells a first airing of its episode at the station (a reservation
    that holds new content counts as one).
    """

    station: str
    day: date
    start: time
    end: time
    window: str
    kind: str
    series: str | None
    episode: str | None
    requirement: str | None
    title: str
    source: str | None = None
    first_airing: bool = False
    counts_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shortfall:
    """A requirement-period the plan does not fully satisfy, with a reason a person reads.

    ``error``: the minimum or the new episodes cannot be met; ``warning``: met, but over
    the max (hand-added airings) or relying on reservations for missing content. ``reason``
    is English; ``reasons`` say the same as codes with values, for the web pages.
    """

    requirement: str
    station: str
    period_start: date
    period_end: date
    required: int
    planned: int
    required_new: int
    planned_new: int
    reason: str
    severity: str
    reasons: tuple[Reason, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Need:
    """Content someone must supply: a new episode of a series for a station by a date
    (``message`` in English, ``reason`` for the web pages)."""

    series: str
    station: str
    by: date
    message: str
    reason: Reason | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PlanResult:
    """Entries in (station, day, start) order, every shortfall, every need, and for each
    (requirement, station, period start) the lines that explain how the period was planned."""

    entries: tuple[PlannedEntry, ...]
    shortfalls: tuple[Shortfall, ...]
    needs: tuple[Need, ...]
    explanations: Mapping[tuple[str, str, date], tuple[str, ...]] = field(
        default_factory=dict, hash=False)
