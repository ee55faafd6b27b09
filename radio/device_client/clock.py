"""The receiver's reading of "now": a callable returning an aware datetime, passed in everywhere.

Production uses the system clock; tests pass their own (shared with the served app), advance it
and run one tick, so nothing in the client sleeps to wait for a schedule.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def parse_instant(text: str, what: str) -> datetime:
    """An ISO 8601 instant with its UTC offset, as the server writes them."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: {text!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise ValueError(f"{what}: {text!r} has no UTC offset")
    return moment


def is_due(moment: datetime | None, now: datetime) -> bool:
    """A moment never set is due at once: a receiver's first tick polls and reports."""
    return moment is None or now >= moment
