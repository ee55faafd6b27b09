"""The planner's reasons as codes and values (for the web pages) beside its English: the same
things said, each a message of reasons.MESSAGES filled by its own values."""

from __future__ import annotations

from datetime import date as D
from datetime import time

from planner_kit import SIX, episode, requirement, run, station

from schedules.periods import Window
from schedules.planner.reasons import MESSAGES, english

ONE_ITEM = Window("sang", SIX, time(5, 30), time(5, 33))


def week(**fields):
    return requirement(**({"date_from": D(2026, 12, 7), "date_to": D(2026, 12, 13)} | fields))


def said(reasons):
    return [(r.code, dict(r.values)) for r in reasons]


def filled(reasons):
    return [MESSAGES[r.code] % dict(r.values) for r in reasons]


def test_no_allowed_day_left():
    result = run([week(code="tk", min=2, days=("TU", "TH"))], [episode("a")], start=D(2026, 12, 7),
                 end=D(2026, 12, 13), today=D(2026, 12, 11))
    (short,) = result.shortfalls
    assert said(short.reasons) == [("no_allowed_day", {})] and short.reason == english(short.reasons)


def test_a_full_window_names_three_days_and_how_many_more():
    crowded = station(windows=(ONE_ITEM,))
    urgent = week(code="z-urgent", series="u", min=6, priority="priority")
    usual = week(code="a-usual", series="n", min=1)
    result = run([usual, urgent], [episode("u1", series="u"), episode("n1", series="n")],
                 start=D(2026, 12, 7), end=D(2026, 12, 13), stations=(crowded,))
    (short,) = result.shortfalls
    assert said(short.reasons) == [("window_full_more", {"window": "sang", "more": 3,
                                                         "dates": (D(2026, 12, 7), D(2026, 12, 8), D(2026, 12, 9))})]
    assert short.reason == english(short.reasons) and filled(short.reasons)


def test_reservations_say_why_by_the_episodes_titles_and_needs_say_by_when():
    short = requirement(code="s", duration_max=180, date_from=D(2026, 12, 7), date_to=D(2026, 12, 13))
    mixed = run([short], [episode("long", 240), episode("silent", None)], start=D(2026, 12, 7), end=D(2026, 12, 13))
    (warning,) = mixed.shortfalls
    assert said(warning.reasons) == [("reservations", {"held": 1, "planned": 1}),
                                     ("too_long", {"episode": "Title long", "seconds": 240}),
                                     ("no_audio", {"episode": "Title silent"})]
    assert warning.reason == "1 of 1 airings are reservations: long is too long (240 s); silent has no audio yet"
    assert all("%(" not in text for text in filled(warning.reasons))
    (need,) = mixed.needs
    assert said([need.reason]) == [("new_episode_needed", {"series": "cds", "date": D(2026, 12, 7)})]
    assert need.reason.text == need.message
