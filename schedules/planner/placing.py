"""Where airings go: requirement by requirement, period by period, before any episode is
chosen (so that adding an episode later does not move anything).

A period first counts the fixed airings that match and shares the slots other
requirements placed that can count for it too; only the rest is placed, spread out. When
windows are too crowded, slots of earlier requirements are moved within their own
periods if that frees room; what still cannot be placed is reported with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..periods import (
    PeriodQuota,
    RequirementInput,
    period_bounds,
    periods_of,
)
from .board import Airing, Board, Slot
from .reasons import Reason, dates_listed
from .spread import Place, spread
from .wording import clock, listing


@dataclass
class PeriodPlan:
    """How one requirement-period was placed, for the report and the explanation."""

    quota: PeriodQuota
    fixed_new: int
    notes: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class _Cells:
    """The cells (day, window) of a period, sorted out for one requirement."""

    places: list[Place] = field(default_factory=list)
    full: list[tuple[str, date]] = field(default_factory=list)
    capped: list[tuple[str, date, RequirementInput]] = field(default_factory=list)


class Placer:
    """Places slots for a station's requirements, in the order given."""

    def __init__(self, board: Board, order: Sequence[RequirementInput],
                 lengths: Mapping[str, int]) -> None:
        self.board, self.order, self.lengths = board, order, lengths
        self.station = board.station
        self.plans: dict[tuple[str, date], PeriodPlan] = {}
        self.capped: dict[str, list[RequirementInput]] = {}
        self._potentials: dict[tuple[str, date, date], tuple[int, int]] = {}
        for req in order:
            if req.max is not None:
                self.capped.setdefault(req.series, []).append(req)
        # The capped requirements of the same series whose max a slot of req might pass: none
        # for most, which spares the check in each of their cells.
        self.rivals = {req.code: [other for other in self.capped.get(req.series, ())
                                  if other is not req] for req in order}

    def run(self, start: date) -> dict[tuple[str, date], PeriodPlan]:
        for req in self.order:
            for p_start, p_end in periods_of(req):
                if p_end >= start and p_start <= self.board.last:
                    self.plans[req.code, p_start] = self._place(req, p_start, p_end)
        return self.plans

    # --- counting what is there ----------------------------------------------------

    def _counted(self, req: RequirementInput, start: date, end: date) -> list[Airing | Slot]:
        """Fixed airings that count for ``req`` and slots that may, from ``start`` to ``end``."""
        board, series = self.board, req.series
        return [a for a in board.fixed_between(start, end, series)
                if board.counts(req, a.day, a.window, a.series, a.duration)] + [
            s for s in board.slots_between(start, end, series)
            if board.may_count(req, s.day, s.window, s.series, s.lo, s.hi)]

    def _taken(self, req: RequirementInput, day: date, window: str) -> bool:
        """Whether something already counts (or may) for ``req`` in that window that day."""
        return any(a.window == window for a in self._counted(req, day, day))

    def _potential(self, req: RequirementInput, start: date, end: date) -> int:
        """Remembered while the board stays the same: every cell of a period asks it again."""
        key = (req.code, start, end)
        known = self._potentials.get(key)
        if known is None or known[0] != self.board.version:
            count = len(self._counted(req, start, end))
            known = self._potentials[key] = (self.board.version, count)
        return known[1]

    def _overfills(self, rivals: Sequence[RequirementInput], series: str, day: date, window: str,
                   lo: float, hi: float) -> RequirementInput | None:
        """One of ``rivals`` whose max one more airing there would pass, if any. Its count,
        remembered, is asked first: a rival is mostly under its max, and then whether the
        airing could count for it does not matter."""
        for other in rivals:
            if (self._potential(other, *period_bounds(other.period, day, other)) >= other.max
                    and self.board.may_count(other, day, window, series, lo, hi)):
                return other
        return None

    # --- one period ------------------------------------------------------------------

    def _place(self, req: RequirementInput, p_start: date, p_end: date) -> PeriodPlan:
        q = self.board.quota(req, p_start, p_end)
        fixed = [a for a in self.board.fixed_between(p_start, p_end, req.series)
                 if self.board.counts(req, a.day, a.window, a.series, a.duration)]
        plan = PeriodPlan(q, sum(a.is_new for a in fixed))
        need = max(q.required_min - len(fixed), q.required_new - plan.fixed_new, 0)
        potential = [s for s in self.board.slots_between(p_start, p_end, req.series)
                     if self.board.may_count(req, s.day, s.window, s.series, s.lo, s.hi)]
        adopted = [s for s in potential if req.allows_duration(s.length)][:need]
        for slot in adopted:
            self._adopt(req, slot, plan)
        missing = need - len(adopted)
        room = missing if req.max is None else min(missing, req.max - len(fixed) - len(potential))
        if room < missing:
            plan.reasons.append(Reason(f"the max of {req.max} is already reached", "max_reached",
                                       {"max": req.max}))
        if room > 0:
            self._make(req, p_start, p_end, room, plan, fixed + potential)
        return plan

    def _adopt(self, req: RequirementInput, slot: Slot, plan: PeriodPlan) -> None:
        self.board.share(slot, req)
        plan.notes.append(f"shares the airing of {slot.day} {clock(slot.start)} ({slot.window}) "
                          f"placed for {slot.creator.code}")

    def _make(self, req: RequirementInput, p_start: date, p_end: date, k: int,
              plan: PeriodPlan, counted: list[Airing | Slot]) -> None:
        """``counted``: what ``_counted`` gives for the period now (``_place`` has just listed it)."""
        cells = self._cells(req, p_start, p_end, counted)
        if len(cells.places) < k and cells.full:
            self._repair(req, cells.full, k - len(cells.places))
            cells = self._cells(req, p_start, p_end)
        share = ((p_end - p_start).days + 1) // max(plan.quota.required_min,
                                                     plan.quota.required_new)
        made = 0
        while made < k and cells.places:  # each round places at least its first pick
            points = self._points(req, p_start - timedelta(days=share),
                                  p_end + timedelta(days=share))
            for place in spread(cells.places, k - made, points, share):
                # checked again: an earlier pick may have used the room or reached a max
                start = self._room(req, place.day, place.window, cells)
                if start is not None:
                    self.board.add(self._slot(req, place.day, place.window, start))
                    made += 1
            if made < k:
                cells = self._cells(req, p_start, p_end)
        if made < k:
            made += self._pull(req, cells, k - made, plan)
        if made < k:
            plan.reasons.extend(self._why_short(req, p_start, p_end, cells))

    def _slot(self, req: RequirementInput, day: date, window: str, start: int) -> Slot:
        length = self.lengths[req.code]
        return Slot(day, window, start, length, req.series, req, [req],
                    lo=req.duration_min or 0, hi=length)

    def _cells(self, req: RequirementInput, p_start: date, p_end: date,
               counted: list[Airing | Slot] | None = None) -> _Cells:
        cells = _Cells()
        if counted is None:
            counted = self._counted(req, p_start, p_end)
        taken = {(a.day, a.window) for a in counted}
        # Without rivals a cell's room is only the board's fit: asked directly, as a year's
        # build asks it hundreds of thousands of times.
        room = self._room if self.rivals[req.code] else self._fit
        for place in self.board.cells(req, p_start, p_end):
            day, _, window = place
            if taken and (day, window) in taken:  # mostly nothing counts yet: no key to make
                continue
            if room(req, day, window, cells) is not None:
                cells.places.append(place)
        return cells

    def _room(self, req: RequirementInput, day: date, window: str, cells: _Cells) -> int | None:
        """Where a slot of ``req`` starts in that cell now; why not goes into ``cells``."""
        rivals = self.rivals[req.code]
        if rivals:
            over = self._overfills(rivals, req.series, day, window, req.duration_min or 0,
                                   self.lengths[req.code])
            if over:
                cells.capped.append((window, day, over))
                return None
        return self._fit(req, day, window, cells)

    def _fit(self, req: RequirementInput, day: date, window: str, cells: _Cells) -> int | None:
        """Where a slot of ``req`` fits in that cell's window now, rivals aside; a full one goes
        into ``cells``."""
        start = self.board.fit(day, window, self.lengths[req.code])
        if start is None:
            cells.full.append((window, day))
        return start

    def _points(self, req: RequirementInput, start: date, end: date) -> list[date]:
        """Days of the airings already counting for ``req`` around a period."""
        fixed = [a.day for a in self.board.fixed_between(start, end, req.series)
                 if self.board.counts(req, a.day, a.window, a.series, a.duration)]
        return sorted(fixed + [s.day for s in self.board.slots_between(start, end, req.series)
                               if any(r is req for r in s.serves)])

    def _why_short(self, req: RequirementInput, p_start: date, p_end: date,
                   cells: _Cells) -> list[Reason]:
        if not any(self.board.allowed(req, d) for d in self.board.days(p_start, p_end)):
            return [Reason("no allowed day left in the period", "no_allowed_day", {})]
        reasons = []
        for name in dict.fromkeys(w for w, _ in cells.full):
            days = [d for w, d in cells.full if w == name]
            values = {"window": name, **dates_listed(days)}
            reasons.append(Reason(f"window {name} full on {listing(days)}",
                                  "window_full_more" if values["more"] else "window_full", values))
        if cells.capped:
            codes = sorted({other.code for _, _, other in cells.capped})
            reasons.append(Reason(f"more airings would pass the max of {', '.join(codes)}", "would_pass_max",
                                  {"requirements": tuple(codes)}))
        return reasons or [Reason("every allowed window left in the period already has an airing of it",
                                  "windows_taken", {})]

    # --- making room -------------------------------------------------------------------

    def _repair(self, req: RequirementInput, full: list[tuple[str, date]], short: int) -> None:
        """Move other requirements' slots out of full cells while that frees places."""
        for window, day in full:
            for slot in sorted((s for s in self.board.slots.get(day, ()) if s.window == window),
                               key=lambda s: s.start):
                if self._move_away(slot, req):
                    short -= 1
                    break
            if short == 0:
                return

    def _is_place(self, req: RequirementInput, day: date, window: str) -> bool:
        return (window in self.board.allowed(req, day) and not self._taken(req, day, window)
                and self._room(req, day, window, _Cells()) is not None)

    def _pull(self, req: RequirementInput, cells: _Cells, short: int, plan: PeriodPlan) -> int:
        """Where another requirement's max keeps ``req`` out, move one of that requirement's
        slots in (within its periods), so that ``req`` shares it instead."""
        pulled = 0
        for window, day, other in cells.capped:
            candidates = [s for s in self.board.slots_between(
                *period_bounds(other.period, day, other), req.series)
                if req.allows_duration(s.length) and not any(r is req for r in s.serves)]
            moved = next((s for s in candidates if self._move(s, day, window, req)), None)
            if moved is not None:
                self._adopt(req, moved, plan)
                pulled += 1
                if pulled == short:
                    break
        return pulled

    def _move(self, slot: Slot, day: date, window: str, req: RequirementInput) -> bool:
        """Move a slot to that cell if it still counts there for all it serves and for ``req``."""
        home = (slot.day, slot.window, slot.start)
        self.board.remove(slot)
        fits = (day, window) in self._alternatives(slot) and self.board.may_count(
            req, day, window, slot.series, slot.lo, slot.hi)
        if fits:
            slot.day, slot.window, slot.start = day, window, self.board.fit(day, window, slot.length)
            slot.notes.append(f"moved from {home[0]} ({home[1]}) to be shared with {req.code}")
        self.board.add(slot)
        return fits

    def _move_away(self, slot: Slot, req: RequirementInput) -> bool:
        home = (slot.day, slot.window, slot.start)
        self.board.remove(slot)
        for day, window in self._alternatives(slot):
            before = self._is_place(req, day, window)
            slot.day, slot.window = day, window
            slot.start = self.board.fit(day, window, slot.length)
            self.board.add(slot)
            if self._is_place(req, home[0], home[1]) and (
                    not before or self._is_place(req, day, window)):
                slot.notes.append(f"moved from {home[0]} ({home[1]}) to make room for {req.code}")
                return True
            self.board.remove(slot)
        slot.day, slot.window, slot.start = home
        self.board.add(slot)
        return False

    def _alternatives(self, slot: Slot) -> list[tuple[date, str]]:
        """Cells where the slot still counts for everything it serves, in the same periods."""
        bounds = [period_bounds(r.period, slot.day, r) for r in slot.serves]
        first, last = max(b[0] for b in bounds), min(b[1] for b in bounds)
        codes = {r.code for r in slot.serves}
        rivals = [other for other in self.capped.get(slot.series, ()) if other.code not in codes]
        return [(day, window) for day in self.board.days(first, last)
                for window in self.board.allowed(slot.creator, day)
                if (day, window) != (slot.day, slot.window)
                and self.board.fit(day, window, slot.length) is not None
                and all(self.board.may_count(r, day, window, slot.series, slot.lo, slot.hi)
                        and not self._taken(r, day, window) for r in slot.serves)
                and self._overfills(rivals, slot.series, day, window, slot.lo, slot.hi) is None]
