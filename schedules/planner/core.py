"""``plan``: requirements, episodes and fixed entries become station schedules.

Each station is planned on its own (so a change at one never moves another's entries),
in three steps: place slots (``placing``), fill them (``content``), report (``report``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from ..periods import RequirementInput, StationInput, period_bounds
from .board import Board, Shared, fixed_airings
from .content import Filler
from .model import EpisodeInput, FixedEntry, PlanResult
from .placing import Placer
from .report import Reporter, StationReport


def plan(stations: Sequence[StationInput], requirements: Sequence[RequirementInput],
         episodes: Sequence[EpisodeInput], fixed: Sequence[FixedEntry], start: date, end: date,
         *, today: date, reservation_s: int = 180,
         series_titles: Mapping[str, str] | None = None, explain: bool = True) -> PlanResult:
    """Plan ``start``..``end`` (never before ``today``): see docs/plan-format.md for the rules.

    Periods running past ``end`` are planned whole, so that their shortfalls are true,
    but only entries up to ``end`` come back. ``reservation_s`` is the length held for
    missing content of a requirement without a duration max. ``explain=False`` leaves
    ``explanations`` empty, for callers that only store the entries (a year's build writes
    tens of thousands of lines nobody reads).
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    if reservation_s <= 0:
        raise ValueError("reservation_s must be positive")
    for what, codes in (("station codes", [s.code for s in stations]),
                        ("requirement codes", [r.code for r in requirements]),
                        ("episode keys", [e.key for e in episodes])):
        if len(set(codes)) != len(codes):
            raise ValueError(f"{what} must be unique")
    context = _Context(requirements, episodes, fixed, today, reservation_s, series_titles or {},
                       explain)
    reports = [context.station(s, start, end) for s in sorted(stations, key=lambda s: s.code)]
    return PlanResult(
        entries=tuple(e for r in reports for e in r.entries),
        shortfalls=tuple(sorted((s for r in reports for s in r.shortfalls),
                                key=lambda s: (s.station, s.requirement, s.period_start))),
        needs=tuple(sorted((n for r in reports for n in r.needs),
                           key=lambda n: (n.station, n.by, n.series))),
        explanations={k: v for r in reports for k, v in sorted(r.explanations.items())})


class _Context:
    """The inputs every station shares, put in a fixed order."""

    def __init__(self, requirements: Sequence[RequirementInput], episodes: Sequence[EpisodeInput],
                 fixed: Sequence[FixedEntry], today: date, reservation_s: int,
                 titles: Mapping[str, str], explain: bool) -> None:
        # By station, as each station takes only its own (in code order).
        self.requirements: dict[str, list[RequirementInput]] = defaultdict(list)
        for req in sorted(requirements, key=lambda r: r.code):
            for code in set(req.stations):
                self.requirements[code].append(req)
        self.episodes = sorted(episodes, key=lambda e: e.key)
        self.by_key = {e.key: e for e in self.episodes}
        # Each station takes only its requirements' series: a province's thousands of
        # episodes are sorted out by series once, not once per station. Only those meant for
        # the requirements fill (and size) their slots; the others are known by key, for the
        # fixed airings a person made of them.
        self.of_series: dict[str, list[EpisodeInput]] = defaultdict(list)
        for episode in self.episodes:
            if episode.for_requirements:
                self.of_series[episode.series].append(episode)
        self.fixed = fixed
        self.today, self.reservation_s, self.titles = today, reservation_s, titles
        self.explain = explain
        self.shared = Shared()

    def station(self, station: StationInput, start: date, end: date) -> StationReport:
        reqs = [r for r in self.requirements[station.code] if r.date_from <= end and r.date_to >= start]
        episodes = sorted((e for series in {r.series for r in reqs} for e in self.of_series[series]),
                          key=lambda e: e.key)
        first, last = max(start, self.today), _horizon(reqs, end)
        board = Board(station, first, last, fixed_airings(
            station, [f for f in self.fixed if f.station == station.code], self.by_key, self.today),
            self.shared)
        lengths = {r.code: self._length(r, episodes, first, last) for r in reqs}
        order = sorted(reqs, key=lambda r: (r.priority != "priority", board.slot_count(r), r.code))
        plans = Placer(board, order, lengths).run(start)
        virtuals = Filler(board, plans, episodes, order, self.titles).fill()
        return Reporter(board, reqs, plans, end, self.titles, self.explain).report(start, virtuals)

    def _length(self, req: RequirementInput, episodes: Sequence[EpisodeInput], first: date,
                last: date) -> int:
        """Seconds a slot holds: the duration max, else room for the longest episode that
        could go there (at least ``reservation_s``), so that no airing overruns its slot."""
        if req.duration_max is not None:
            return req.duration_max
        longest = max((math.ceil(e.duration_s) for e in episodes
                       if e.series == req.series and e.duration_s is not None
                       and req.allows_duration(e.duration_s)
                       and (e.available_from is None or e.available_from <= last)
                       and (e.expires is None or e.expires >= first)), default=0)
        return max(self.reservation_s, req.duration_min or 0, longest)


def _horizon(requirements: Sequence[RequirementInput], end: date) -> date:
    """The last day to plan: ``end``, or the end of a period still running then."""
    return max([end] + [period_bounds(r.period, end, r)[1] for r in requirements
                        if r.date_to >= end])
