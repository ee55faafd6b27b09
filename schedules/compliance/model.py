"""The engine's values: airing counts in, one row per requirement × station × period out."""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

STATUSES = ("met", "short", "over", "in_progress", "at_risk", "pending")


class AiringCount(NamedTuple):
    """One group of the shell's aggregate: a station's airings of one episode (or reservations,
    `episode` None) of a series in one window of one local day.

    `planned` counts scheduled entries (0 for unscheduled airings); `aired` how many of those,
    or how many unscheduled airings, count as aired. `window` is None when outside every window.
    A tuple, as a province-year has hundreds of thousands of them; `check` is run by `evaluate`.
    """

    station: str
    series: str
    day: date
    window: str | None
    episode: str | None
    duration_s: float | None
    planned: int
    aired: int
    unscheduled: bool = False

    def check(self) -> None:
        if self.planned < 0 or self.aired < 0:
            raise ValueError(f"airing count at {self.station} on {self.day}: counts must not be negative")
        if not self.unscheduled and self.aired > self.planned:
            raise ValueError(f"airing count at {self.station} on {self.day}: more aired than planned")
        if self.unscheduled and self.episode is None:
            raise ValueError(f"unscheduled airing at {self.station} on {self.day}: names no episode")


class ComplianceRow(NamedTuple):
    """What one period of a requirement demanded at one station, what was planned and aired.
    A tuple, like `AiringCount`: a province-year makes tens of thousands, and a frozen dataclass
    of this many fields took longer to build than the engine took to judge them."""

    requirement: str
    station: str
    period_start: date
    period_end: date
    partial: bool
    required_min: int
    required_max: int | None
    planned: int
    aired: int
    new_required: int
    new_aired: int
    status: str  # one of STATUSES
    reasons: tuple[str, ...] = ()
    unscheduled: int = 0
    duration_violations: int = 0
    missing_dates: tuple[date, ...] = ()
    unfilled_reservations: int = 0
    to_come: int = 0
    remaining_slots: int = 0
    # For make-goods: airings still wanting a place, and the (day, window) slots already used from
    # the report's today on (make-goods look no further back).
    needed: int = 0
    taken_slots: tuple[tuple[date, str], ...] = ()

    @property
    def is_open(self) -> bool:
        """A make-good can still help: the period is short or at risk and has allowed slots left."""
        return self.status in ("short", "at_risk") and self.remaining_slots > 0


def row_json(row: ComplianceRow) -> dict:
    """The row as the CLI's and the API's JSON give it (dates as ISO text)."""
    return {"requirement": row.requirement, "station": row.station,
            "period_start": row.period_start.isoformat(), "period_end": row.period_end.isoformat(),
            "partial": row.partial, "required_min": row.required_min, "required_max": row.required_max,
            "planned": row.planned, "aired": row.aired, "new_required": row.new_required,
            "new_aired": row.new_aired, "status": row.status, "reasons": list(row.reasons),
            "unscheduled": row.unscheduled, "duration_violations": row.duration_violations,
            "missing_dates": [d.isoformat() for d in row.missing_dates]}


class Tally(NamedTuple):
    """What the engine added up for one period (internal)."""

    planned: int
    aired: int
    unscheduled: int
    violations: int
    reservations_to_come: int
    to_come: int
    missed_days: set
    aired_days: set
    new_episodes: set
    episodes_to_come: set
    slots: set
