"""The status of every requirement × station × period, from counts of planned and aired airings.

An airing counts toward a requirement when it is of the requirement's series, at one of its
stations, on an allowed day (docs/plan-format.md, "Meaning of a requirement"), in an allowed
window and with a duration inside the requirement's; one of the right series and slot whose duration is
outside is a duration violation and does not count. An episode's airing is new when it is that
episode's first aired airing at the station (`counts` must reach back to the requirement's start).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from operator import itemgetter

from ..periods import PeriodQuota, RequirementInput, StationInput, day_windows, days_between, periods_of, quota
from .model import AiringCount, ComplianceRow, Tally

_LISTED_DATES = 10  # reasons name this many dates, then "…"
_by_day = itemgetter(2)  # AiringCount.day
_Allowed = dict[date, frozenset[str]]  # the names of the windows a requirement may use, per day


def evaluate(requirements: Iterable[RequirementInput], stations: Mapping[str, StationInput],
             counts: Iterable[AiringCount], *, start: date, end: date, today: date) -> list[ComplianceRow]:
    """One row per period touching [start, end] (whole periods, cut ones marked partial) of each
    requirement at each of its stations in `stations`, ordered by requirement, station, period.
    `today` is the stations' local date: periods ending before it are finished."""
    if end < start:
        raise ValueError(f"compliance: end {end} is before start {start}")
    grouped, first = _grouped(counts)
    # Stations with the same windows and closures share the allowed windows and the quotas of a
    # requirement: made once per shape (keyed by it once per station, as hashing it is not cheap).
    rows, shapes = [], {}
    for req in sorted(requirements, key=lambda r: r.code):
        periods = periods_of(req)
        for code in req.stations:
            station = stations.get(code)
            if station is None:
                continue
            shape = (req, station.windows, station.closed)
            if shape not in shapes:
                shapes[shape] = (_allowed_windows(req, station, periods[0][0], periods[-1][1]), {})
            allowed, made = shapes[shape]
            groups, firsts = grouped.get((code, req.series), []), first.get(code, {})
            for period in periods:
                period_start, period_end = period
                if period_end < start or period_start > end:
                    continue
                inside = groups[bisect_left(groups, period_start, key=_by_day):
                                bisect_right(groups, period_end, key=_by_day)]
                if period not in made:
                    made[period] = (quota(req, station, period_start, period_end),
                                    tuple(d for d in days_between(period_start, period_end) if allowed[d]))
                q, allowed_days = made[period]
                rows.append(_row(req, station.code, allowed, q, allowed_days, inside, firsts, today))
    return rows


def _grouped(counts: Iterable[AiringCount]) -> tuple[dict[tuple[str, str], list[AiringCount]], dict]:
    """The counts by station and series in day order, after checking each; and, per station, each
    episode's first aired day there (the day its airing is new). Runs once per airing."""
    grouped: dict[tuple[str, str], list[AiringCount]] = {}
    first: dict[str, dict[str, date]] = {}
    for count in counts:
        station, series, day, _, episode, _, planned, aired, unscheduled = count
        if planned < 0 or aired < 0 or unscheduled or aired > planned:
            count.check()  # a scheduled count within 0 ≤ aired ≤ planned needs no more checking
        group = grouped.get((station, series))
        if group is None:
            grouped[station, series] = group = []
            first.setdefault(station, {})
        group.append(count)
        if aired and episode is not None:
            days = first[station]
            known = days.get(episode)
            if known is None or day < known:
                days[episode] = day
    for group in grouped.values():
        group.sort(key=_by_day)
    return grouped, first


def _allowed_windows(req: RequirementInput, station: StationInput, first: date, last: date) -> _Allowed:
    """`day_windows` as window names for every day of the requirement's periods, made once and
    shared by stations with the same windows and closures: the tally asks it for every airing of
    a province-year, and asking `day_windows` each time was most of the engine's time."""
    return {day: frozenset(w.name for w in day_windows(req, station, day)) for day in days_between(first, last)}


def _row(req: RequirementInput, station: str, allowed: _Allowed, q: PeriodQuota, allowed_days: tuple[date, ...],
         groups: list[AiringCount], first: dict[str, date], today: date) -> ComplianceRow:
    tally = _tally(req, allowed, groups, first, today)
    new_aired = len(tally.new_episodes)
    needed = max(q.required_min - tally.aired - tally.to_come,
                 q.required_new - new_aired - len(tally.episodes_to_come), 0)
    status, reasons, missing = _judge(req, q, allowed_days, tally, new_aired, needed, today)
    return ComplianceRow(
        req.code, station, q.period_start, q.period_end, q.partial, q.required_min, q.max, tally.planned,
        tally.aired, q.required_new, new_aired, status, tuple(reasons), tally.unscheduled, tally.violations,
        tuple(missing), tally.reservations_to_come, tally.to_come,
        remaining_slots=len(allowed_days) - bisect_left(allowed_days, today), needed=needed,
        taken_slots=tuple(sorted(tally.slots)))


