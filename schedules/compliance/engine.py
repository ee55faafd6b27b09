"""The status of every requirement × station × period, from counts of planned and aired airings.

An airing counts toward a requirement when it is of the requirement's series, at one of its
stations, on an allowed day (PLAN_FORMAT "Meaning of a requirement"), in an allowed window and
with a duration inside the requirement's; one of the right series and slot whose duration is
outside is a duration violation and does not count. An episode's airing is new when it is that
episode's first aired airing at the station (`counts` must reach back to the requirement's start).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from operator import attrgetter

from ..periods import PeriodQuota, RequirementInput, StationInput, day_windows, days_between, periods_of, quota
from .model import AiringCount, ComplianceRow, Tally

_LISTED_DATES = 10  # reasons name this many dates, then "…"
_by_day = attrgetter("day")
_Allowed = dict[date, frozenset[str]]  # the names of the windows a requirement may use, per day


def evaluate(requirements: Iterable[RequirementInput], stations: Mapping[str, StationInput],
             counts: Iterable[AiringCount], *, start: date, end: date, today: date) -> list[ComplianceRow]:
    """One row per period touching [start, end] (whole periods, cut ones marked partial) of each
    requirement at each of its stations in `stations`, ordered by requirement, station, period.
    `today` is the stations' local date: periods ending before it are finished."""
    if end < start:
        raise ValueError(f"compliance: end {end} is before start {start}")
    grouped: dict[tuple[str, str], list[AiringCount]] = defaultdict(list)
    first: dict[tuple[str, str], date] = {}
    for count in counts:
        count.check()
        grouped[(count.station, count.series)].append(count)
        if count.aired and count.episode is not None:
            key = (count.station, count.episode)
            if key not in first or count.day < first[key]:
                first[key] = count.day
    for groups in grouped.values():
        groups.sort(key=_by_day)
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
            allowed, quotas = shapes[shape]
            groups = grouped.get((code, req.series), [])
            for period in periods:
                period_start, period_end = period
                if period_end < start or period_start > end:
                    continue
                inside = groups[bisect_left(groups, period_start, key=_by_day):
                                bisect_right(groups, period_end, key=_by_day)]
                q = quotas.get(period) or quotas.setdefault(period, quota(req, station, period_start, period_end))
                rows.append(_row(req, station, allowed, q, inside, first, today))
    return rows


def _allowed_windows(req: RequirementInput, station: StationInput, first: date, last: date) -> _Allowed:
    """`day_windows` as window names for every day of the requirement's periods, made once and
    shared by stations with the same windows and closures: the tally asks it for every airing of
    a province-year, and asking `day_windows` each time was most of the engine's time."""
    return {day: frozenset(w.name for w in day_windows(req, station, day)) for day in days_between(first, last)}


def _row(req: RequirementInput, station: StationInput, allowed: _Allowed, q: PeriodQuota,
         groups: list[AiringCount], first: dict, today: date) -> ComplianceRow:
    period_start, period_end = q.period_start, q.period_end
    tally = _tally(req, station.code, allowed, groups, first, today)
    new_aired = len(tally.new_episodes)
    remaining = [d for d in days_between(max(today, period_start), period_end) if allowed[d]]
    needed = max(q.required_min - tally.aired - tally.to_come,
                 q.required_new - new_aired - len(tally.episodes_to_come), 0)
    status, reasons, missing = _judge(req, allowed, q, tally, new_aired, needed, period_start, period_end, today)
    return ComplianceRow(
        requirement=req.code, station=station.code, period_start=period_start, period_end=period_end,
        partial=q.partial, required_min=q.required_min, required_max=q.max, planned=tally.planned,
        aired=tally.aired, new_required=q.required_new, new_aired=new_aired, status=status,
        reasons=tuple(reasons), unscheduled=tally.unscheduled, duration_violations=tally.violations,
        missing_dates=tuple(missing), unfilled_reservations=tally.reservations_to_come, to_come=tally.to_come,
        remaining_slots=len(remaining), needed=needed,
        taken_slots=tuple(sorted(tally.slots)))


def _tally(req: RequirementInput, station: str, allowed: _Allowed, groups: list[AiringCount], first: dict,
           today: date) -> Tally:
    tally = Tally()
    for g in groups:
        if g.window not in allowed[g.day]:
            continue
        if g.duration_s is not None and not req.allows_duration(g.duration_s):
            tally.violations += g.aired if g.unscheduled else g.planned
            continue
        tally.planned += g.planned
        tally.aired += g.aired
        tally.unscheduled += g.aired if g.unscheduled else 0
        if g.aired:
            tally.aired_days.add(g.day)
            tally.slots.add((g.day, g.window))
            if first.get((station, g.episode)) == g.day:
                tally.new_episodes.add(g.episode)
        waiting = 0 if g.unscheduled else g.planned - g.aired
        if not waiting:
            continue
        if g.day < today:
            tally.missed_days.add(g.day)
        elif g.episode is None:
            tally.reservations_to_come += waiting
        else:
            tally.to_come += waiting
            tally.slots.add((g.day, g.window))
            if (station, g.episode) not in first:
                tally.episodes_to_come.add(g.episode)
    return tally


def _judge(req: RequirementInput, allowed: _Allowed, q, tally: Tally, new_aired: int, needed: int,
           period_start: date, period_end: date, today: date) -> tuple[str, list[str], list[date]]:
    """Status, reasons and the dates that went missing (planned and not aired; or, when nothing
    was planned for them, the allowed days without an airing)."""
    finished = period_end < today
    missing = sorted(tally.missed_days)
    if finished and tally.aired < q.required_min and not missing:
        missing = [d for d in days_between(period_start, period_end)
                   if allowed[d] and d not in tally.aired_days]
    over = q.max is not None and tally.aired > q.max
    if finished:
        short = tally.aired < q.required_min or new_aired < q.required_new
        status = "short" if short else "over" if over else "met"
    elif needed:
        status = "at_risk"
    else:
        status = "over" if over else "in_progress" if period_start <= today else "pending"
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
    text = ", ".join(f"{d.day:02d}/{d.month:02d}/{d.year}" for d in days[:_LISTED_DATES])  # strftime is slow
    return text + (f" and {len(days) - _LISTED_DATES} more" if len(days) > _LISTED_DATES else "")


def _span(req: RequirementInput) -> str:
    low = "" if req.duration_min is None else f"{req.duration_min}"
    high = "" if req.duration_max is None else f"{req.duration_max}"
    return f"{low}–{high} s"
