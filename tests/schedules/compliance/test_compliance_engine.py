"""The compliance engine: statuses from counts, tables of literal cases, and the test vectors."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from schedules.compliance import AiringCount, evaluate, row_json
from schedules.periods import RequirementInput, StationInput, Window
from tests.schedules.test_periods import _cases, _expected_row, _requirement, _station

SIX = ("MO", "TU", "WE", "TH", "FR", "SA")
STATION = StationInput("tk", (Window("sang", SIX, time(5, 30), time(6)), Window("chieu", SIX, time(17), time(17, 30))))
WEEK = date(2026, 11, 16)  # Monday
TUE, THU = WEEK + timedelta(days=1), WEEK + timedelta(days=3)
AFTER = WEEK + timedelta(days=14)


def weekly(**fields) -> RequirementInput:
    values = dict(code="p/tk-weekly", series="p/cds", stations=("tk",), period="week", min=2, max=2, new_episodes=1,
                  days=("TU", "TH"), date_from=date(2026, 11, 2), date_to=date(2026, 12, 31))
    return RequirementInput(**(values | fields))


def count(day: date, episode: str | None = "e1", planned: int = 1, aired: int = 1, window: str | None = "sang",
          duration: float | None = 150.0, unscheduled: bool = False, series: str = "p/cds") -> AiringCount:
    return AiringCount("tk", series, day, window, episode, None if episode is None else duration,
                       0 if unscheduled else planned, aired, unscheduled)


def one(counts, today=AFTER, req=None, start=WEEK, end=WEEK):
    rows = evaluate([req or weekly()], {"tk": STATION}, counts, start=start, end=end, today=today)
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("case", _cases())
def test_the_engine_reproduces_every_vector_row(case):
    requirement = _requirement(case["requirement"])
    rows = evaluate([requirement], {"s": _station(case["station"])}, [], start=requirement.date_from,
                    end=requirement.date_to, today=date(2000, 1, 1))
    got = [(r.period_start, r.period_end, r.partial, r.required_min, r.new_required) for r in rows]
    assert got == [(e[0], e[1], e[4], e[5], e[6]) for e in map(_expected_row, case["expected"])]


def test_met_short_and_over_for_finished_weeks():
    met = one([count(TUE), count(THU)])
    assert (met.status, met.aired, met.new_aired, met.reasons) == ("met", 2, 1, ())
    short = one([count(TUE), count(THU, aired=0)])
    assert (short.status, short.missing_dates) == ("short", (THU,))
    assert short.reasons == ("1 of 2 airings aired", "not aired on 19/11/2026")
    over = one([count(TUE), count(THU), count(THU, "e2", window="chieu")])
    assert over.status == "over" and "3 airings, more than the maximum 2" in over.reasons
    nothing = one([])
    assert (nothing.status, nothing.missing_dates) == ("short", (TUE, THU))
    assert "no airing on 17/11/2026, 19/11/2026" in nothing.reasons


def test_replays_are_not_new_and_a_week_without_a_first_airing_is_short():
    before = count(WEEK - timedelta(days=6), "e1")  # e1 first aired the week before
    row = one([before, count(TUE, "e1"), count(THU, "e1")])
    assert (row.status, row.aired, row.new_aired) == ("short", 2, 0)
    assert row.reasons == ("0 of 1 new episodes aired",)
    assert one([before, count(TUE, "e1"), count(THU, "e2")]).status == "met"


def test_airings_on_disallowed_days_windows_or_series_do_not_count():
    wednesday = WEEK + timedelta(days=2)
    row = one([count(TUE), count(wednesday, "e2"), count(THU, window=None), count(THU, "e3", series="p/other")],
              req=weekly(windows=("sang",)))
    assert (row.aired, row.planned, row.status) == (1, 1, "short")
    evening = one([count(TUE), count(THU, window="chieu")], req=weekly(windows=("sang",)))
    assert evening.aired == 1


def test_duration_violations_are_reported_and_not_counted():
    req = weekly(duration_min=120, duration_max=180)
    row = one([count(TUE), count(THU, "e2", duration=200.0)], req=req)
    assert (row.aired, row.duration_violations, row.status) == (1, 1, "short")
    assert "1 airing(s) outside the duration 120–180 s (not counted)" in row.reasons
    assert one([count(TUE, duration=None, episode="e1")], req=req).duration_violations == 0


def test_unscheduled_airings_count_when_they_match():
    row = one([count(TUE), count(THU, "e1", unscheduled=True), count(WEEK + timedelta(days=6), "e2", unscheduled=True)])
    assert (row.aired, row.unscheduled, row.planned, row.status) == (2, 1, 1, "met")


@pytest.mark.parametrize(("today", "counts", "status", "reason"), [
    (WEEK + timedelta(days=2), [count(TUE), count(THU, aired=0)], "in_progress", None),
    (WEEK + timedelta(days=2), [count(TUE, aired=0), count(THU, "e1", aired=0)], "at_risk", "not aired on 17/11/2026"),
    (WEEK + timedelta(days=2), [count(TUE), count(THU, None, aired=0)], "at_risk",
     "1 reservation(s) still without content"),
    (WEEK - timedelta(days=1), [count(TUE, aired=0), count(THU, "e1", aired=0)], "pending", None),
    (WEEK - timedelta(days=1), [count(TUE, aired=0)], "at_risk", "1 more airing(s) needed than planned"),
    (WEEK - timedelta(days=1), [count(TUE, "e0", aired=0), count(THU, "e0", aired=0),
                                count(WEEK - timedelta(days=6), "e0")], "at_risk",
     "0 of 1 new episodes aired, 0 more planned"),
    (WEEK + timedelta(days=2), [count(TUE), count(THU), count(THU, "e2", window="chieu")], "over", None),
])
def test_current_and_future_periods(today, counts, status, reason):
    row = one(counts, today=today)
    assert row.status == status, row.reasons
    if reason:
        assert reason in row.reasons


def test_cut_periods_are_prorated_and_marked_partial():
    req = weekly(date_from=THU)  # the first week keeps Thursday only
    row = one([count(THU)], req=req)
    assert (row.partial, row.required_min, row.new_required, row.status) == (True, 1, 1, "met")


def test_rows_cover_whole_periods_touching_the_range_in_order():
    rows = evaluate([weekly(code="p/b"), weekly(code="p/a")], {"tk": STATION}, [], start=THU,
                    end=THU + timedelta(days=7), today=AFTER)
    assert [(r.requirement, r.period_start) for r in rows] == [
        ("p/a", WEEK), ("p/a", WEEK + timedelta(days=7)), ("p/b", WEEK), ("p/b", WEEK + timedelta(days=7))]
    assert row_json(rows[0])["period_end"] == "2026-11-22" and row_json(rows[0])["required_max"] == 2


@pytest.mark.parametrize(("values", "message"), [
    ({"planned": -1}, "must not be negative"), ({"planned": 1, "aired": 2}, "more aired than planned"),
    ({"episode": None, "unscheduled": True}, "names no episode"),
])
def test_counts_are_checked(values, message):
    fields = dict(station="tk", series="p/cds", day=TUE, window="sang", episode="e1", duration_s=1.0, planned=1,
                  aired=0) | values
    with pytest.raises(ValueError, match=message):
        evaluate([weekly()], {"tk": STATION}, [count(TUE), AiringCount(**fields)], start=WEEK, end=WEEK, today=AFTER)


def test_a_backwards_range_is_refused():
    with pytest.raises(ValueError, match="before start"):
        evaluate([weekly()], {"tk": STATION}, [], start=THU, end=TUE, today=AFTER)