def _tally(req: RequirementInput, allowed: _Allowed, groups: list[AiringCount], first: dict[str, date],
           today: date) -> Tally:
    """Adds up one period's airings. Runs once per airing of a province-year, so it works on
    unpacked locals rather than the tally's attributes (half the time), and notes taken slots
    only from `today` on, the only ones a make-good looks at."""
    planned = aired = unscheduled = violations = reservations = to_come = 0
    missed, aired_days, new_episodes, episodes_to_come, slots = set(), set(), set(), set(), set()
    check_duration = req.duration_min is not None or req.duration_max is not None
    for _, _, day, window, episode, duration_s, n_planned, n_aired, extra in groups:
        if window not in allowed[day]:
            continue
        if check_duration and duration_s is not None and not req.allows_duration(duration_s):
            violations += n_aired if extra else n_planned
            continue
        planned += n_planned
        if n_aired:
            aired += n_aired
            if extra:
                unscheduled += n_aired
            aired_days.add(day)
            if day >= today:
                slots.add((day, window))
            if first.get(episode) == day:
                new_episodes.add(episode)
        waiting = 0 if extra else n_planned - n_aired
        if not waiting:
            continue
        if day < today:
            missed.add(day)
        elif episode is None:
            reservations += waiting
        else:
            to_come += waiting
            slots.add((day, window))
            if episode not in first:
                episodes_to_come.add(episode)
    return Tally(planned, aired, unscheduled, violations, reservations, to_come, missed, aired_days,
                 new_episodes, episodes_to_come, slots)


def _judge(req: RequirementInput, q: PeriodQuota, allowed_days: tuple[date, ...], tally: Tally, new_aired: int,
           needed: int, today: date) -> tuple[str, list[str], list[date]]:
    """Status, reasons and the dates that went missing (planned and not aired; or, when nothing
    was planned for them, the allowed days without an airing)."""
    finished = q.period_end < today
    missing = sorted(tally.missed_days)
    if finished and tally.aired < q.required_min and not missing:
        missing = [d for d in allowed_days if d not in tally.aired_days]
    over = q.max is not None and tally.aired > q.max
    if finished:
        short = tally.aired < q.required_min or new_aired < q.required_new
        status = "short" if short else "over" if over else "met"
    elif needed:
        status = "at_risk"
    else:
        status = "over" if over else "in_progress" if q.period_start <= today else "pending"
    reasons = []
    if tally.aired < q.required_min:
        reasons.append(f"{tally.aired} of {q.required_min} airings aired"
                       + (f", {tally.to_come} more planned" if not finished else ""))
    if missing:
        reasons.append(("not aired on " if tally.missed_days else "no airing on ") + _dates(missing))
    if new_aired < q.required_new:
        reasons.append(f"{new_aired} of {q.required_new} new episodes aired"
                       + (f", {len(tally.episodes_to_come)} more planned" if not finished else ""))
    if tally.reservations_to_come:
        reasons.append(f"{tally.reservations_to_come} reservation(s) still without content")
    if status == "at_risk" and needed:
        reasons.append(f"{needed} more airing(s) needed than planned")
    if over:
        reasons.append(f"{tally.aired} airings, more than the maximum {q.max}")
    if tally.violations:
        reasons.append(f"{tally.violations} airing(s) outside the duration {_span(req)} (not counted)")
    if tally.unscheduled:
        reasons.append(f"{tally.unscheduled} unscheduled airing(s) counted")
    return status, reasons, missing


def _dates(days: list[date]) -> str:
    text = ", ".join(map(_day_text, days[:_LISTED_DATES]))
    return text + (f" and {len(days) - _LISTED_DATES} more" if len(days) > _LISTED_DATES else "")


@lru_cache(maxsize=4096)
def _day_text(day: date) -> str:
    """dd/mm/yyyy, made once per day: a province's reasons name the same days again and again."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _span(req: RequirementInput) -> str:
    low = "" if req.duration_min is None else f"{req.duration_min}"
    high = "" if req.duration_max is None else f"{req.duration_max}"
    return f"{low}–{high} s"
