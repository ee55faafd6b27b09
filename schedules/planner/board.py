"""One station's time during a build: busy intervals, counted fixed airings, planned slots.

Times are whole seconds since midnight. A slot is a place held for one series (day,
window, start, length) before any episode is chosen, so that where things go never
depends on which episodes exist.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from operator import attrgetter

from ..periods import (
    Block,
    PeriodQuota,
    RequirementInput,
    StationInput,
    counts_toward_requirements,
    day_windows,
    days_between,
    quota,
    seconds,
)
from .model import EpisodeInput, FixedEntry
from .reasons import Reason
from .spread import Place

INFINITE = math.inf


@dataclass(frozen=True)
class Airing:
    """A fixed entry as counting sees it; ``window`` is None outside every window."""

    day: date
    start: int
    end: int
    window: str | None
    series: str | None
    episode: str | None
    duration: float
    is_new: bool


@dataclass(eq=False)
class Slot:
    """A held place; ``serves`` are the requirements it was placed or adopted for, and
    ``lo``..``hi`` the durations its content must have so that it counts for all of them.
    The content fields are filled once episodes are chosen."""

    day: date
    window: str
    start: int
    length: int
    series: str
    creator: RequirementInput
    serves: list[RequirementInput]
    lo: float
    hi: float
    episode: str | None = None
    title: str = ""
    duration: float = 0.0
    is_new: bool = False
    why: tuple[Reason, ...] = ()  # why no episode fills it (a reservation)
    notes: list[str] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + math.ceil(self.duration)


def _window_of(station: StationInput, day: date, start: int, end: int) -> str | None:
    for window in station.windows_by_start:
        if window.is_open_on(day) and seconds(window.start) <= start and end <= seconds(window.end):
            return window.name
    return None


def fixed_airings(station: StationInput, fixed: Sequence[FixedEntry],
                  episodes: dict[str, EpisodeInput], today: date) -> list[Airing]:
    """The station's fixed entries as airings; a reservation counts (as holding new
    content) only from today on, since a past one never aired. A bulletin only takes its
    time: no series and no episode, so it counts for nothing and is no episode's airing."""
    ordered = sorted(fixed, key=lambda f: (f.day, f.start, f.key))
    seen: set[str] = set()
    airings = []
    for entry in ordered:
        start, end = seconds(entry.start), math.ceil(_exact(entry.end))
        episode = entry.episode
        if not counts_toward_requirements(entry.kind):
            series, episode, is_new = None, None, False
        elif episode is None:
            is_new = entry.kind == "reservation" and entry.day >= today
            series = entry.series if entry.kind != "reservation" or is_new else None
        else:
            history = episodes.get(episode)
            first = None if history is None else history.first_aired.get(station.code)
            is_new = episode not in seen and (first is None or entry.day <= first)
            seen.add(episode)
            series = entry.series
        airings.append(Airing(entry.day, start, end, _window_of(station, entry.day, start, end),
                              series, episode, end - start, is_new))
    return airings


def _exact(t) -> float:
    return seconds(t) + t.microsecond / 1e6


@dataclass
class Shared:
    """Answers that depend only on a station's windows and closed days and on a requirement's
    rule, kept for a whole build and shared by its boards: a province has a hundred stations
    alike, whose requirements mostly follow the same few rules, and planning asks for the
    same days and periods over and over."""

    allowed: dict[tuple, dict[date, tuple[str, ...]]] = field(default_factory=dict)
    quotas: dict[tuple, dict[tuple[date, date], PeriodQuota]] = field(default_factory=dict)
    cells: dict[tuple, list[Place]] = field(default_factory=dict)


