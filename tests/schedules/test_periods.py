"""Period arithmetic: bounds, allowed days, prorated quotas, and the test vectors (data/required_counts.yaml)."""

from __future__ import annotations

import pathlib
from datetime import date, time

import pytest
import yaml

from schedules.periods import (
    ALL_DAYS,
    Block,
    PeriodQuota,
    RequirementInput,
    StationInput,
    Window,
    allowed_days,
    allowed_windows,
    period_bounds,
    periods_of,
    quota,
    quotas,
    slot_count,
)

VECTORS = pathlib.Path(__file__).parent / "data" / "required_counts.yaml"
SIX = ("MO", "TU", "WE", "TH", "FR", "SA")
SANG = Window("sang", SIX, time(5, 30), time(6))
CHIEU = Window("chieu", SIX, time(17), time(17, 30))
THANHKY = StationInput("thanhky", (SANG, CHIEU))


def req(**fields) -> RequirementInput:
    defaults = {"code": "r", "series": "cds", "stations": ("thanhky",), "period": "week",
                "min": 1, "max": None, "date_from": date(2026, 12, 1), "date_to": date(2026, 12, 31)}
    return RequirementInput(**(defaults | fields))


# --- the vectors file, read as text the way docs/plan-format.md says -----------------

def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _time(text: str) -> time:
    return time.fromisoformat(text)


def _station(spec: dict) -> StationInput:
    windows = tuple(
        Window(w["name"], tuple(w["days"]), _time(w["start"]), _time(w["end"]),
               _date(w.get("from")), _date(w.get("to")))
        for w in spec["windows"])
    return StationInput("s", windows, frozenset(map(_date, spec.get("closed", []))))


def _requirement(spec: dict) -> RequirementInput:
    airings = spec["airings"]
    optional = {key: int(spec[key]) for key in ("new_episodes", "min_gap_days") if key in spec}
    return RequirementInput(
        code="v", series="x", stations=("s",), period=spec["period"], min=int(airings["min"]),
        max=int(airings["max"]) if "max" in airings else None,
        days=tuple(spec.get("days", ALL_DAYS)), windows=tuple(spec.get("windows", ())),
        date_from=_date(spec["from"]), date_to=_date(spec["to"]), **optional)


def _expected_row(row: dict) -> tuple:
    return (_date(row["period_start"]), _date(row["period_end"]), int(row["allowed_days"]),
            int(row["allowed_days_whole"]), row["partial"] == "true", int(row["required_min"]),
            int(row["required_new"]))


