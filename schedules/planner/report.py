"""Turning a filled board into entries, shortfalls, needs and explanations.

Counting here starts again from what was planned, by the plan format's matching rule, so
that a report never trusts the planner's own bookkeeping.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..periods import RequirementInput, seconds
from .board import Airing, Board, Slot
from .content import Virtual
from .model import Need, PlannedEntry, Shortfall
from .placing import PeriodPlan
from .reasons import Reason, english
from .wording import as_time, clock


@dataclass
class StationReport:
    """One station's share of a PlanResult."""

    entries: list[PlannedEntry]
    shortfalls: list[Shortfall]
    needs: list[Need]
    explanations: dict[tuple[str, str, date], tuple[str, ...]]


class Reporter:
    """Reports one board; ``end`` is the last day of the build (slots after it stay internal);
    explanations only when ``explain``."""

    def __init__(self, board: Board, requirements: Sequence[RequirementInput],
                 plans: Mapping[tuple[str, date], PeriodPlan], end: date,
                 titles: Mapping[str, str], explain: bool = True) -> None:
        self.board, self.plans, self.end, self.titles = board, plans, end, titles
        self.explain = explain
        self.station = board.station
        self.requirements = sorted(requirements, key=lambda r: r.code)
        of_series: dict[str, list[RequirementInput]] = defaultdict(list)
        for req in self.requirements:
            of_series[req.series].append(req)
        self.slots = board.all_slots()
        self.counted = {slot: tuple(r.code for r in of_series[slot.series] if board.counts(
            r, slot.day, slot.window, slot.series, slot.duration)) for slot in self.slots}

    def report(self, start: date, virtuals: Sequence[Virtual]) -> StationReport:
        result = StationReport(self._entries(), [], self._needs(virtuals), {})
        by_code = {r.code: r for r in self.requirements}
        for (code, p_start), plan in sorted(self.plans.items()):
            if p_start <= self.end and plan.quota.period_end >= start:
                self._period(by_code[code], plan, result)
        return result

    # --- entries and needs --------------------------------------------------------------

    def _entries(self) -> list[PlannedEntry]:
        code = self.station.code
        ends = {b: as_time(seconds(b.at) + b.duration_s) for b in self.station.blocks}
        entries = [PlannedEntry(code, day, b.at, ends[b], b.window, b.kind, None, None, None,
                                b.title, b.source)
                   for day, b in self.board.blocks if day <= self.end]
        entries += [PlannedEntry(
            code, s.day, as_time(s.start), as_time(s.end), s.window,
            "episode" if s.episode else "reservation", s.series, s.episode, s.creator.code,
            s.title, first_airing=s.is_new, counts_for=self.counted[s])
            for s in self.slots if s.day <= self.end]
        return sorted(entries, key=lambda e: (e.day, e.start, e.window, e.title))

    def _needs(self, virtuals: Sequence[Virtual]) -> list[Need]:
        needs = []
        for v in virtuals:
            if v.first[0] <= self.end:
                title = self.titles.get(v.series, v.series)
                needs.append(Need(v.series, self.station.code, v.first[0],
                                  f"needs a new episode of {title} by {v.first[0]}",
                                  Reason(f"needs a new episode of {title} by {v.first[0]}", "new_episode_needed",
                                         {"series": title, "date": v.first[0]})))
        return needs

    # --- one requirement-period -----------------------------------------------------------

    def _period(self, req: RequirementInput, plan: PeriodPlan, result: StationReport) -> None:
        q = plan.quota
        fixed = [a for a in self.board.fixed_between(q.period_start, q.period_end, req.series)
                 if self.board.counts(req, a.day, a.window, a.series, a.duration)]
        slots = [s for s in self.board.slots_between(q.period_start, q.period_end, req.series)
                 if req.code in self.counted[s]]
        planned, planned_new = len(fixed) + len(slots), sum(a.is_new for a in fixed + slots)
        shortfall = self._shortfall(req, plan, planned, planned_new, slots)
        if shortfall is not None:
            result.shortfalls.append(shortfall)
        if self.explain:
            result.explanations[req.code, self.station.code, q.period_start] = self._lines(
                req, plan, fixed, slots, f"planned {planned}, new {planned_new}", shortfall)

    def _lines(self, req: RequirementInput, plan: PeriodPlan, fixed: list[Airing],
               slots: list[Slot], counts: str, shortfall: Shortfall | None) -> tuple[str, ...]:
        """How the period was planned, line by line; ``counts`` says what was planned."""
        q = plan.quota
        header = (f"{req.period} {q.period_start} to {q.period_end}: {q.allowed_days} of "
                  f"{q.allowed_days_whole} allowed days{' (cut short)' if q.partial else ''}; "
                  f"required {q.required_min}, new {q.required_new}, max "
                  f"{'none' if q.max is None else q.max}")
        lines = [header, *plan.notes]
        lines += [_fixed_line(a) for a in fixed] + [self._slot_line(req, s) for s in slots]
        lines.append(counts)
        if shortfall is not None:
            lines.append(f"{shortfall.severity}: {shortfall.reason}")
        return tuple(lines)

    def _shortfall(self, req: RequirementInput, plan: PeriodPlan, planned: int,
                   planned_new: int, slots: list[Slot]) -> Shortfall | None:
        q = plan.quota
        held = [s for s in slots if s.episode is None]
        if planned < q.required_min or planned_new < q.required_new:
            severity, reasons = "error", tuple(plan.reasons)
            reason = english(reasons)
        elif q.max is not None and planned > q.max:
            severity, reason = "warning", f"{planned} airings, more than the max of {q.max}"
            reasons = (Reason(reason, "over_max", {"planned": planned, "max": q.max}),)
        elif held:
            severity = "warning"
            said = Reason(f"{len(held)} of {planned} airings are reservations", "reservations",
                          {"held": len(held), "planned": planned})
            reason, reasons = f"{said.text}: {english(held[0].why)}", (said, *held[0].why)
        else:
            return None
        return Shortfall(req.code, self.station.code, q.period_start, q.period_end,
                         q.required_min, planned, q.required_new, planned_new, reason, severity, reasons)

    def _slot_line(self, req: RequirementInput, slot: Slot) -> str:
        what = slot.episode or f"reserved for {self.titles.get(slot.series, slot.series)}"
        parts = [(f"{slot.day} {clock(slot.start)} {slot.window}: {what}, "
                  f"{'first airing' if slot.is_new else 'replay'}")]
        if slot.why:
            parts.append(english(slot.why))
        if slot.creator is not req:
            parts.append(f"placed for {slot.creator.code}")
        if slot.day > self.end:
            parts.append("after the build range")
        return "; ".join(parts + slot.notes)


def _fixed_line(airing: Airing) -> str:
    what = airing.episode or f"{airing.series} (no episode)"
    return (f"{airing.day} {clock(airing.start)} {airing.window}: "
            f"{what}, {'first airing' if airing.is_new else 'replay'}, fixed")
