"""Free airtime in a station's windows, and bulletins laid into it in Circular 39 order.

Normal and priority bulletins (Circular 39/2020/TT-BTTTT) are put into the program rather
than played at once: each goes into the earliest free stretch of a broadcast window inside
its validity, priority ones before normal ones, older before newer. The planner then treats
them as fixed entries and works around them.

Pure: windows, busy times and bulletins in; placements out. Instants are aware datetimes;
the time zone and the days to look at are arguments.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .periods import StationInput

PRIORITY_ORDER = ("priority", "normal")


def _aware(owner: str, **values: datetime) -> None:
    for name, value in values.items():
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{owner}: {name} {value} has no time zone")


@dataclass(frozen=True)
class Span:
    """A stretch of airtime in the window called ``window``."""

    start: datetime
    end: datetime
    window: str

    def __post_init__(self) -> None:
        _aware(f"span in {self.window}", start=self.start, end=self.end)
        if self.end < self.start:
            raise ValueError(f"span in {self.window}: end {self.end} is before start {self.start}")


@dataclass(frozen=True, kw_only=True)
class Pending:
    """A bulletin waiting for a place: it must start no earlier than ``earliest`` and end by ``latest``."""

    key: str
    priority: str
    issued: datetime
    duration_s: float
    earliest: datetime
    latest: datetime

    def __post_init__(self) -> None:
        _aware(f"bulletin {self.key}", issued=self.issued, earliest=self.earliest, latest=self.latest)
        if self.priority not in PRIORITY_ORDER:
            raise ValueError(f"bulletin {self.key}: priority {self.priority!r} is not one of {PRIORITY_ORDER} "
                             "(emergency bulletins play at once and are not placed)")
        if self.duration_s <= 0:
            raise ValueError(f"bulletin {self.key}: duration must be positive")

    @property
    def order(self) -> tuple:
        return (PRIORITY_ORDER.index(self.priority), self.issued, self.key)


def open_spans(station: StationInput, first: date, last: date, tz: ZoneInfo) -> list[Span]:
    """Every window opening from day ``first`` to ``last`` (closed dates left out) less the
    station's blocks, in time order. Blocks are taken out here, not read from the schedule: a
    day not built yet has no block entries, and what is placed there must leave their time."""
    spans, blocks, day = [], [], first
    while day <= last:
        if day not in station.closed:
            for window in station.windows_by_start:
                if window.is_open_on(day):
                    spans.append(Span(datetime.combine(day, window.start, tzinfo=tz),
                                      datetime.combine(day, window.end, tzinfo=tz), window.name))
            for block in station.blocks_on(day):
                start = datetime.combine(day, block.at, tzinfo=tz)
                blocks.append((start, start + timedelta(seconds=block.duration_s)))
        day += timedelta(days=1)
    return free_spans(spans, blocks)


def free_spans(spans: list[Span], busy: list[tuple[datetime, datetime]]) -> list[Span]:
    """What is left of ``spans`` once the ``busy`` (start, end) intervals are taken out."""
    free = list(spans)
    for start, end in busy:
        free = [piece for span in free for piece in _cut(span, start, end)]
    return sorted(free, key=lambda s: (s.start, s.window))


def _cut(span: Span, start: datetime, end: datetime) -> list[Span]:
    if end <= span.start or start >= span.end:
        return [span]
    pieces = []
    if start > span.start:
        pieces.append(Span(span.start, start, span.window))
    if end < span.end:
        pieces.append(Span(end, span.end, span.window))
    return pieces


def place(pending: list[Pending], free: list[Span]) -> dict[str, Span | None]:
    """Each bulletin's slot (``None`` when nothing fits), placed in Circular 39 order.

    Starts are whole seconds, so that a slot written to the database and read back is the same.
    """
    free = sorted(free, key=lambda s: (s.start, s.window))
    placed: dict[str, Span | None] = {}
    for item in sorted(pending, key=lambda p: p.order):
        slot = _first_fit(item, free)
        placed[item.key] = slot
        if slot is not None:
            free = free_spans(free, [(slot.start, slot.end)])
    return placed


def _first_fit(item: Pending, free: list[Span]) -> Span | None:
    length = timedelta(seconds=math.ceil(item.duration_s))
    for span in free:
        start = _whole_second(max(span.start, item.earliest))
        end = start + length
        if end <= span.end and end <= item.latest:
            return Span(start, end, span.window)
    return None


def _whole_second(moment: datetime) -> datetime:
    if moment.microsecond:
        return moment.replace(microsecond=0) + timedelta(seconds=1)
    return moment


STEP = timedelta(minutes=5)  # offered starts: each free stretch's first second, then the clock's 5 minutes


def starts_that_fit(free: list[Span], length: timedelta) -> list[Span]:
    """Where an item of `length` can go: each free stretch's first whole second, then every STEP
    of the clock, while the item still ends inside the stretch."""
    found = []
    for span in free:
        first = _whole_second(span.start)
        step_s = int(STEP.total_seconds())
        aligned = datetime.fromtimestamp(math.ceil(first.timestamp() / step_s) * step_s, span.start.tzinfo)
        starts = [first] + [aligned + n * STEP for n in range(int((span.end - aligned) / STEP) + 1)]
        found += [Span(start, start + length, span.window) for start in sorted(set(starts))
                  if start + length <= span.end]
    return found
