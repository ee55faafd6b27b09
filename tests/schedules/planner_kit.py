"""Builders for planner tests, and an independent checker of the planner's hard rules.

The checker re-derives everything from the inputs and the entries (it shares only the
period arithmetic of ``schedules.periods``, which the vectors test), so that a planner
bug cannot hide behind the planner's own bookkeeping.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from schedules.periods import (
    RequirementInput,
    StationInput,
    Window,
    allowed_windows,
    days_between,
    is_allowed_day,
    periods_of,
    quota,
)
from schedules.planner import EpisodeInput, FixedEntry, PlanResult, plan

SIX = ("MO", "TU", "WE", "TH", "FR", "SA")
SANG = Window("sang", SIX, time(5, 30), time(6))
CHIEU = Window("chieu", SIX, time(17), time(17, 30))


def station(code: str = "tk", windows=(SANG, CHIEU), closed=(), blocks=()) -> StationInput:
    return StationInput(code, tuple(windows), frozenset(closed), tuple(blocks))


def requirement(**fields) -> RequirementInput:
    defaults = {"code": "r", "series": "cds", "stations": ("tk",), "period": "week", "min": 1,
                "max": None, "date_from": date(2026, 12, 1), "date_to": date(2026, 12, 31)}
    return RequirementInput(**(defaults | fields))


def episode(key: str, duration: float | None = 150, available_from: date | None = None,
            expires: date | None = None, series: str = "cds", first_aired=None) -> EpisodeInput:
    return EpisodeInput(key, series, f"Title {key}", duration, available_from, expires,
                        first_aired or {})


def weekly(series: str, first_monday: date, weeks: int, duration: float = 150) -> list:
    """One episode a week, each available from its Monday."""
    return [episode(f"{series}-{i + 1}", duration, first_monday + timedelta(weeks=i),
                    series=series) for i in range(weeks)]


def fixed(day: date, start: str, end: str, episode_key: str | None = "old", *,
          series: str | None = "cds", kind: str = "episode", station_code: str = "tk",
          key: str = "f1") -> FixedEntry:
    return FixedEntry(station_code, day, time.fromisoformat(start), time.fromisoformat(end), kind,
                      series, episode_key, None, key)


def run(requirements: Sequence[RequirementInput], episodes=(), fixed_entries=(), *,
        start: date, end: date, today: date | None = None, stations=None, **options) -> PlanResult:
    stations = (station(),) if stations is None else stations
    result = plan(stations, requirements, episodes, fixed_entries, start, end,
                  today=today or start, **options)
    check(result, stations, requirements, episodes, fixed_entries, start, end, today or start)
    return result


def rows(result: PlanResult, kinds=("episode", "reservation")) -> list[tuple]:
    """Entries as (day, start HH:MM, window, kind, episode) for literal comparisons."""
    return [(e.day, e.start.strftime("%H:%M"), e.window, e.kind, e.episode)
            for e in result.entries if e.kind in kinds]


# --- the checker -----------------------------------------------------------------------

def _secs(t: time) -> float:
    return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6


class _Item:
    """An airing as the checker sees it: planned or fixed."""

    def __init__(self, station_code, day, start, end, window, series, episode_key, kind, duration,
                 holds_new=True, planned=False):
        self.station, self.day, self.start, self.end = station_code, day, start, end
        self.window, self.series, self.episode, self.kind = window, series, episode_key, kind
        self.duration, self.holds_new, self.planned = duration, holds_new, planned


def _window_of(st: StationInput, day: date, start: float, end: float) -> str | None:
    for w in sorted(st.windows, key=lambda w: (w.start, w.name)):
        if w.is_open_on(day) and _secs(w.start) <= start and end <= _secs(w.end):
            return w.name
    return None


def _counts(req: RequirementInput, st: StationInput, item: _Item) -> bool:
    return (item.series == req.series and item.window is not None
            and is_allowed_day(req, st, item.day)
            and item.window in {w.name for w in allowed_windows(req, st, item.day)}
            and req.allows_duration(item.duration))


def check(result: PlanResult, stations, requirements, episodes, fixed_entries, start, end,
          today) -> None:
    """Assert the hard rules of the plan format on a plan result."""
    by_code = {s.code: s for s in stations}
    eps = {e.key: e for e in episodes}
    items = _items(result, by_code, eps, fixed_entries, today)
    _check_places(result, by_code, fixed_entries, start, end, today)
    _check_content(result, eps)
    _check_spacing(items, by_code, requirements, eps)
    _check_counts(result, items, by_code, requirements, episodes, start, end)
    _check_blocks(result, by_code, fixed_entries, start, end, today)


def _items(result, by_code, eps, fixed_entries, today) -> list[_Item]:
    items = []
    for e in result.entries:
        if e.kind in ("episode", "reservation"):
            duration = eps[e.episode].duration_s if e.episode else _secs(e.end) - _secs(e.start)
            items.append(_Item(e.station, e.day, _secs(e.start), _secs(e.end), e.window,
                               e.series, e.episode, e.kind, duration, e.first_airing, True))
    for f in fixed_entries:
        # A bulletin takes its time (_check_places) but is no airing of a series or episode.
        if f.station in by_code and f.kind != "bulletin" and not (
                f.kind == "reservation" and f.day < today and f.episode is None):
            s, t = _secs(f.start), math.ceil(_secs(f.end))
            items.append(_Item(f.station, f.day, s, t, _window_of(by_code[f.station], f.day, s, t),
                               f.series, f.episode, f.kind, t - s))
    return items


def _check_places(result, by_code, fixed_entries, start, end, today) -> None:
    busy = defaultdict(list)
    for e in result.entries:
        st = by_code[e.station]
        window = st.window(e.window)
        assert max(start, today) <= e.day <= end, e
        assert e.day not in st.closed and window.is_open_on(e.day), e
        assert window.start <= e.start < e.end <= window.end, e
        busy[e.station, e.day].append((_secs(e.start), _secs(e.end), e))
    for f in fixed_entries:
        busy[f.station, f.day].append((_secs(f.start), _secs(f.end), f))
    for spans in busy.values():
        spans.sort(key=lambda s: (s[0], s[1]))
        for (_, end_a, a), (start_b, _, b) in pairwise(spans):
            assert end_a <= start_b, f"overlap: {a} and {b}"


def _check_content(result, eps) -> None:
    for e in result.entries:
        if e.kind == "episode":
            ep = eps[e.episode]
            assert ep.series == e.series and ep.is_airable_on(e.day), e
            start = datetime.combine(e.day, e.start)
            assert datetime.combine(e.day, e.end) == start + timedelta(
                seconds=math.ceil(ep.duration_s)), e
        elif e.kind == "reservation":
            assert e.series and e.episode is None and e.requirement, e


def _check_spacing(items, by_code, requirements, eps) -> None:
    airings = defaultdict(list)
    for item in items:
        if item.episode is not None:
            gap = max((r.min_gap_days for r in requirements
                       if item.station in r.stations and _counts(r, by_code[item.station], item)),
                      default=0)
            airings[item.station, item.episode].append((item.day, gap, item.planned))
    for (code, key), found in airings.items():
        history = eps[key].first_aired.get(code) if key in eps else None
        found += [(history, 0, False)] if history else []
        for i, (a, gap_a, planned_a) in enumerate(found):
            for b, gap_b, planned_b in found[i + 1:]:
                if planned_a or planned_b:  # the planner answers for what it placed
                    assert abs((a - b).days) >= max(gap_a, gap_b), (code, key, a, b)


def _check_counts(result, items, by_code, requirements, episodes, start, end) -> None:
    """Never above max unless warned; below min or new only with an error shortfall."""
    reported = {(s.requirement, s.station, s.period_start): s for s in result.shortfalls}
    firsts = _first_airings(items, {e.key: e for e in episodes})
    for req in requirements:
        for code in req.stations:
            if code not in by_code:
                continue
            for p_start, p_end in periods_of(req):
                if p_start < start or p_end > end:
                    continue  # partly outside the build: fixed entries elsewhere may count
                q = quota(req, by_code[code], p_start, p_end)
                mine = [i for i in items if i.station == code and p_start <= i.day <= p_end
                        and _counts(req, by_code[code], i)]
                new = sum(1 for i in mine if firsts(i))
                short = reported.get((req.code, code, p_start))
                if len(mine) < q.required_min or new < q.required_new:
                    assert short is not None and short.severity == "error", (req.code, p_start)
                if q.max is not None and len(mine) > q.max:
                    assert short is not None, (req.code, p_start, len(mine))
                if short is not None:
                    assert (short.planned, short.planned_new) == (len(mine), new), short


def _first_airings(items, eps):
    """Whether an item is the first airing of its episode at its station (a reservation:
    whether it holds new content)."""
    first = {}
    for item in sorted(items, key=lambda i: (i.day, i.start)):
        if item.episode is not None:
            first.setdefault((item.station, item.episode), item)

    def is_first(item) -> bool:
        if item.episode is None:
            return item.kind == "reservation" and item.holds_new
        history = eps[item.episode].first_aired.get(item.station) if item.episode in eps else None
        return first[item.station, item.episode] is item and (history is None
                                                              or item.day <= history)
    return is_first


def _check_blocks(result, by_code, fixed_entries, start, end, today) -> None:
    """Every block on every open day, unless a fixed entry took its time."""
    for st in by_code.values():
        for day in days_between(max(start, today), end):
            for block in st.blocks:
                at = _secs(block.at)
                if day in st.closed or not st.window(block.window).is_open_on(day) or any(
                        f.station == st.code and f.day == day and _secs(f.start) < at
                        + block.duration_s and at < _secs(f.end) for f in fixed_entries):
                    continue
                assert any(e.station == st.code and e.day == day and e.start == block.at
                           and e.kind == block.kind for e in result.entries), (st.code, day)
