"""The dashboard's view of compliance rows: a commune × requirement matrix, airings over time,
and what each row has to say in the page's language.

Only presentation: the rows and their statuses come from the compliance engine
(radio/compliance); here they are grouped for the page. A cell stands for every period of one
requirement at one station within the dates asked, and shows the most urgent status among them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext

from schedules.compliance import ComplianceRow
from schedules.compliance.notes import note_text, row_notes

# Most urgent first: what a cell shows when its periods differ.
URGENCY = ("short", "at_risk", "over", "in_progress", "pending", "met")


def reasons(row: ComplianceRow) -> list[str]:
    """The row's notes (the ones the report to hand in writes) through the catalog: Vietnamese, or
    the reader's language; the engine's English `reasons` are for the CLI and the API."""
    return [note_text(note, gettext) for note in row_notes(row)]


@dataclass
class Cell:
    rows: list[ComplianceRow] = field(default_factory=list)

    @property
    def status(self) -> str:
        return min((row.status for row in self.rows), key=URGENCY.index)

    @property
    def aired(self) -> int:
        return sum(row.aired for row in self.rows)

    @property
    def required(self) -> int:
        return sum(row.required_min for row in self.rows)


@dataclass
class Matrix:
    stations: list[str]
    requirements: list[str]
    cells: dict[tuple[str, str], Cell]
    by_station: dict[str, Counter]
    by_requirement: dict[str, Counter]
    totals: Counter


def matrix(rows: list[ComplianceRow]) -> Matrix:
    cells: dict[tuple[str, str], Cell] = {}
    for row in rows:
        cells.setdefault((row.station, row.requirement), Cell()).rows.append(row)
    by_station: dict[str, Counter] = {}
    by_requirement: dict[str, Counter] = {}
    for row in rows:  # totals count periods, as the report to hand in does
        by_station.setdefault(row.station, Counter())[row.status] += 1
        by_requirement.setdefault(row.requirement, Counter())[row.status] += 1
    return Matrix(sorted(by_station), sorted(by_requirement), cells, by_station, by_requirement,
                  Counter(row.status for row in rows))


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    width: float
    aired_y: float
    aired_height: float
    target_y: float
    aired: int
    target: int


CHART_WIDTH, CHART_HEIGHT, AXIS = 640, 180, 20


def airings_chart(rows: list[ComplianceRow]) -> list[Bar]:
    """One bar per period start (airings of every row starting then) against their target (the
    required minimum): coordinates for an inline SVG of CHART_WIDTH × CHART_HEIGHT."""
    aired: Counter[date] = Counter()
    target: Counter[date] = Counter()
    for row in rows:
        aired[row.period_start] += row.aired
        target[row.period_start] += row.required_min
    starts = sorted(set(aired) | set(target))
    if not starts:
        return []
    top = max(max(aired.values()), max(target.values()), 1) * 1.15  # room above the target mark
    slot = CHART_WIDTH / len(starts)
    plot = CHART_HEIGHT - AXIS

    def y(value: int) -> float:
        return round(plot - plot * value / top, 1)

    return [Bar(f"{start:%d/%m}", round(i * slot + slot * 0.15, 1), round(slot * 0.7, 1), y(aired[start]),
                round(plot - y(aired[start]), 1), y(target[start]), aired[start], target[start])
            for i, start in enumerate(starts)]
