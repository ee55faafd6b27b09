"""What fills each slot: a first airing, a replay, or a reservation for content to come.

Slots are filled in time order. A slot gives new content while one of its periods still
needs first airings, unless a later slot of that period can take an episode that is not
available yet (so Tuesday replays last week's when this week's comes on Wednesday). A
replay takes the episode first aired most recently that spacing allows (Thursday repeats
this week's item); a series that no requirement asks new episodes of rotates instead,
through every episode in turn (campaign slogans). When nothing fits, a reservation stands in for an episode that does not exist yet; later slots may
replay it, so that adding the episode later only turns reservations into airings.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import takewhile
from datetime import date

from ..periods import RequirementInput, period_bounds
from .board import Airing, Board, Slot
from .model import EpisodeInput
from .placing import PeriodPlan
from .reasons import Reason

Stamp = tuple[date, int]  # (day, start): when an airing happens


@dataclass
class Virtual:
    """An episode that does not exist yet, held by reservations from ``first`` on."""

    key: str
    series: str
    length: int
    first: Stamp
    fresh: bool  # held for new content a period asks for, not only for want of a replay
    airings: list[tuple[date, int, int]] = field(default_factory=list)  # day, start, gap


def _queue(episode: EpisodeInput) -> tuple:
    """Unaired episodes go out in the order they became available."""
    return (episode.available_from or date.min, episode.expires or date.max, episode.key)


def _expiry(episode: EpisodeInput) -> date:
    return episode.expires or date.max


def _keys(slot: Slot) -> list[tuple[str, date]]:
    """The requirement-periods a slot counts for (those it serves)."""
    return [(r.code, period_bounds(r.period, slot.day, r)[0]) for r in slot.serves]


def _spaced(airings: Sequence[tuple[date, int, int]], day: date, gap: int) -> bool:
    return all(abs((day - other).days) >= max(gap, need) for other, _, need in airings)


class Filler:
    """Chooses the content of every slot of one board."""

    def __init__(self, board: Board, plans: Mapping[tuple[str, date], PeriodPlan],
                 episodes: Sequence[EpisodeInput], requirements: Sequence[RequirementInput],
                 titles: Mapping[str, str]) -> None:
        self.board, self.titles = board, titles
        # Each series' requirements by spacing, widest first, those asking none left out: a
        # slot's spacing is the first that may count there, not a check of every requirement.
        self.spacing_of: dict[str, list[RequirementInput]] = defaultdict(list)
        for req in sorted(requirements, key=lambda r: r.min_gap_days, reverse=True):
            if req.min_gap_days > 0:
                self.spacing_of[req.series].append(req)
        self.by_series: dict[str, list[EpisodeInput]] = defaultdict(list)
        self.aired: dict[str, list[tuple[date, int, int]]] = defaultdict(list)
        self.last: dict[str, Stamp] = {}  # each episode's latest airing, for rotation
        self.first: dict[str, Stamp] = {}
        for episode in sorted(episodes, key=lambda e: e.key):
            self.by_series[episode.series].append(episode)
            if board.station.code in episode.first_aired:
                day = episode.first_aired[board.station.code]
                self._note_airing(episode.key, day, -1, 0)
                self.first[episode.key] = (day, -1)
        for airing in board.all_fixed():
            self._note_fixed(airing)
        # Each series' episodes not aired here yet, in the order they go out: the next new
        # content is the first of them that fits, and none after one not yet available.
        self.unaired = {series: [e for e in sorted(found, key=_queue) if e.key not in self.first]
                        for series, found in self.by_series.items()}
        self.required = {key: plan.quota.required_new for key, plan in plans.items()}
        self.have = {key: plan.fixed_new for key, plan in plans.items()}
        self.slots = board.all_slots()
        self.keys = {slot: _keys(slot) for slot in self.slots}
        self.of_period: dict[tuple[str, date], list[Slot]] = defaultdict(list)
        for slot in self.slots:
            for key in self.keys[slot]:
                self.of_period[key].append(slot)
        self.remaining = Counter({key: len(slots) for key, slots in self.of_period.items()})
        self.virtuals: list[Virtual] = []
        self.virtuals_of: dict[str, list[Virtual]] = defaultdict(list)  # the same, by series
        self.rotating = {r.series for r in requirements} - {
            r.series for r in requirements if r.new_episodes > 0}
        # Each series' episodes not expired yet, soonest expiry first: slots are filled in time
        # order, so one expired by a slot's day never fits a later slot, and a replay need not
        # look at it again (a year's weekly series has one or two live episodes, not fifty).
        self.unexpired = {series: sorted(found, key=_expiry) for series, found in self.by_series.items()}

    def _note_fixed(self, airing: Airing) -> None:
        if airing.episode is None:
            return
        gap = next((r.min_gap_days for r in self.spacing_of.get(airing.series, ())
                    if self.board.counts(r, airing.day, airing.window, airing.series,
                                         airing.duration)), 0)
        self._note_airing(airing.episode, airing.day, airing.start, gap)
        self.first[airing.episode] = min(self.first.get(airing.episode, (date.max, 0)),
                                         (airing.day, airing.start))

    def fill(self) -> list[Virtual]:
        for slot in self.slots:
            keys = self.keys[slot]
            wanted = [k for k in keys if self.required[k] > self.have[k]]
            must = any(self.required[k] - self.have[k] >= self.remaining[k] for k in wanted)
            self._choose(slot, wanted, must)
            for key in keys:
                self.remaining[key] -= 1
                self.have[key] += slot.is_new
        return self.virtuals

    # --- choosing ----------------------------------------------------------------------

    def _fits(self, episode: EpisodeInput, slot: Slot) -> bool:
        return (episode.is_airable_on(slot.day)
                and slot.lo <= episode.duration_s <= slot.hi)  # type: ignore[operator]

    def _choose(self, slot: Slot, wanted: list[tuple[str, date]], must: bool) -> None:
        """New content while a period wants it (unless it can come later), else a replay,
        else an episode not aired yet, else a reservation. Spacing is the largest
        ``min_gap_days`` of every requirement the slot may count for."""
        gap = next((r.min_gap_days for r in self.spacing_of[slot.series]
                    if self.board.may_count(r, slot.day, slot.window, slot.series, slot.lo, slot.hi)), 0)
        fresh = next((e for e in self._available(slot) if self._fits(e, slot)), None)
        if wanted and fresh:
            self._air(slot, fresh, gap)
        elif wanted and (must or not self._fresh_later(slot, wanted)):
            self._reserve(slot, gap, True)
        elif not self._replay(slot, gap):
            if fresh:
                self._air(slot, fresh, gap)
            else:
                self._reserve(slot, gap, bool(wanted))

    def _available(self, slot: Slot) -> Iterator[EpisodeInput]:
        """Unaired episodes of the slot's series available by its day, in queue order."""
        return takewhile(lambda e: e.available_from is None or e.available_from <= slot.day,
                         self.unaired.get(slot.series, ()))

    def _fresh_later(self, slot: Slot, wanted: list[tuple[str, date]]) -> bool:
        """Whether a later slot of a period that wants new content can take a real episode."""
        return any(
            (later.day, later.start) > (slot.day, slot.start) and self._fits(e, later)
            for key in wanted for later in self.of_period[key]
            for e in self.unaired.get(slot.series, ()))

    def _replay(self, slot: Slot, gap: int) -> bool:
        """Replay what spacing allows: the latest first airing, or in a rotating series
        whatever aired longest ago (never-aired episodes first). Reservations made only
        for want of a replay come last, so one gap does not spread."""
        now = (slot.day, slot.start)
        rotating = slot.series in self.rotating
        live = self.unexpired.get(slot.series, [])
        del live[:bisect.bisect_left(live, slot.day, key=_expiry)]
        real = [e for e in live
                if ((e.key in self.first and self.first[e.key] < now)
                    or (rotating and e.key not in self.first)) and self._fits(e, slot)]
        held = [v for v in self.virtuals_of[slot.series] if v.first < now
                and slot.lo <= v.length <= slot.hi]
        chosen = next((c for c in self._preferred(real + [v for v in held if v.fresh], rotating)
                       + self._preferred([v for v in held if not v.fresh], rotating)
                       if _spaced(self._airings(c), slot.day, gap)), None)
        if chosen is None:
            return False
        if isinstance(chosen, Virtual):
            chosen.airings.append((slot.day, slot.start, gap))
            self._hold(slot, False, (Reason(f"replays the episode reserved for {chosen.first[0]}",
                                            "replays_reserved", {"date": chosen.first[0]}),))
        else:
            self._air(slot, chosen, gap)
        return True

    def _preferred(self, items: list, rotating: bool) -> list:
        if len(items) < 2:  # most slots have one candidate or none: nothing to order
            return items
        if rotating:
            return sorted(items, key=self._last_aired)
        return sorted(sorted(items, key=lambda c: c.key), key=self._first_aired, reverse=True)

    def _airings(self, item: EpisodeInput | Virtual) -> list[tuple[date, int, int]]:
        return item.airings if isinstance(item, Virtual) else self.aired[item.key]

    def _first_aired(self, item: EpisodeInput | Virtual) -> Stamp:
        return item.first if isinstance(item, Virtual) else self.first[item.key]

    def _last_aired(self, item: EpisodeInput | Virtual) -> tuple:
        """Longest ago first; never aired before all, in queue order; reservations last."""
        if isinstance(item, Virtual):
            return max(a[:2] for a in item.airings), date.max, item.key
        return self.last.get(item.key, (date.min, 0)), item.available_from or date.min, item.key

    def _note_airing(self, key: str, day: date, start: int, gap: int) -> None:
        """An airing of an episode here, with the days it must keep from others."""
        self.aired[key].append((day, start, gap))
        self.last[key] = max(self.last[key], (day, start)) if key in self.last else (day, start)

    def _air(self, slot: Slot, episode: EpisodeInput, gap: int) -> None:
        slot.episode, slot.title = episode.key, episode.title
        slot.duration = episode.duration_s  # type: ignore[assignment]
        slot.is_new = episode.key not in self.first
        if slot.is_new:
            self.unaired[episode.series].remove(episode)
        self._note_airing(episode.key, slot.day, slot.start, gap)
        self.first.setdefault(episode.key, (slot.day, slot.start))

    def _reserve(self, slot: Slot, gap: int, fresh: bool) -> None:
        of_series = self.virtuals_of[slot.series]
        virtual = Virtual(f"{slot.series}#{len(of_series) + 1}", slot.series, slot.length,
                          (slot.day, slot.start), fresh, [(slot.day, slot.start, gap)])
        of_series.append(virtual)
        self.virtuals.append(virtual)
        self._hold(slot, True, self._why(slot, gap))

    def _hold(self, slot: Slot, is_new: bool, why: tuple[Reason, ...]) -> None:
        title = self.titles.get(slot.series, slot.series)
        slot.episode, slot.title, slot.duration = None, f"Reserved for {title}", slot.length
        slot.is_new, slot.why = is_new, why

    # --- saying why ----------------------------------------------------------------------

    def _why(self, slot: Slot, gap: int) -> tuple[Reason, ...]:
        """Why no existing episode fills the slot, in words."""
        episodes = self.by_series[slot.series]
        title = self.titles.get(slot.series, slot.series)
        if not episodes:
            return (Reason(f"no episode of {title}", "no_episode", {"series": title}),)
        summaries = {"long": Reason(f"no episode short enough (max {slot.hi:g} s)", "none_short_enough",
                                    {"seconds": slot.hi}),
                     "short": Reason(f"no episode long enough (min {slot.lo:g} s)", "none_long_enough",
                                     {"seconds": slot.lo}),
                     "aired": Reason(f"every episode of {title} has aired here already", "all_aired",
                                     {"series": title})}
        problems, kinds = [], set()
        for episode in episodes:
            kind, problem = self._problem(episode, slot, gap)
            problems.append(problem)
            kinds.add(kind)
            if len(problems) >= 3 and not (len(kinds) == 1 and kinds <= summaries.keys()):
                break  # no summary can come: three problems and a count are all that is said
        if len(kinds) == 1 and kinds <= summaries.keys():
            return (summaries[kinds.pop()],)
        more = len(episodes) - 3
        return tuple(problems[:3]) + ((Reason(f"and {more} more", "more_episodes", {"count": more}),)
                                   if more > 0 else ())

    def _problem(self, episode: EpisodeInput, slot: Slot, gap: int) -> tuple[str, Reason]:
        key, day, named = episode.key, slot.day, {"episode": episode.title}
        if episode.duration_s is None:
            return "audio", Reason(f"{key} has no audio yet", "no_audio", named)
        if episode.available_from is not None and day < episode.available_from:
            return "later", Reason(f"{key} is available from {episode.available_from}", "available_later",
                                   named | {"date": episode.available_from})
        if episode.expires is not None and day > episode.expires:
            return "expired", Reason(f"{key} expired on {episode.expires}", "expired",
                                     named | {"date": episode.expires})
        if episode.duration_s > slot.hi:
            return "long", Reason(f"{key} is too long ({episode.duration_s:g} s)", "too_long",
                                  named | {"seconds": episode.duration_s})
        if episode.duration_s < slot.lo:
            return "short", Reason(f"{key} is too short ({episode.duration_s:g} s)", "too_short",
                                   named | {"seconds": episode.duration_s})
        if self.first[key] >= (slot.day, slot.start):
            return "first", Reason(f"{key} first airs here on {self.first[key][0]}", "first_airs_later",
                                   named | {"date": self.first[key][0]})
        if not _spaced(self.aired[key], day, gap):
            near = min(self.aired[key], key=lambda a: abs((day - a[0]).days))
            return "spacing", Reason(f"{key} airs here on {near[0]}, less than {max(gap, near[2])} days away",
                                     "too_close", named | {"date": near[0], "days": max(gap, near[2])})
        return "aired", Reason(f"{key} has aired here already and new content is due", "aired_new_due", named)
