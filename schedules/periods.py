"""Period arithmetic for requirements: which days are allowed and how many airings each
period needs ("Meaning of a requirement" in docs/plan-format.md).

Pure values and functions, shared by the planner and the compliance engine, so that both
count the same way; the test vectors in ``tests/schedules/data/required_counts.yaml`` check them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cached_property, lru_cache

from .planfile.model import BLOCK_KINDS, PERIODS, PRIORITIES, WEEKDAYS

ALL_DAYS = WEEKDAYS
ONE_DAY = timedelta(days=1)

# Entries of these kinds never count toward (or against) a requirement: a bulletin is news
# issued to areas (Circular 39), not an airing of a plan's series, even when its episode
# belongs to one. It still takes its airtime. The planner applies this to the entries it
# keeps; the shell's queries apply it to the entries and play logs they count.
UNCOUNTED_KINDS = ("bulletin",)


def counts_toward_requirements(kind: str) -> bool:
    """Whether an entry of ``kind`` can count toward a requirement (if it matches one)."""
    return kind not in UNCOUNTED_KINDS


def seconds(t: time) -> int:
    """A time of day as whole seconds since midnight (the planner's clock)."""
    return t.hour * 3600 + t.minute * 60 + t.second


def _check_days(owner: str, days: tuple[str, ...]) -> None:
    unknown = sorted(set(days) - set(WEEKDAYS))
    if unknown:
        raise ValueError(f"{owner}: unknown weekdays {unknown}")


@dataclass(frozen=True)
class Window:
    """When a station is on air: local times on some weekdays, maybe only seasonally."""

    name: str
    days: tuple[str, ...]
    start: time
    end: time
    valid_from: date | None = None
    valid_to: date | None = None

    def __post_init__(self) -> None:
        _check_days(f"window {self.name}", self.days)
        if self.end <= self.start:
            raise ValueError(f"window {self.name}: end {self.end} is not after start {self.start}")

    def is_open_on(self, day: date) -> bool:
        """On air that day, going by weekday and seasonal validity (closures are the station's)."""
        return (WEEKDAYS[day.weekday()] in self.days
                and (self.valid_from is None or self.valid_from <= day)
                and (self.valid_to is None or day <= self.valid_to))


@dataclass(frozen=True)
class Block:
    """A fixed relay or live item, every day its window is open."""

    window: str
    at: time
    kind: str
    title: str
    source: str | None
    duration_s: int

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"block {self.title}: kind {self.kind!r} is not one of {BLOCK_KINDS}")
        if self.duration_s <= 0:
            raise ValueError(f"block {self.title}: duration must be positive")


@dataclass(frozen=True)
class StationInput:
    """A station as the planner sees it: windows, closed dates and fixed blocks."""

    code: str
    windows: tuple[Window, ...]
    closed: frozenset[date] = frozenset()
    blocks: tuple[Block, ...] = ()

    def __post_init__(self) -> None:
        names = [w.name for w in self.windows]
        if len(set(names)) != len(names):
            raise ValueError(f"station {self.code}: duplicate window names")
        for block in self.blocks:
            window = self.window(block.window)
            if seconds(block.at) < seconds(window.start) or \
                    seconds(block.at) + block.duration_s > seconds(window.end):
                raise ValueError(f"station {self.code}: block {block.title} is outside "
                                 f"window {block.window}")

    @cached_property
    def windows_by_start(self) -> tuple[Window, ...]:
        """The windows in the order they open in a day."""
        return tuple(sorted(self.windows, key=lambda w: (w.start, w.name)))

    @cached_property
    def _open_by_day(self) -> dict[date, tuple[Window, ...]]:
        return {}

    def open_on(self, day: date) -> tuple[Window, ...]:
        """The windows open that day, by start time. Remembered per station (the value is
        immutable), as planning asks it for every requirement and period of the same days."""
        found = self._open_by_day.get(day)
        if found is None:
            found = self._open_by_day[day] = tuple(
                w for w in self.windows_by_start if w.is_open_on(day))
        return found

    def blocks_on(self, day: date) -> tuple[Block, ...]:
        """The blocks on air that day (those of a window open that day, none on a closed day),
        by time. Their airtime is never free, whether or not the day is built yet: the
        planner lays them and nothing placed before it may take their time."""
        if day in self.closed:
            return ()
        return tuple(b for b in self._blocks_by_time if self.window(b.window).is_open_on(day))

    @cached_property
    def _blocks_by_time(self) -> tuple[Block, ...]:
        """Sorted once: a year's build asks ``blocks_on`` for every day of every station."""
        return tuple(sorted(self.blocks, key=lambda b: (b.at, b.window, b.title)))

    def window(self, name: str) -> Window:
        """The window called ``name``; a ValueError names an unknown one."""
        for window in self.windows:
            if window.name == name:
                return window
        raise ValueError(f"station {self.code}: no window {name!r}")