def _cases() -> list:
    data = yaml.load(VECTORS.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return [pytest.param(case, id=case["name"]) for case in data["cases"]]


@pytest.mark.parametrize("case", _cases())
def test_vectors_every_row(case):
    requirement = _requirement(case["requirement"])
    got = [(q.period_start, q.period_end, q.allowed_days, q.allowed_days_whole, q.partial,
            q.required_min, q.required_new)
           for q in quotas(requirement, _station(case["station"]))]
    assert got == [_expected_row(row) for row in case["expected"]]
    assert {q.max for q in quotas(requirement, _station(case["station"]))} == {requirement.max}


# --- bounds --------------------------------------------------------------------------

@pytest.mark.parametrize(("period", "day", "bounds"), [
    ("day", date(2026, 12, 3), (date(2026, 12, 3), date(2026, 12, 3))),
    ("week", date(2026, 12, 3), (date(2026, 11, 30), date(2026, 12, 6))),
    ("week", date(2026, 12, 6), (date(2026, 11, 30), date(2026, 12, 6))),
    ("week", date(2026, 12, 31), (date(2026, 12, 28), date(2027, 1, 3))),
    ("month", date(2024, 2, 10), (date(2024, 2, 1), date(2024, 2, 29))),
    ("month", date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
    ("quarter", date(2027, 2, 1), (date(2027, 1, 1), date(2027, 3, 31))),
    ("quarter", date(2026, 11, 5), (date(2026, 10, 1), date(2026, 12, 31))),
    ("quarter", date(2026, 6, 30), (date(2026, 4, 1), date(2026, 6, 30))),
    ("year", date(2026, 6, 30), (date(2026, 1, 1), date(2026, 12, 31))),
])
def test_period_bounds(period, day, bounds):
    assert period_bounds(period, day) == bounds


def test_campaign_bounds_are_the_requirements_range():
    campaign = req(period="campaign", date_from=date(2022, 10, 1), date_to=date(2022, 10, 10))
    assert period_bounds("campaign", date(2022, 10, 5), campaign) == (date(2022, 10, 1),
                                                                      date(2022, 10, 10))
    assert periods_of(campaign) == [(date(2022, 10, 1), date(2022, 10, 10))]


@pytest.mark.parametrize("period", ["campaign", "fortnight"])
def test_period_bounds_refuses_unknown_or_campaign_without_requirement(period):
    with pytest.raises(ValueError, match="period"):
        period_bounds(period, date(2026, 1, 1))


def test_periods_of_covers_the_range_with_whole_periods():
    monthly = req(period="month", date_from=date(2026, 5, 31), date_to=date(2026, 7, 15))
    assert periods_of(monthly) == [(date(2026, 5, 1), date(2026, 5, 31)),
                                   (date(2026, 6, 1), date(2026, 6, 30)),
                                   (date(2026, 7, 1), date(2026, 7, 31))]


# --- allowed days and windows ----------------------------------------------------------

def test_window_open_by_weekday_and_season():
    seasonal = Window("chieu", SIX, time(17), time(17, 30), date(2026, 4, 1), date(2026, 9, 30))
    assert seasonal.is_open_on(date(2026, 9, 30))
    assert not seasonal.is_open_on(date(2026, 10, 1))
    assert not seasonal.is_open_on(date(2026, 3, 31))
    assert not seasonal.is_open_on(date(2026, 9, 27))  # a Sunday


def test_allowed_days_drop_closed_days_out_of_range_and_windowless_days():
    station = StationInput("s", (SANG,), frozenset({date(2026, 12, 3)}))
    tue_thu = req(days=("TU", "TH", "SU"), date_from=date(2026, 12, 2))
    assert allowed_days(tue_thu, station, date(2026, 11, 30), date(2026, 12, 13)) == [
        date(2026, 12, 8), date(2026, 12, 10)]


def test_allowed_windows_follow_the_requirement_and_sort_by_start():
    assert allowed_windows(req(), StationInput("s", (CHIEU, SANG)), date(2026, 12, 1)) == (
        SANG, CHIEU)
    assert allowed_windows(req(windows=("chieu",)), THANHKY, date(2026, 12, 1)) == (CHIEU,)


def test_quota_caps_at_max_and_keeps_it():
    heavy = req(min=2, max=2, new_episodes=5)
    assert quota(heavy, THANHKY, date(2026, 12, 7), date(2026, 12, 13)) == PeriodQuota(
        date(2026, 12, 7), date(2026, 12, 13), 6, 6, False, 2, 2, 2)


def test_slot_count_counts_day_window_pairs():
    assert slot_count(req(days=("TU", "TH"), date_from=date(2026, 12, 1),
                          date_to=date(2026, 12, 6)), THANHKY) == 4
    assert slot_count(req(windows=("sang",), date_from=date(2026, 12, 1),
                          date_to=date(2026, 12, 6)), THANHKY) == 5


# --- validation ----------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "message"), [
    ({"period": "fortnight"}, "period"),
    ({"priority": "urgent"}, "priority"),
    ({"min": -1}, "negative"),
    ({"min_gap_days": -1}, "negative"),
    ({"min": 3, "max": 2}, "min is more than max"),
    ({"duration_min": 200, "duration_max": 100}, "duration min"),
    ({"date_from": date(2027, 1, 1)}, "from is after to"),
    ({"days": ("XX",)}, "weekdays"),
])
def test_requirement_validation(fields, message):
    with pytest.raises(ValueError, match=message):
        req(**fields)


def test_requirement_duration_bounds_are_inclusive_and_open_when_missing():
    bounded = req(duration_min=120, duration_max=180)
    assert [bounded.allows_duration(s) for s in (119.9, 120, 180, 180.1)] == [
        False, True, True, False]
    assert req().allows_duration(10_000)


def test_window_and_block_validation():
    with pytest.raises(ValueError, match="not after start"):
        Window("w", SIX, time(6), time(6))
    with pytest.raises(ValueError, match="weekdays"):
        Window("w", ("MON",), time(5), time(6))
    with pytest.raises(ValueError, match="kind"):
        Block("sang", time(5, 30), "news", "x", None, 60)
    with pytest.raises(ValueError, match="positive"):
        Block("sang", time(5, 30), "relay", "x", None, 0)


@pytest.mark.parametrize(("blocks", "message"), [
    ((Block("sang", time(5, 50), "relay", "VOV", None, 601),), "outside window sang"),
    ((Block("sang", time(5, 0), "relay", "VOV", None, 60),), "outside window sang"),
    ((Block("trua", time(11), "live", "x", None, 60),), "no window 'trua'"),
])
def test_station_validation_of_blocks(blocks, message):
    with pytest.raises(ValueError, match=message):
        StationInput("s", (SANG,), blocks=blocks)


def test_station_refuses_duplicate_window_names():
    with pytest.raises(ValueError, match="duplicate"):
        StationInput("s", (SANG, SANG))
