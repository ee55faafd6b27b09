"""Planner rules: shared airings, priorities and crowded windows, fixed entries, blocks,
today, maxima, explanations, and input validation."""

from __future__ import annotations

from datetime import date as D
from datetime import time

import pytest
from planner_kit import SANG, SIX, episode, fixed, requirement, rows, run, station

from schedules.periods import Block, Window
from schedules.planner import EpisodeInput, FixedEntry, plan

ONE_ITEM = Window("sang", SIX, time(5, 30), time(5, 33))  # room for one 180 s slot


def week(**fields):
    return requirement(**({"date_from": D(2026, 12, 7), "date_to": D(2026, 12, 13)} | fields))


def tue_thu(**fields):
    return week(**({"code": "tk", "min": 2, "max": 2, "new_episodes": 1,
                    "days": ("TU", "TH")} | fields))


# --- shared airings ----------------------------------------------------------------------

def test_two_requirements_share_airings_instead_of_doubling_them():
    district = week(code="ts")  # "every station has the column": once a week, any day
    result = run([district, tue_thu()], [episode("a")], start=D(2026, 12, 7),
                 end=D(2026, 12, 13))
    assert [(e.day, e.requirement, e.counts_for) for e in result.entries] == [
        (D(2026, 12, 8), "tk", ("tk", "ts")), (D(2026, 12, 10), "tk", ("tk", "ts"))]
    assert result.explanations["ts", "tk", D(2026, 12, 7)] == (
        "week 2026-12-07 to 2026-12-13: 6 of 6 allowed days; required 1, new 0, max none",
        "shares the airing of 2026-12-08 05:30 (sang) placed for tk",
        "2026-12-08 05:30 sang: a, first airing; placed for tk",
        "2026-12-10 05:30 sang: a, replay; placed for tk",
        "planned 2, new 1")


