"""Make-goods: the airings that can still save a short or at-risk period, in its allowed slots."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..periods import RequirementInput, StationInput, day_windows, days_between
from .model import ComplianceRow


@dataclass(frozen=True)
class MakeGood:
    """One proposed airing: a day and an allowed window still ahead."""

    day: date
    window: str


def propose_makegoods(req: RequirementInput, station: StationInput, row: ComplianceRow, *, now: datetime,
                      tz: ZoneInfo) -> list[MakeGood]:
    """The `row.needed` earliest free slots of the period: allowed (day, window) pairs still
    ahead of `now` with no airing of the requirement yet, one a day while days last. Fewer when
    the period has no more. Spacing between airings of one episode is the caller's, as it
    chooses the episodes."""
    if row.requirement != req.code or row.station != station.code:
        raise ValueError(f"row {row.requirement}@{row.station} is not of {req.code}@{station.code}")
    taken = set(row.taken_slots)
    free = [MakeGood(day, w.name) for day in days_between(max(now.astimezone(tz).date(), row.period_start),
                                                          row.period_end)
            for w in day_windows(req, station, day)
            if (day, w.name) not in taken and datetime.combine(day, w.end, tzinfo=tz) > now]
    used_days = {day for day, _ in taken}
    rank: dict[MakeGood, int] = {}
    for slot in free:  # free slots are in time order: 0 for a day's first, 1 for its second…
        rank[slot] = sum(1 for other in rank if other.day == slot.day)
    by_preference = sorted(free, key=lambda m: (rank[m] + (m.day in used_days), m.day))
    return sorted(by_preference[:row.needed], key=lambda m: (m.day, free.index(m)))
