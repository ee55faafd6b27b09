"""Planner table tests: every seed row of examples/README.md and the calendar cases of issue 3.

Dates are literal: December 2026 starts on a Tuesday, so 2026-12-01 is TU and 2026-12-07 MO.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date as D
from datetime import time

from planner_kit import (
    SIX,
    episode,
    requirement,
    rows,
    run,
    station,
    weekly,
)

from schedules.periods import Block, Window

WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def ep(day, at, key, window="sang", kind="episode"):
    return (day, at, window, kind, key)


# --- the seed table ----------------------------------------------------------------------

def test_seed_002_tuesday_new_thursday_replay():
    tk = requirement(code="tk", min=2, max=2, new_episodes=1, days=("TU", "TH"),
                     date_from=D(2026, 11, 30), date_to=D(2026, 12, 13))
    result = run([tk], weekly("cds", D(2026, 11, 30), 2), start=D(2026, 11, 30),
                 end=D(2026, 12, 13))
    assert rows(result) == [ep(D(2026, 12, 1), "05:30", "cds-1"), ep(D(2026, 12, 3), "05:30", "cds-1"),
                            ep(D(2026, 12, 8), "05:30", "cds-2"), ep(D(2026, 12, 10), "05:30", "cds-2")]
    assert [e.first_airing for e in result.entries] == [True, False, True, False]
    assert [e.end for e in result.entries][:1] == [time(5, 32, 30)]
    assert result.shortfalls == () and result.needs == ()


def test_seed_003_provincial_column_weekly_on_a_daily_window():
    tinh = station("tinh", windows=(Window("toi", WEEK, time(19), time(19, 30)),))
    column = requirement(code="col", stations=("tinh",), new_episodes=1,
                         date_from=D(2024, 11, 4), date_to=D(2024, 11, 17))
    result = run([column], weekly("cds", D(2024, 11, 4), 2), start=D(2024, 11, 4),
                 end=D(2024, 11, 17), stations=(tinh,))
    assert rows(result) == [ep(D(2024, 11, 4), "19:00", "cds-1", "toi"),
                            ep(D(2024, 11, 11), "19:00", "cds-2", "toi")]


def test_seed_003_district_one_program_and_three_replays_spread_a_week_apart():
    district = requirement(code="bs", period="month", min=4, max=4, new_episodes=1,
                           min_gap_days=5, date_from=D(2026, 6, 1), date_to=D(2026, 6, 30))
    result = run([district], [episode("jun", 600, D(2026, 6, 1))], start=D(2026, 6, 1),
                 end=D(2026, 6, 30))
    assert rows(result) == [ep(D(2026, 6, day), "05:30", "jun") for day in (1, 8, 15, 22)]
    assert [e.first_airing for e in result.entries] == [True, False, False, False]


def test_seed_003_commune_one_program_a_month():
    commune = requirement(code="xa", period="month", min=1, new_episodes=1,
                          date_from=D(2024, 10, 1), date_to=D(2024, 12, 31))
    episodes = [episode(f"m{m}", available_from=D(2024, m, 1)) for m in (10, 11, 12)]
    result = run([commune], episodes, start=D(2024, 10, 1), end=D(2024, 12, 31))
    # 2024-12-01 is a Sunday, without a window
    assert rows(result) == [ep(D(2024, 10, 1), "05:30", "m10"), ep(D(2024, 11, 1), "05:30", "m11"),
                            ep(D(2024, 12, 2), "05:30", "m12")]


def test_seed_004_district_one_to_two_a_week_places_the_minimum():
    district = requirement(code="vb", min=1, max=2, new_episodes=1,
                           date_from=D(2024, 1, 1), date_to=D(2024, 1, 14))
    result = run([district], weekly("cds", D(2024, 1, 1), 2), start=D(2024, 1, 1),
                 end=D(2024, 1, 14))
    assert rows(result) == [ep(D(2024, 1, 1), "05:30", "cds-1"), ep(D(2024, 1, 8), "05:30", "cds-2")]


def test_seed_004_commune_two_to_three_minutes_only():
    commune = requirement(code="vbx", min=1, max=2, new_episodes=1, duration_min=120,
                          duration_max=180, date_from=D(2024, 1, 1), date_to=D(2024, 1, 14))
    episodes = [episode("short", 100), episode("long", 200), episode("ok1", 150),
                episode("ok2", 179.5)]
    result = run([commune], episodes, start=D(2024, 1, 1), end=D(2024, 1, 14))
    assert rows(result) == [ep(D(2024, 1, 1), "05:30", "ok1"), ep(D(2024, 1, 8), "05:30", "ok2")]
    assert result.entries[1].end == time(5, 33)  # 179.5 s, rounded up


def test_seed_001_campaign_as_a_daily_quota_rotates_the_slogans():
    campaign = requirement(code="sd", series="kh", period="day", min=2, min_gap_days=0,
                           date_from=D(2022, 10, 1), date_to=D(2022, 10, 10))
    slogans = [episode("s1", 20, series="kh"), episode("s2", 25, series="kh")]
    result = run([campaign], slogans, start=D(2022, 10, 1), end=D(2022, 10, 10))
    days = [D(2022, 10, d) for d in (1, 3, 4, 5, 6, 7, 8, 10)]  # Sundays 2 and 9 off air
    assert rows(result) == [row for day in days for row in (
        ep(day, "05:30", "s1"), ep(day, "17:00", "s2", "chieu"))]
    assert result.shortfalls == ()


def test_seed_000_every_station_of_the_district_carries_the_column():
    stations = (station("a"), station("b"), station("c", closed=[D(2025, 3, 3)]))
    column = requirement(code="ts", stations=("a", "b", "c"), date_from=D(2025, 3, 3),
                         date_to=D(2025, 3, 16))
    result = run([column], [episode("x1")], start=D(2025, 3, 3), end=D(2025, 3, 16),
                 stations=stations)
    assert [(e.station, e.day, e.first_airing) for e in result.entries] == [
        ("a", D(2025, 3, 3), True), ("a", D(2025, 3, 10), False),
        ("b", D(2025, 3, 3), True), ("b", D(2025, 3, 10), False),
        ("c", D(2025, 3, 4), True), ("c", D(2025, 3, 11), False)]  # keeps a week apart


# --- the calendar ------------------------------------------------------------------------

def test_cut_first_and_last_periods_are_prorated():
    tk = requirement(code="tk", min=2, max=2, new_episodes=1, days=("TU", "TH"),
                     date_from=D(2026, 12, 3), date_to=D(2026, 12, 15))
    result = run([tk], [episode("a"), episode("b"), episode("c")], start=D(2026, 11, 30),
                 end=D(2026, 12, 20))
    assert rows(result) == [ep(D(2026, 12, 3), "05:30", "a"),
                            ep(D(2026, 12, 8), "05:30", "b"), ep(D(2026, 12, 10), "05:30", "b"),
                            ep(D(2026, 12, 15), "05:30", "c")]
    assert result.explanations["tk", "tk", D(2026, 11, 30)][0] == (
        "week 2026-11-30 to 2026-12-06: 1 of 2 allowed days (cut short); "
        "required 1, new 1, max 2")


def test_a_month_with_five_tuesdays():
    tuesdays = requirement(code="tu", period="month", min=4, days=("TU",),
                           date_from=D(2026, 12, 1), date_to=D(2026, 12, 31))
    four = run([tuesdays], [episode("a")], start=D(2026, 12, 1), end=D(2026, 12, 31))
    assert [e.day for e in four.entries] == [D(2026, 12, d) for d in (1, 8, 15, 22)]
    five = run([replace(tuesdays, min=5)], [episode("a")], start=D(2026, 12, 1),
               end=D(2026, 12, 31))
    assert [e.day for e in five.entries] == [D(2026, 12, d) for d in (1, 8, 15, 22, 29)]


def test_a_closed_day_moves_nothing_else_and_prorates_its_week():
    tet = station(closed=[D(2027, 2, 16), D(2027, 2, 17)])
    tk = requirement(code="tk", min=2, max=2, new_episodes=1, days=("TU", "TH"),
                     date_from=D(2027, 2, 8), date_to=D(2027, 2, 21))
    result = run([tk], weekly("cds", D(2027, 2, 8), 2), start=D(2027, 2, 8),
                 end=D(2027, 2, 21), stations=(tet,))
    assert rows(result) == [ep(D(2027, 2, 9), "05:30", "cds-1"), ep(D(2027, 2, 11), "05:30", "cds-1"),
                            ep(D(2027, 2, 18), "05:30", "cds-2")]
    assert result.shortfalls == ()


def test_a_seasonal_window_ends_inside_a_week():
    seasonal = Window("chieu", SIX, time(17), time(17, 30), D(2026, 4, 1), D(2026, 9, 30))
    afternoons = requirement(code="ch", windows=("chieu",), min=2, date_from=D(2026, 9, 21),
                             date_to=D(2026, 10, 11))
    result = run([afternoons], [episode("a"), episode("b")], start=D(2026, 9, 21),
                 end=D(2026, 10, 11), stations=(station(windows=(Window("sang", SIX, time(5, 30), time(6)), seasonal)),))
    assert [(e.day, e.window) for e in result.entries] == [
        (D(2026, 9, 21), "chieu"), (D(2026, 9, 24), "chieu"),   # a whole week: 3 days apart
        (D(2026, 9, 28), "chieu"), (D(2026, 9, 30), "chieu")]   # only MO-WE still open
    assert result.shortfalls == ()  # no allowed day after 30/09, so nothing is required


def test_a_block_leaves_too_little_room():
    relay = Block("sang", time(5, 30), "relay", "Tiếp sóng Đài tỉnh", "http://x.invalid/s", 1650)
    tight = station(windows=(Window("sang", SIX, time(5, 30), time(6)),), blocks=(relay,))
    need = requirement(code="b", date_from=D(2026, 12, 7), date_to=D(2026, 12, 13))
    result = run([need], [episode("a")], start=D(2026, 12, 7), end=D(2026, 12, 13),
                 stations=(tight,))
    assert [(e.day, e.kind, e.end) for e in result.entries] == [
        (D(2026, 12, d), "relay", time(5, 57, 30)) for d in range(7, 13)]
    assert result.entries[0].source == "http://x.invalid/s"
    (short,) = result.shortfalls
    assert (short.severity, short.required, short.planned) == ("error", 1, 0)
    assert short.reason == ("window sang full on 2026-12-07, 2026-12-08, 2026-12-09 "
                            "and 3 more")


def test_items_pack_after_the_block_one_after_another():
    relay = Block("sang", time(5, 30), "relay", "VOV", None, 600)
    packed = station(blocks=(relay,))
    first = requirement(code="a", series="a", priority="priority", date_from=D(2026, 12, 7),
                        date_to=D(2026, 12, 7))
    second = requirement(code="b", series="b", date_from=D(2026, 12, 7), date_to=D(2026, 12, 7))
    result = run([second, first], [episode("a1", 100, series="a"), episode("b1", 200, series="b")],
                 start=D(2026, 12, 7), end=D(2026, 12, 7), stations=(packed,))
    assert [(e.start, e.end, e.kind, e.episode) for e in result.entries] == [
        (time(5, 30), time(5, 40), "relay", None),
        (time(5, 40), time(5, 41, 40), "episode", "a1"),   # a 180 s slot, 100 s aired
        (time(5, 43), time(5, 46, 20), "episode", "b1")]


def test_the_campaign_with_a_closed_day_over_its_whole_range():
    campaign = requirement(code="cp", period="campaign", min=10, new_episodes=1,
                           date_from=D(2026, 12, 1), date_to=D(2026, 12, 10))
    closed = station(closed=[D(2026, 12, 5)])
    result = run([campaign], [episode("a"), episode("b")], start=D(2026, 12, 1),
                 end=D(2026, 12, 10), stations=(closed,))
    # 9 required on 8 allowed days: one day carries two airings, the first one; a cannot
    # air twice that day (min_gap_days 1), so b does, and is replayed from then on
    assert [(e.day.day, e.window, e.episode) for e in result.entries] == [
        (1, "sang", "a"), (1, "chieu", "b"), (2, "sang", "b"), (3, "sang", "b"),
        (4, "sang", "b"), (7, "sang", "b"), (8, "sang", "b"), (9, "sang", "b"),
        (10, "sang", "b")]
    assert result.shortfalls == ()


def test_periods_running_past_the_build_are_planned_whole_but_returned_up_to_the_end():
    monthly = requirement(code="m", period="month", min=4, date_from=D(2026, 6, 1),
                          date_to=D(2026, 6, 30))
    result = run([monthly], [episode("a"), episode("b")], start=D(2026, 6, 1),
                 end=D(2026, 6, 10))
    assert [e.day for e in result.entries] == [D(2026, 6, 1), D(2026, 6, 8)]
    assert result.shortfalls == ()
    lines = result.explanations["m", "tk", D(2026, 6, 1)]
    assert lines[-2:] == ("2026-06-22 05:30 sang: b, replay; after the build range",
                          "planned 4, new 2")