def test_a_slot_too_long_for_the_other_requirement_is_not_shared():
    bounded = week(code="b", duration_min=120, duration_max=180)
    result = run([bounded, tue_thu()], [episode("long", 300), episode("ok", 150)],
                 start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert [(e.day, e.episode, e.requirement, e.counts_for) for e in result.entries] == [
        (D(2026, 12, 7), "ok", "b", ("b",)),
        (D(2026, 12, 8), "long", "tk", ("tk",)), (D(2026, 12, 10), "long", "tk", ("tk",))]


def test_no_airing_is_placed_that_would_pass_another_requirements_max():
    small = week(code="small", min=1, max=1, windows=("sang",))
    big = week(code="big", min=3)
    result = run([big, small], [episode("a"), episode("b")], start=D(2026, 12, 7),
                 end=D(2026, 12, 13))
    assert [(e.day, e.window) for e in result.entries] == [
        (D(2026, 12, 7), "sang"), (D(2026, 12, 9), "chieu"), (D(2026, 12, 11), "chieu")]
    greedy = run([week(code="big", min=8), small], [episode("a")], start=D(2026, 12, 7),
                 end=D(2026, 12, 13))
    (short,) = greedy.shortfalls
    assert (short.requirement, short.planned) == ("big", 7)
    assert short.reason == "more airings would pass the max of small"


# --- crowded windows -----------------------------------------------------------------------

def test_a_priority_requirement_wins_the_crowded_window():
    crowded = station(windows=(ONE_ITEM,))
    urgent = week(code="z-urgent", series="u", min=6, priority="priority")
    usual = week(code="a-usual", series="n", min=1)
    result = run([usual, urgent], [episode("u1", series="u"), episode("n1", series="n")],
                 start=D(2026, 12, 7), end=D(2026, 12, 13), stations=(crowded,))
    assert {e.requirement for e in result.entries} == {"z-urgent"}
    (short,) = result.shortfalls
    assert (short.requirement, short.severity, short.planned) == ("a-usual", "error", 0)
    assert short.reason == "window sang full on 2026-12-07, 2026-12-08, 2026-12-09 and 3 more"


def test_earlier_slots_move_within_their_period_to_make_room():
    crowded = station(windows=(ONE_ITEM,))
    early = week(code="a", series="a", min=2, days=("MO", "TU", "WE"))
    late = week(code="b", series="b", min=3, days=("MO", "WE", "FR", "SA"))
    result = run([early, late], [episode("a1", series="a"), episode("b1", series="b")],
                 start=D(2026, 12, 7), end=D(2026, 12, 13), stations=(crowded,))
    assert [(e.day.day, e.requirement) for e in result.entries] == [
        (7, "b"), (8, "a"), (9, "a"), (11, "b"), (12, "b")]
    assert result.shortfalls == ()
    assert ("2026-12-08 05:30 sang: a1, first airing; moved from 2026-12-07 (sang) to make room "
            "for b"
            in result.explanations["a", "tk", D(2026, 12, 7)])


def test_overlapping_windows_do_not_double_book():
    overlapping = station(windows=(Window("a", SIX, time(5, 30), time(6)),
                                   Window("b", SIX, time(5, 30), time(5, 35))))
    twice = week(code="d", period="day", min=2, min_gap_days=0, date_to=D(2026, 12, 7))
    result = run([twice], [episode("x")], start=D(2026, 12, 7), end=D(2026, 12, 7),
                 stations=(overlapping,))
    assert rows(result) == [(D(2026, 12, 7), "05:30", "a", "episode", "x")]
    assert result.shortfalls[0].reason == "window b full on 2026-12-07"


def test_a_requirement_gets_one_airing_per_window_and_day():
    thrice = week(code="d", period="day", min=3, min_gap_days=0, date_to=D(2026, 12, 7))
    result = run([thrice], [episode("x")], start=D(2026, 12, 7), end=D(2026, 12, 7))
    assert len(result.entries) == 2
    assert result.shortfalls[0].reason == ("every allowed window left in the period already "
                                           "has an airing of it")


# --- fixed entries -------------------------------------------------------------------------

def test_fixed_entries_before_today_count_and_today_is_the_first_day_planned():
    aired = fixed(D(2026, 12, 8), "05:30", "05:32:30", "w2")
    result = run([tue_thu()], [episode("w2")], [aired], start=D(2026, 12, 7),
                 end=D(2026, 12, 13), today=D(2026, 12, 9))
    assert [(e.day, e.episode, e.first_airing) for e in result.entries] == [
        (D(2026, 12, 10), "w2", False)]
    assert result.shortfalls == ()


def test_a_past_reservation_never_aired_so_does_not_count():
    hole = fixed(D(2026, 12, 8), "05:30", "05:33", None, kind="reservation")
    only_sang = tue_thu(windows=("sang",))
    result = run([only_sang], [episode("w2")], [hole], start=D(2026, 12, 7),
                 end=D(2026, 12, 13), today=D(2026, 12, 9))
    (short,) = result.shortfalls
    assert (short.planned, short.severity) == (1, "error")
    assert short.reason == "every allowed window left in the period already has an airing of it"


def test_a_pinned_future_reservation_counts_as_new_content():
    held = fixed(D(2026, 12, 8), "05:30", "05:33", None, kind="reservation")
    result = run([tue_thu()], [episode("w1", first_aired={"tk": D(2026, 12, 1)})], [held],
                 start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert [(e.day, e.episode, e.first_airing) for e in result.entries] == [
        (D(2026, 12, 10), "w1", False)]


def test_hand_added_airings_over_the_max_are_a_warning():
    manual = [fixed(D(2026, 12, d), "17:00", "17:02:30", "a", key=f"m{d}") for d in (8, 9)]
    result = run([week(code="w", max=1)], [episode("a")], manual, start=D(2026, 12, 7),
                 end=D(2026, 12, 13))
    assert result.entries == ()
    (short,) = result.shortfalls
    assert (short.severity, short.planned, short.reason) == (
        "warning", 2, "2 airings, more than the max of 1")


def test_replays_filling_the_max_leave_no_room_for_new_content():
    replays = [fixed(D(2026, 12, d), "05:30", "05:32:30", "w1", key=f"r{d}") for d in (8, 10)]
    result = run([tue_thu()], [episode("w1", first_aired={"tk": D(2026, 12, 1)})], replays,
                 start=D(2026, 12, 7), end=D(2026, 12, 13))
    (short,) = result.shortfalls
    assert (short.severity, short.planned_new, short.reason) == (
        "error", 0, "the max of 2 is already reached")


def test_fixed_entries_outside_windows_do_not_count_but_keep_their_spacing():
    outside = fixed(D(2026, 12, 7), "12:00", "12:05", "a")
    result = run([week(code="w")], [episode("a"), episode("b")], [outside],
                 start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert [(e.day, e.episode, e.first_airing) for e in result.entries] == [
        (D(2026, 12, 7), "b", True)]


def test_a_bulletin_of_the_series_takes_its_time_but_never_counts():
    # A bulletin airs an episode of the required series on an allowed day, in an allowed
    # window: the requirement still gets both its airings, around it, and w1 stays new.
    news = fixed(D(2026, 12, 8), "05:30", "05:32:30", "w1", kind="bulletin", key="b")
    result = run([tue_thu()], [episode("w1")], [news], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert rows(result) == [(D(2026, 12, 8), "05:32", "sang", "episode", "w1"),
                            (D(2026, 12, 10), "05:30", "sang", "episode", "w1")]
    assert [(e.start, e.first_airing) for e in result.entries] == [(time(5, 32, 30), True),
                                                                   (time(5, 30), False)]
    assert result.shortfalls == ()


def test_a_bulletin_neither_fills_a_max_nor_makes_its_episode_a_replay():
    # Monday's bulletin of w1 is not w1's first airing: Tuesday's is, so the one new
    # episode the week needs is there; nor is the week over its max of 1.
    news = fixed(D(2026, 12, 7), "05:30", "05:32:30", "w1", kind="bulletin", key="b")
    result = run([week(code="w", min=1, max=1, new_episodes=1, days=("TU",))], [episode("w1")],
                 [news], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert [(e.day, e.episode, e.first_airing) for e in result.entries] == [
        (D(2026, 12, 8), "w1", True)]
    assert result.shortfalls == ()


# --- blocks ------------------------------------------------------------------------------

def test_blocks_skip_closed_days_and_yield_to_fixed_entries():
    relay = Block("sang", time(5, 30), "relay", "VOV", None, 300)
    live = Block("chieu", time(17), "live", "Đọc tin", None, 120)
    st = station(closed=[D(2026, 12, 9)], blocks=(relay, live))
    moved = fixed(D(2026, 12, 8), "05:31", "05:40", None, series=None, kind="relay", key="p")
    result = run([], [], [moved], start=D(2026, 12, 7), end=D(2026, 12, 9), stations=(st,))
    assert [(e.day.day, e.kind, e.start) for e in result.entries] == [
        (7, "relay", time(5, 30)), (7, "live", time(17)), (8, "live", time(17))]


# --- the build range and today --------------------------------------------------------------

def test_nothing_is_planned_before_today_and_the_period_is_reported():
    result = run([tue_thu()], [episode("a")], start=D(2026, 12, 7), end=D(2026, 12, 13),
                 today=D(2026, 12, 11))
    assert result.entries == ()
    assert result.shortfalls[0].reason == "no allowed day left in the period"


def test_a_period_without_allowed_days_is_not_short():
    sundays = week(code="su", days=("SU",))
    result = run([sundays], [], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert result.entries == () and result.shortfalls == ()
    assert result.explanations["su", "tk", D(2026, 12, 7)][-1] == "planned 0, new 0"


def test_a_cut_period_without_allowed_days_requires_nothing():
    saturday = week(code="sa", min=2, days=("SA", "SU"), date_from=D(2026, 12, 13))
    result = run([saturday], [], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert result.entries == () and result.shortfalls == ()  # 0 of 1 allowed days


def test_other_stations_and_requirements_are_left_alone():
    elsewhere = week(code="x", stations=("other",))
    stale = week(code="old", date_from=D(2025, 1, 1), date_to=D(2025, 1, 31))
    stray = fixed(D(2026, 12, 8), "05:30", "05:33", "a", station_code="other")
    result = run([elsewhere, stale], [episode("a")], [stray], start=D(2026, 12, 7),
                 end=D(2026, 12, 13))
    assert result == plan([station()], [], [], [], D(2026, 12, 7), D(2026, 12, 13),
                          today=D(2026, 12, 7))


# --- validation ------------------------------------------------------------------------------

@pytest.mark.parametrize(("arguments", "options", "message"), [
    ((D(2026, 12, 8), D(2026, 12, 7)), {}, "before start"),
    ((D(2026, 12, 7), D(2026, 12, 8)), {"reservation_s": 0}, "reservation_s"),
])
def test_plan_validation(arguments, options, message):
    with pytest.raises(ValueError, match=message):
        plan([station()], [], [], [], *arguments, today=D(2026, 12, 7), **options)


@pytest.mark.parametrize(("stations", "requirements", "episodes", "message"), [
    ([station(), station()], [], [], "station codes"),
    ([station()], [week(), week()], [], "requirement codes"),
    ([station()], [], [episode("a"), episode("a")], "episode keys"),
])
def test_codes_and_keys_must_be_unique(stations, requirements, episodes, message):
    with pytest.raises(ValueError, match=f"{message} must be unique"):
        plan(stations, requirements, episodes, [], D(2026, 12, 7), D(2026, 12, 7),
             today=D(2026, 12, 7))


def test_episode_and_fixed_entry_validation():
    with pytest.raises(ValueError, match="duration must be positive"):
        EpisodeInput("e", "cds", "t", 0, None, None)
    with pytest.raises(ValueError, match="not after start"):
        FixedEntry("tk", D(2026, 12, 7), time(6), time(6), "episode", "cds", "e", None, "k")


def test_records_are_hashable_values():
    assert hash(episode("a", first_aired={"tk": D(2026, 1, 1)})) == hash(episode("a"))
    assert SANG.is_open_on(D(2026, 12, 7))


def test_a_move_that_frees_nothing_is_undone():
    crowded = station(windows=(ONE_ITEM,))
    first = week(code="a", series="a", days=("MO", "TU"))
    second = week(code="b", series="b", min=2, days=("MO", "TU"))
    result = run([first, second], [], start=D(2026, 12, 7), end=D(2026, 12, 13),
                 stations=(crowded,))
    assert [(e.day.day, e.requirement) for e in result.entries] == [(7, "a"), (8, "b")]
    assert [(s.requirement, s.severity, s.reason) for s in result.shortfalls] == [
        ("a", "warning", "1 of 1 airings are reservations: no episode of a"),
        ("b", "error", "window sang full on 2026-12-07")]


def test_a_build_inside_the_range_plans_whole_periods_and_reports_those_it_touches():
    weekly_one = requirement(code="w", series="w", date_from=D(2026, 11, 2),
                             date_to=D(2026, 12, 31))
    monthly_one = requirement(code="m", series="m", period="month", date_from=D(2026, 11, 2),
                              date_to=D(2026, 12, 31))
    result = run([weekly_one, monthly_one], [], start=D(2026, 12, 7), end=D(2026, 12, 8))
    assert sorted({k[2] for k in result.explanations}) == [D(2026, 12, 1), D(2026, 12, 7)]
    assert [(e.day, e.requirement) for e in result.entries] == [
        (D(2026, 12, 7), "m"), (D(2026, 12, 7), "w")]


def test_several_picks_at_once_still_respect_another_requirements_max():
    both = ("MO", "SA")
    twice = week(code="r0", min=2, min_gap_days=0, days=both)
    at_most_once = week(code="r1", min=0, max=1, days=both)
    result = run([twice, at_most_once], [episode("a")], start=D(2026, 12, 7),
                 end=D(2026, 12, 13))
    assert [(e.day, e.counts_for) for e in result.entries] == [(D(2026, 12, 7), ("r0", "r1"))]
    (short,) = result.shortfalls
    assert (short.requirement, short.severity, short.reason) == (
        "r0", "error", "more airings would pass the max of r1")


def test_a_slot_moves_into_a_cell_a_max_kept_closed_so_both_share_it():
    once_a_week = week(code="q1", max=1, days=("MO", "SU"), priority="priority")
    sunday = week(code="q0", period="day", days=("MO", "SU"), date_from=D(2026, 12, 8))
    daily = station(windows=(Window("sang", ("MO", "SU"), time(5, 30), time(6)),))
    result = run([sunday, once_a_week], [episode("a")], start=D(2026, 12, 7),
                 end=D(2026, 12, 13), stations=(daily,))
    assert [(e.day, e.requirement, e.counts_for) for e in result.entries] == [
        (D(2026, 12, 13), "q1", ("q0", "q1"))]
    assert result.shortfalls == ()
    assert ("2026-12-13 05:30 sang: a, first airing; placed for q1; moved from 2026-12-07 "
            "(sang) to be shared with q0") in result.explanations["q0", "tk", D(2026, 12, 13)]


def test_no_move_helps_when_every_cell_is_the_first_requirements_own():
    crowded = station(windows=(ONE_ITEM,))
    first = week(code="a", series="a", min=2, days=("MO", "TU"))
    second = week(code="b", series="b", days=("MO", "TU"))
    result = run([first, second], [], start=D(2026, 12, 7), end=D(2026, 12, 13),
                 stations=(crowded,))
    assert [(e.day.day, e.requirement) for e in result.entries] == [(7, "a"), (8, "a")]
    assert result.shortfalls[-1].reason == "window sang full on 2026-12-07, 2026-12-08"


def test_a_fixed_airing_holding_a_max_cannot_be_moved():
    once_a_week = week(code="q1", max=1, days=("MO", "SU"))
    sunday = week(code="q0", period="day", days=("MO", "SU"), date_from=D(2026, 12, 8))
    daily = station(windows=(Window("sang", ("MO", "SU"), time(5, 30), time(6)),))
    monday = fixed(D(2026, 12, 7), "05:30", "05:32:30", "a")
    result = run([sunday, once_a_week], [episode("a")], [monday], start=D(2026, 12, 7),
                 end=D(2026, 12, 13), stations=(daily,))
    assert result.entries == ()
    assert [(s.requirement, s.reason) for s in result.shortfalls] == [
        ("q0", "more airings would pass the max of q1")]


def test_a_slot_is_not_pulled_away_from_a_requirement_it_serves():
    mondays = week(code="a-mon", days=("MO",))
    once_a_week = week(code="b-week", max=1, days=("MO", "SU"))
    sunday = week(code="c-sun", period="day", days=("SU",), date_from=D(2026, 12, 8))
    daily = station(windows=(Window("sang", ("MO", "SU"), time(5, 30), time(6)),))
    result = run([sunday, once_a_week, mondays], [episode("a")], start=D(2026, 12, 7),
                 end=D(2026, 12, 13), stations=(daily,))
    assert [(e.day, e.counts_for) for e in result.entries] == [
        (D(2026, 12, 7), ("a-mon", "b-week"))]
    assert [(s.requirement, s.reason) for s in result.shortfalls] == [
        ("c-sun", "more airings would pass the max of b-week")]


def test_one_pulled_slot_covers_one_airing_only():
    two_windows = (Window("sang", ("MO", "SU"), time(5, 30), time(6)),
                   Window("chieu", ("MO", "SU"), time(17), time(17, 30)))
    once_a_week = week(code="q1", max=1, days=("MO", "SU"), priority="priority")
    sunday = week(code="q0", period="day", min=2, min_gap_days=0, days=("SU",),
                  date_from=D(2026, 12, 8))
    result = run([sunday, once_a_week], [episode("a")], start=D(2026, 12, 7),
                 end=D(2026, 12, 13), stations=(station(windows=two_windows),))
    assert [(e.day, e.window, e.counts_for) for e in result.entries] == [
        (D(2026, 12, 13), "sang", ("q0", "q1"))]
    (short,) = result.shortfalls
    assert (short.requirement, short.planned, short.reason) == (
        "q0", 1, "more airings would pass the max of q1")
