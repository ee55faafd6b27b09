"""The dashboard's grouping of compliance rows: a cell shows its most urgent period, totals count
periods, and the chart puts each period's airings against its target."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from radio.compliance.matrix import AXIS, CHART_HEIGHT, airings_chart, matrix
from schedules.compliance import ComplianceRow

WEEK = date(2026, 11, 2)


def row(station="tk", requirement="kh/cds", week=0, status="met", aired=2, required=2):
    start = WEEK + timedelta(weeks=week)
    return ComplianceRow(requirement=requirement, station=station, period_start=start,
                         period_end=start + timedelta(days=6), partial=False, required_min=required,
                         required_max=required, planned=required, aired=aired, new_required=1, new_aired=1,
                         status=status)


@pytest.mark.parametrize("statuses, shown", [
    (["met", "met"], "met"),
    (["met", "short", "in_progress"], "short"),
    (["pending", "in_progress"], "in_progress"),
    (["over", "met"], "over"),
    (["at_risk", "over", "pending"], "at_risk"),
])
def test_a_cell_shows_its_most_urgent_period(statuses, shown):
    grid = matrix([row(week=n, status=s) for n, s in enumerate(statuses)])
    assert grid.cells[("tk", "kh/cds")].status == shown


def test_totals_count_periods_per_station_requirement_and_overall():
    rows = [row(week=0), row(week=1, status="short", aired=1), row(station="xa", week=0),
            row(station="xa", requirement="kh/kh", week=0, status="pending")]
    grid = matrix(rows)
    assert grid.stations == ["tk", "xa"] and grid.requirements == ["kh/cds", "kh/kh"]
    assert dict(grid.by_station["tk"]) == {"met": 1, "short": 1}
    assert dict(grid.by_requirement["kh/cds"]) == {"met": 2, "short": 1}
    assert dict(grid.totals) == {"met": 2, "short": 1, "pending": 1}
    assert (grid.cells[("tk", "kh/cds")].aired, grid.cells[("tk", "kh/cds")].required) == (3, 4)
    assert ("tk", "kh/kh") not in grid.cells


def test_the_chart_sums_each_period_and_scales_to_the_tallest():
    bars = airings_chart([row(week=0, aired=2), row(station="xa", week=0, aired=2),
                          row(week=1, aired=1), row(station="xa", week=1, aired=0)])
    assert [(b.label, b.aired, b.target) for b in bars] == [("02/11", 4, 4), ("09/11", 1, 4)]
    plot = CHART_HEIGHT - AXIS
    assert bars[0].aired_y == bars[0].target_y  # met: the bar reaches the target mark
    assert bars[1].aired_height == pytest.approx(bars[0].aired_height / 4, abs=0.1)
    assert 0 < bars[0].target_y < plot  # room above the mark
    assert airings_chart([]) == []
