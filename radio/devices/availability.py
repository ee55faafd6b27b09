"""How much of a span a device was reachable: pure arithmetic over its offline periods.

A device is measured only while it was in service within the span: from when it was added
(if later than the span's start) until it was retired (if earlier than the span's end). An
offline period still open counts up to the span's end (now, at most); a device never seen has
no availability at all (nothing is known of it), rather than 0 %.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Availability:
    measured: timedelta  # the time in service within the span
    offline: timedelta  # the part of it spent offline
    periods: int  # offline periods that overlap it

    @property
    def ratio(self) -> float | None:
        """1 − offline / measured, or None when nothing was measured."""
        if self.measured <= timedelta(0):
            return None
        return 1 - self.offline / self.measured


def availability(periods: Iterable[tuple[datetime, datetime | None]], start: datetime, end: datetime, *,
                 added_at: datetime | None = None, retired_at: datetime | None = None,
                 is_seen: bool = True) -> Availability | None:
    """The device's availability over [start, end) (`end` no later than now), from its offline
    periods as (offline_from, back_at or None while open); None for a device never seen."""
    if not is_seen:
        return None
    start = max(start, added_at) if added_at is not None else start
    end = min(end, retired_at) if retired_at is not None else end
    if end <= start:
        return Availability(timedelta(0), timedelta(0), 0)
    clipped = sorted((max(begin, start), min(back or end, end)) for begin, back in periods)
    clipped = [(begin, back) for begin, back in clipped if begin < back]
    return Availability(end - start, _union_length(clipped), len(clipped))


def _union_length(spans: list[tuple[datetime, datetime]]) -> timedelta:
    """The time covered by sorted spans, counting an overlap once."""
    total, reached = timedelta(0), None
    for begin, back in spans:
        if reached is not None and begin < reached:
            begin = reached
        if back > begin:
            total += back - begin
            reached = back
    return total