@dataclass(frozen=True, kw_only=True)
class RequirementInput:
    """A requirement as the planner sees it; keyword-only, as its fields are many.

    ``days`` are allowed weekdays; an empty ``windows`` allows every window of a station.
    """

    code: str
    series: str
    stations: tuple[str, ...]
    period: str
    min: int
    max: int | None
    new_episodes: int = 0
    days: tuple[str, ...] = ALL_DAYS
    windows: tuple[str, ...] = ()
    duration_min: int | None = None
    duration_max: int | None = None
    min_gap_days: int = 1
    date_from: date
    date_to: date
    priority: str = "normal"

    def __post_init__(self) -> None:
        _check_days(f"requirement {self.code}", self.days)
        for rule, broken in (
            (f"period {self.period!r} is not one of {PERIODS}", self.period not in PERIODS),
            (f"priority {self.priority!r} is not one of {PRIORITIES}",
             self.priority not in PRIORITIES),
            ("min, new_episodes and min_gap_days must not be negative",
             min(self.min, self.new_episodes, self.min_gap_days) < 0),
            ("min is more than max", self.max is not None and self.min > self.max),
            ("duration min is more than duration max", None not in (
                self.duration_min, self.duration_max) and self.duration_min > self.duration_max),
            ("from is after to", self.date_from > self.date_to),
        ):
            if broken:
                raise ValueError(f"requirement {self.code}: {rule}")

    def allows_duration(self, seconds_: float) -> bool:
        """Inside ``duration`` (both ends inclusive; a missing end is open)."""
        return ((self.duration_min is None or seconds_ >= self.duration_min)
                and (self.duration_max is None or seconds_ <= self.duration_max))


@dataclass(frozen=True)
class PeriodQuota:
    """What one period of a requirement demands at one station.

    ``allowed_days_whole`` ignores the requirement's range and the station's closures;
    a period is ``partial`` when they cut its allowed days short.
    """

    period_start: date
    period_end: date
    allowed_days: int
    allowed_days_whole: int
    partial: bool
    required_min: int
    required_new: int
    max: int | None


def days_between(start: date, end: date) -> list[date]:
    """Every date from ``start`` to ``end``, both included."""
    return list(_days(start, end))


@lru_cache(maxsize=1024)
def _days(start: date, end: date) -> tuple[date, ...]:
    """Cached: planning walks the same periods for every requirement and station."""
    return tuple(date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1))


def period_bounds(period: str, day: date, req: RequirementInput | None = None) -> tuple[date, date]:
    """First and last day of the period containing ``day``; a campaign is the requirement's range."""
    if period == "campaign" and req is not None:
        return req.date_from, req.date_to
    return _calendar_bounds(period, day)


@lru_cache(maxsize=4096)
def _calendar_bounds(period: str, day: date) -> tuple[date, date]:
    """Cached: a build asks the bounds of every slot's periods, a few days over and over."""
    if period == "day":
        return day, day
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if period == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if period == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        last = date(day.year, first + 2, 1)
        return date(day.year, first, 1), _calendar_bounds("month", last)[1]
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    raise ValueError(f"period {period!r} needs a known name (and a requirement for a campaign)")


def periods_of(req: RequirementInput) -> list[tuple[date, date]]:
    """Every period touching the requirement's range, in order."""
    bounds = [period_bounds(req.period, req.date_from, req)]
    while bounds[-1][1] < req.date_to:
        bounds.append(period_bounds(req.period, bounds[-1][1] + ONE_DAY, req))
    return bounds


def allowed_windows(req: RequirementInput, station: StationInput, day: date) -> tuple[Window, ...]:
    """The requirement's windows open at the station that day, by start time.

    Range, weekday and closures are not looked at: ``is_allowed_day`` adds them.
    """
    open_ = station.open_on(day)
    return tuple(w for w in open_ if w.name in req.windows) if req.windows else open_


def _allowed_weekday(req: RequirementInput, day: date) -> bool:
    return WEEKDAYS[day.weekday()] in req.days


def day_windows(req: RequirementInput, station: StationInput, day: date) -> tuple[Window, ...]:
    """The windows ``req`` may use that day: none unless it is an allowed day (in range, an
    allowed weekday, not closed, some allowed window open)."""
    if req.date_from <= day <= req.date_to and _allowed_weekday(req, day) \
            and day not in station.closed:
        return allowed_windows(req, station, day)
    return ()


def is_allowed_day(req: RequirementInput, station: StationInput, day: date) -> bool:
    """In range, an allowed weekday, not closed, and some allowed window open."""
    return bool(day_windows(req, station, day))


def allowed_days(req: RequirementInput, station: StationInput, start: date, end: date) -> list[date]:
    """The allowed days between ``start`` and ``end`` (inclusive)."""
    return [day for day in days_between(start, end) if day_windows(req, station, day)]


def _prorate(n: int, inside: int, whole: int, cap: int | None) -> int:
    share = -(-n * inside // whole) if whole else 0
    return share if cap is None else min(share, cap)


def quota(req: RequirementInput, station: StationInput, start: date, end: date) -> PeriodQuota:
    """The quota of the period ``start``..``end``, prorated when it is cut short."""
    inside = whole = 0
    for day in days_between(start, end):
        if _allowed_weekday(req, day) and allowed_windows(req, station, day):
            whole += 1
            inside += req.date_from <= day <= req.date_to and day not in station.closed
    return PeriodQuota(
        period_start=start, period_end=end, allowed_days=inside, allowed_days_whole=whole,
        partial=inside < whole, required_min=_prorate(req.min, inside, whole, req.max),
        required_new=_prorate(req.new_episodes, inside, whole, req.max), max=req.max)


def quotas(req: RequirementInput, station: StationInput) -> list[PeriodQuota]:
    """The quota of every period touching the requirement's range, in order."""
    return [quota(req, station, start, end) for start, end in periods_of(req)]


def slot_count(req: RequirementInput, station: StationInput) -> int:
    """Allowed (day, window) pairs over the whole range: how constrained a requirement is."""
    return sum(len(day_windows(req, station, day))
               for day in days_between(req.date_from, req.date_to))
