"""Moving a plan's dates: every date field by the same days, and the shift that makes it live."""

from __future__ import annotations

import dataclasses
import pathlib
from datetime import date, timedelta

import pytest

from schedules.planfile import days_to_season, load_plan, parse_plan, shift_dates

EXAMPLES = sorted((pathlib.Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))

# Every date field the format has, each set: {report} plan, {from}/{to} seasonal window,
# {closed} station, {available}/{expires} episode, {req_from}/{req_to}/{req_report} requirement,
# {ended} area, {retired} device.
PLAN = """
version: 1
plan: {{code: p, title: "Kế hoạch", issued_by: X, report_due: "{report}"}}
areas:
  - {{code: X, name: "xã X", level: commune}}
  - {{code: X-1, name: "Thôn 1", level: village, parent: X, ended: "{ended}"}}
stations:
  - code: x
    name: "Đài xã X"
    area: X
    windows:
      - {{name: sang, days: [MO, TU], start: "05:30", end: "06:00"}}
      - {{name: chieu, days: [MO], start: "17:00", end: "17:30", from: "{from}", to: "{to}"}}
    closed: ["{closed}"]
devices: [{{code: loa, area: X-1, station: x, retired: "{retired}"}}]
series: [{{code: s, title: "Chuyên mục"}}]
episodes:
  - {{code: e, series: s, title: "Tập 1", available_from: "{available}", expires: "{expires}"}}
  - {{code: undated, series: s, title: "Tập 2"}}
requirements:
  - {{code: r, series: s, stations: [x], period: week, airings: {{min: 1}},
     from: "{req_from}", to: "{req_to}", report_due: "{req_report}"}}
  - {{code: r2, series: s, stations: [x], period: month, airings: {{min: 1}},
     from: "{req_from}", to: "{req_to}"}}
"""
FIELDS = ("report", "from", "to", "closed", "available", "expires", "req_from", "req_to", "req_report",
          "ended", "retired")
WRITTEN = ("2027-02-05", "2026-11-01", "2027-03-31", "2027-01-01", "2026-11-02", "2026-11-29",
           "2026-11-02", "2027-01-31", "2027-02-10", "2026-12-15", "2026-12-14")


def plan(dates, requirements=True):
    doc = parse_plan(PLAN.format(**dict(zip(FIELDS, dates))), "plan.yaml", pathlib.Path("."))
    return doc if requirements else dataclasses.replace(doc, requirements=())


@pytest.mark.parametrize("days, expected", [
    (0, WRITTEN),
    (7, ("2027-02-12", "2026-11-08", "2027-04-07", "2027-01-08", "2026-11-09", "2026-12-06",
         "2026-11-09", "2027-02-07", "2027-02-17", "2026-12-22", "2026-12-21")),
    (-350, ("2026-02-20", "2025-11-16", "2026-04-15", "2026-01-16", "2025-11-17", "2025-12-14",
            "2025-11-17", "2026-02-15", "2026-02-25", "2025-12-30", "2025-12-29")),
    (497, ("2028-06-16", "2028-03-12", "2028-08-09", "2028-05-12", "2028-03-13", "2028-04-09",
           "2028-03-13", "2028-06-11", "2028-06-21", "2028-04-25", "2028-04-24")),
])
def test_every_date_field_moves_by_the_same_days(days, expected):
    assert shift_dates(plan(WRITTEN), days) == plan(expected)


def test_a_shift_leaves_absent_dates_absent_and_the_rest_of_the_plan_alone():
    doc = plan(WRITTEN)
    moved = shift_dates(doc, 7)
    assert moved.episodes[1].available_from is None and moved.episodes[1].expires is None
    assert moved.stations[0].windows[0].valid_from is None
    assert moved.stations[0].windows[1].start == doc.stations[0].windows[1].start
    assert (moved.areas[0], moved.series, moved.source) == (doc.areas[0], doc.series, doc.source)


@pytest.mark.parametrize("start, end, today, days", [
    # The season holds today and the five weeks after it: kept.
    ("2026-11-02", "2027-01-31", "2026-11-22", 0),
    ("2026-11-02", "2027-01-31", "2026-12-27", 0),
    # Less than five weeks left: moved, the weeks to come are in the season.
    ("2026-11-02", "2027-01-31", "2026-12-28", 56),     # Mon: opens Mon 28/12/2026
    ("2026-11-02", "2027-01-31", "2027-01-31", 84),     # Sun: opens Mon 25/01/2027
    # A campaign shorter than ten weeks: kept in its first half.
    ("2026-11-23", "2026-12-02", "2026-11-27", 0),
    ("2026-11-23", "2026-12-02", "2026-11-28", 0),      # the last day of its first half
    ("2026-11-23", "2026-12-02", "2026-11-30", 7),      # past it: opens Mon 30/11
    # It opens within the coming week (the campaign starting tomorrow): kept.
    ("2026-11-23", "2026-12-02", "2026-11-22", 0),
    ("2026-11-23", "2026-12-02", "2026-11-16", 0),
    # Any other day: moved so that the season opens today or in the six days before.
    ("2026-11-23", "2026-12-02", "2026-11-15", -14),    # opens Mon 09/11
    ("2026-11-02", "2027-01-31", "2028-03-15", 497),    # Wed: opens Mon 13/03/2028
    ("2026-11-01", "2027-01-31", "2028-03-15", 497),    # a Sunday start: Sun 12/03/2028
    ("2026-11-02", "2027-01-31", "2028-03-13", 497),    # today is the new first day
    ("2026-11-02", "2027-01-31", "2028-03-12", 490),    # Sun: opens Mon 06/03/2028
    ("2026-11-02", "2027-01-31", "2025-11-18", -350),   # a year back: opens Mon 17/11/2025
    ("2026-11-23", "2026-12-02", "2025-11-18", -371),
    ("2026-11-02", "2027-01-31", "2027-02-01", 91),     # the day after it ended
])
def test_the_shift_makes_the_season_open_in_the_week_up_to_today(start, end, today, days):
    dates = list(WRITTEN)
    dates[FIELDS.index("req_from")], dates[FIELDS.index("req_to")] = start, end
    assert days_to_season(plan(dates), date.fromisoformat(today)) == days


def test_a_plan_without_requirements_has_no_season_and_stays():
    assert days_to_season(plan(WRITTEN, requirements=False), date(2030, 1, 1)) == 0


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_the_example_plans_keep_their_written_dates_on_22_11_2026(path):
    """examples/README.md describes them as they stand on that day."""
    assert days_to_season(load_plan(path), date(2026, 11, 22)) == 0


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_an_example_plan_moved_to_2028_runs_on_15_03_2028(path):
    doc = load_plan(path)
    days = days_to_season(doc, date(2028, 3, 15))
    moved = shift_dates(doc, days)
    assert days % 7 == 0
    assert any(r.date_from <= date(2028, 3, 15) <= r.date_to for r in moved.requirements)
    assert _dates(moved) == [day + timedelta(days=days) for day in _dates(doc)]


def _dates(value) -> list[date]:
    """Every date in a document, wherever it sits, in a fixed order."""
    if isinstance(value, date):
        return [value]
    if dataclasses.is_dataclass(value):
        return [d for f in dataclasses.fields(value) for d in _dates(getattr(value, f.name))]
    if isinstance(value, tuple):
        return [d for item in value for d in _dates(item)]
    return []
