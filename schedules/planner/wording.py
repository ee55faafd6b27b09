"""How times, dates and lists read in reasons and explanations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from functools import cache


@cache
def as_time(second: int) -> time:
    """Seconds since midnight as a time of day (remembered: a year's build asks for the same
    few thousand times again and again)."""
    return time(second // 3600, second // 60 % 60, second % 60)


@cache
def clock(second: int) -> str:
    """``HH:MM``, with seconds only when there are some (remembered, as ``as_time``)."""
    return as_time(second).isoformat("seconds" if second % 60 else "minutes")


def listing(days: Sequence[date], limit: int = 3) -> str:
    """A few dates, then how many more."""
    shown = ", ".join(d.isoformat() for d in days[:limit])
    return shown + (f" and {len(days) - limit} more" if len(days) > limit else "")