class Board:
    """Busy time, fixed airings and slots of one station; places go from ``first`` to ``last``.

    Besides each day's lists, fixed airings and slots are indexed by series in time order:
    only airings of a requirement's series can count for it, and planning asks "what of
    this series is there in this period" for every requirement and period.
    """

    def __init__(self, station: StationInput, first: date, last: date, airings: Sequence[Airing],
                 shared: Shared | None = None) -> None:
        self.station = station
        self.first, self.last = first, last
        self.busy: dict[date, list[tuple[int, int]]] = defaultdict(list)
        self.fixed: dict[date, list[Airing]] = defaultdict(list)
        self.slots: dict[date, list[Slot]] = defaultdict(list)  # each day's by start
        self._fixed_of: dict[str | None, list[Airing]] = defaultdict(list)  # by day
        self._slots_of: dict[str, list[Slot]] = defaultdict(list)  # by day and start
        self._allowed: dict[str, dict[date, tuple[str, ...]]] = {}  # by requirement code
        self._shared = Shared() if shared is None else shared
        self._quotas: dict[str, dict[tuple[date, date], PeriodQuota]] = {}  # by requirement code
        self._bounds = {w.name: (seconds(w.start), seconds(w.end)) for w in station.windows}
        self.version = 0  # changes with every slot added, removed or shared
        for airing in airings:
            self.fixed[airing.day].append(airing)
            self._occupy(airing.day, airing.start, airing.end)
        for airing in self.all_fixed():
            self._fixed_of[airing.series].append(airing)
        self.blocks = list(self._blocks())
        for day, block in self.blocks:
            at = seconds(block.at)
            self._occupy(day, at, at + block.duration_s)

    def allowed_days(self, req: RequirementInput) -> dict[date, tuple[str, ...]]:
        """Every allowed day of ``req`` with the windows it allows that day, by start time
        (asked for the same days over and over; kept in ``Shared``)."""
        found = self._allowed.get(req.code)
        if found is None:
            station = self.station
            key = (station.windows, station.closed, req.date_from, req.date_to, req.days,
                   req.windows)
            found = self._shared.allowed.get(key)
            if found is None:
                found = self._shared.allowed[key] = {
                    day: names for day in days_between(req.date_from, req.date_to)
                    if (names := tuple(w.name for w in day_windows(req, self.station, day)))}
            self._allowed[req.code] = found
        return found

    def quota(self, req: RequirementInput, start: date, end: date) -> PeriodQuota:
        """``periods.quota`` of the period ``start``..``end`` (kept in ``Shared``)."""
        found = self._quotas.get(req.code)
        if found is None:
            rule = replace(req, code="", stations=())
            found = self._quotas[req.code] = self._shared.quotas.setdefault(
                (self.station.windows, self.station.closed, rule), {})
        if (start, end) not in found:
            found[start, end] = quota(req, self.station, start, end)
        return found[start, end]

    def cells(self, req: RequirementInput, start: date, end: date) -> list[Place]:
        """Every cell ``req`` allows from ``start`` to ``end`` where the planner may place, in
        time order (kept in ``Shared``: every station alike asks for the same periods, and the
        free ones are taken as they are)."""
        allowed = self.allowed_days(req)
        key = (id(allowed), max(start, self.first), min(end, self.last))
        found = self._shared.cells.get(key)
        if found is None:
            found = self._shared.cells[key] = [
                Place(day, rank, window) for day in self.days(start, end)
                for rank, window in enumerate(allowed.get(day, ()))]
        return found

    def allowed(self, req: RequirementInput, day: date) -> tuple[str, ...]:
        """The windows ``req`` allows that day, by start time (none: not an allowed day)."""
        return self.allowed_days(req).get(day, ())

    def slot_count(self, req: RequirementInput) -> int:
        """``periods.slot_count``, through ``allowed_days``."""
        return sum(len(names) for names in self.allowed_days(req).values())

    def counts(self, req: RequirementInput, day: date, window: str | None, series: str | None,
               duration: float) -> bool:
        """The plan format's matching: series, allowed day, allowed window, duration in bounds."""
        return (series == req.series and req.allows_duration(duration)
                and window in self.allowed(req, day))

    def may_count(self, req: RequirementInput, day: date, window: str, series: str,
                  lo: float, hi: float) -> bool:
        """Whether content of ``lo``..``hi`` seconds placed there could count for ``req``."""
        if series != req.series:
            return False
        low = max(lo, req.duration_min or 0)
        high = min(hi, INFINITE if req.duration_max is None else req.duration_max)
        return low <= high and self.counts(req, day, window, series, low)

    def _blocks(self) -> Iterable[tuple[date, Block]]:
        """Blocks of every open day (``StationInput.blocks_on``); a fixed entry over a block's
        time takes its place. Bulletins and make-goods never go there (``slots.open_spans``
        leaves block time out), so that is the block's own entry, kept or moved by hand."""
        for day in days_between(self.first, self.last):
            for block in self.station.blocks_on(day):
                at = seconds(block.at)
                if not any(a.start < at + block.duration_s and at < a.end for a in self.fixed[day]):
                    yield day, block

    def _occupy(self, day: date, start: int, end: int) -> None:
        bisect.insort(self.busy[day], (start, end))

    def fit(self, day: date, window: str, length: int) -> int | None:
        """The earliest start in the window where ``length`` seconds are free, if any."""
        cursor, closes = self._bounds[window]
        for start, end in self.busy[day]:
            if start >= cursor + length:
                break
            if end > cursor:
                cursor = end
        return cursor if cursor + length <= closes else None

    def add(self, slot: Slot) -> None:
        """Keeps each day's slots in time order (starts differ: slots never overlap), so
        that listing them needs no sorting."""
        bisect.insort(self.slots[slot.day], slot, key=_start)
        bisect.insort(self._slots_of[slot.series], slot, key=_when)
        self._occupy(slot.day, slot.start, slot.start + slot.length)
        self.version += 1

    def remove(self, slot: Slot) -> None:
        self.slots[slot.day].remove(slot)
        self._slots_of[slot.series].remove(slot)
        self.busy[slot.day].remove((slot.start, slot.start + slot.length))
        self.version += 1

    def share(self, slot: Slot, req: RequirementInput) -> None:
        """Let ``slot`` serve ``req`` too, narrowing its durations to what counts for both."""
        slot.serves.append(req)
        slot.lo = max(slot.lo, req.duration_min or 0)
        slot.hi = min(slot.hi, slot.length if req.duration_max is None else req.duration_max)
        self.version += 1

    def days(self, start: date, end: date) -> Iterable[date]:
        """Days between ``start`` and ``end`` where the planner may place."""
        return days_between(max(start, self.first), min(end, self.last))

    def fixed_between(self, start: date, end: date, series: str | None = None) -> list[Airing]:
        """Fixed airings from ``start`` to ``end`` in time order, of one series if given."""
        if series is None:
            return [a for day in days_between(start, end) for a in self.fixed.get(day, ())]
        return _between(self._fixed_of.get(series, []), start, end)

    def all_fixed(self) -> list[Airing]:
        return [a for day in sorted(self.fixed) for a in self.fixed[day]]

    def slots_between(self, start: date, end: date, series: str | None = None) -> list[Slot]:
        """Slots from ``start`` to ``end`` in time order, of one series if given."""
        if series is None:
            return [s for day in self.days(start, end) for s in self.slots.get(day, ())]
        return _between(self._slots_of.get(series, []), start, end)

    def all_slots(self) -> list[Slot]:
        return self.slots_between(self.first, self.last)


def _between(items: list, start: date, end: date) -> list:
    """The part of ``items`` (sorted by day) from ``start`` to ``end``."""
    first = bisect.bisect_left(items, start, key=_day)
    return items[first:bisect.bisect_right(items, end, key=_day)]


# Sort keys as attrgetters, done in C: bisecting a series' slots calls them by the million.
_day = attrgetter("day")
_start = attrgetter("start")
_when = attrgetter("day", "start")
