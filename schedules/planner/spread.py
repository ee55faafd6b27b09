"""Choosing which free places a requirement takes in a period: spread out, earliest on ties.

The plan format (docs/plan-format.md) asks to make the smallest gap between airings as
large as possible, ties going to the earliest date. Gaps count against the requirement's airings already there
(also in neighbouring periods), and are capped at the period's even share
(period length / airings) so that a lone weekly airing is not pushed to the week's end
just to be far from last week's.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple


class Place(NamedTuple):
    """A cell a requirement may take: a day, the window's order that day, its name. A named
    tuple, as places are listed and sorted by the hundred thousand in a year's build."""

    day: date
    rank: int
    window: str


def _distances(points: Sequence[date], places: Sequence[Place]) -> list[int | None]:
    """Days from each place (in time order) to the nearest point, None without points: one walk
    along both, as a year's build asks it for hundreds of thousands of places."""
    if not points:
        return [None] * len(places)
    distances, at, last = [], 0, len(points) - 1
    for place in places:
        day = place.day
        while at <= last and points[at] < day:
            at += 1  # points[at - 1] < day <= points[at]
        if at == 0:
            distances.append((points[0] - day).days)
        elif at > last:
            distances.append((day - points[last]).days)
        else:
            distances.append(min((day - points[at - 1]).days, (points[at] - day).days))
    return distances


def _greedy(places: Sequence[Place], k: int, distances: Sequence[int | None],
            gap: int) -> list[Place] | None:
    """The earliest k places at least ``gap`` days apart and from every point (``distances``
    are the places' days to the nearest point), if any."""
    picked: list[Place] = []
    for place, far in zip(places, distances):
        if (far is None or far >= gap) and (not picked or (place.day - picked[-1].day).days >= gap):
            picked.append(place)
            if len(picked) == k:
                return picked
    return None


def _fill(places: Sequence[Place], k: int, points: Sequence[date]) -> list[Place]:
    """Several a day: each day's first free place first, so that days fill evenly."""
    taken: dict[date, int] = {}
    keyed = []
    for place in places:
        before = taken.get(place.day, bisect.bisect_right(points, place.day)
                           - bisect.bisect_left(points, place.day))
        taken[place.day] = before + 1
        keyed.append(((before, place.day, place.rank), place))
    return sorted(place for _, place in sorted(keyed)[:k])


def spread(places: Sequence[Place], k: int, points: Sequence[date], share: int) -> list[Place]:
    """k places (all when there are fewer), at the largest gap from ``share`` down to 1
    that works (a larger gap never works when a smaller fails), else several a day.
    ``places`` come in time order, as ``Board.cells`` lists them: not sorted again."""
    if k >= len(places):
        return list(places)
    low, high, best = 1, max(share, 1), None
    distances = _distances(points, places)  # the same for every gap tried
    while low <= high:
        gap = (low + high) // 2
        found = _greedy(places, k, distances, gap)
        if found is None:
            high = gap - 1
        else:
            low, best = gap + 1, found
    return best if best is not None else _fill(places, k, points)
