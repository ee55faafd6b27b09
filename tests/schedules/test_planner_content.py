"""Which episode airs: fresh content, replays, availability, spacing, reservations, needs."""

from __future__ import annotations

from datetime import date as D
from datetime import time

from planner_kit import episode, fixed, requirement, rows, run

from schedules.planner import EpisodeInput

TITLES = {"cds": "Chuyên mục Chuyển đổi số"}


def tue_thu(**fields):
    base = {"code": "tk", "min": 2, "max": 2, "new_episodes": 1, "days": ("TU", "TH"),
            "date_from": D(2026, 12, 7), "date_to": D(2026, 12, 13)}
    return requirement(**(base | fields))


def monthly_four(**fields):
    base = {"code": "bs", "period": "month", "min": 4, "max": 4, "new_episodes": 1,
            "min_gap_days": 5, "date_from": D(2026, 6, 1), "date_to": D(2026, 6, 30)}
    return requirement(**(base | fields))


def june(episodes, **options):
    return run([monthly_four()], episodes, start=D(2026, 6, 1), end=D(2026, 6, 30), **options)


def test_this_weeks_episode_from_wednesday_so_tuesday_replays_last_weeks():
    last_week = episode("w1", available_from=D(2026, 11, 30), first_aired={"tk": D(2026, 12, 1)})
    this_week = episode("w2", available_from=D(2026, 12, 9))
    result = run([tue_thu()], [last_week, this_week], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert [(e.day, e.episode, e.first_airing) for e in result.entries] == [
        (D(2026, 12, 8), "w1", False), (D(2026, 12, 10), "w2", True)]
    assert result.shortfalls == ()


def test_without_a_later_chance_tuesday_reserves_the_new_episode():
    last_week = episode("w1", available_from=D(2026, 11, 30), first_aired={"tk": D(2026, 12, 1)})
    result = run([tue_thu()], [last_week, episode("w2", available_from=D(2026, 12, 11))],
                 start=D(2026, 12, 7), end=D(2026, 12, 13), series_titles=TITLES)
    assert rows(result) == [
        (D(2026, 12, 8), "05:30", "sang", "reservation", None),
        (D(2026, 12, 10), "05:30", "sang", "reservation", None)]
    assert [e.first_airing for e in result.entries] == [True, False]
    assert result.entries[0].title == "Reserved for Chuyên mục Chuyển đổi số"
    assert [n.message for n in result.needs] == [
        "needs a new episode of Chuyên mục Chuyển đổi số by 2026-12-08"]
    (short,) = result.shortfalls
    assert short.severity == "warning"
    assert short.reason == ("2 of 2 airings are reservations: w1 has aired here already and "
                            "new content is due; w2 is available from 2026-12-11")


def test_adding_the_missing_episode_only_fills_the_reservations():
    before = run([tue_thu()], [], start=D(2026, 12, 7), end=D(2026, 12, 13))
    after = run([tue_thu()], [episode("w2", 150)], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert [(e.day, e.start, e.kind) for e in before.entries] == [
        (D(2026, 12, 8), time(5, 30), "reservation"), (D(2026, 12, 10), time(5, 30), "reservation")]
    assert [(e.day, e.start, e.episode) for e in after.entries] == [
        (D(2026, 12, 8), time(5, 30), "w2"), (D(2026, 12, 10), time(5, 30), "w2")]
    assert before.shortfalls[0].reason == "2 of 2 airings are reservations: no episode of cds"
    assert after.needs == () and after.shortfalls == ()


def test_expiry_mid_month_without_other_content_reserves_the_rest():
    result = june([episode("jun", 600, D(2026, 6, 1), D(2026, 6, 12))])
    assert rows(result) == [
        (D(2026, 6, 1), "05:30", "sang", "episode", "jun"),
        (D(2026, 6, 8), "05:30", "sang", "episode", "jun"),
        (D(2026, 6, 15), "05:30", "sang", "reservation", None),
        (D(2026, 6, 22), "05:30", "sang", "reservation", None)]
    assert [(n.by, n.message) for n in result.needs] == [
        (D(2026, 6, 15), "needs a new episode of cds by 2026-06-15")]
    assert result.shortfalls[0].reason == ("2 of 4 airings are reservations: "
                                           "jun expired on 2026-06-12")


def test_expiry_mid_month_falls_back_on_an_older_episode():
    may = episode("may", 600, D(2026, 5, 1), first_aired={"tk": D(2026, 5, 4)})
    result = june([episode("jun", 600, D(2026, 6, 1), D(2026, 6, 12)), may])
    assert [(e.day.day, e.episode) for e in result.entries] == [
        (1, "jun"), (8, "jun"), (15, "may"), (22, "may")]
    assert result.shortfalls == ()


def test_replays_keep_their_spacing_or_become_reservations():
    close = requirement(code="c", period="week", min=3, max=3, new_episodes=1, min_gap_days=3,
                        days=("MO", "TU", "WE"), date_from=D(2026, 12, 7), date_to=D(2026, 12, 13))
    result = run([close], [episode("a")], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert rows(result) == [
        (D(2026, 12, 7), "05:30", "sang", "episode", "a"),
        (D(2026, 12, 8), "05:30", "sang", "reservation", None),
        (D(2026, 12, 9), "05:30", "sang", "reservation", None)]
    assert result.shortfalls[0].reason == (
        "2 of 3 airings are reservations: a airs here on 2026-12-07, less than 3 days away")
    assert [n.by for n in result.needs] == [D(2026, 12, 8), D(2026, 12, 9)]


def test_episodes_too_long_or_without_audio_are_never_planned():
    short = requirement(code="s", duration_max=180, date_from=D(2026, 12, 7),
                        date_to=D(2026, 12, 13))
    too_long = run([short], [episode("long", 240)], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert too_long.shortfalls[0].reason == ("1 of 1 airings are reservations: "
                                             "no episode short enough (max 180 s)")
    assert too_long.entries[0].end == time(5, 33)  # the reservation holds duration.max
    mixed = run([short], [episode("long", 240), episode("silent", None)],
                start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert mixed.shortfalls[0].reason == ("1 of 1 airings are reservations: long is too long "
                                          "(240 s); silent has no audio yet")


def test_episodes_too_short_for_the_duration_min():
    long_only = requirement(code="l", duration_min=120, date_from=D(2026, 12, 7),
                            date_to=D(2026, 12, 13))
    result = run([long_only], [episode("tiny", 30)], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert result.shortfalls[0].reason == ("1 of 1 airings are reservations: "
                                           "no episode long enough (min 120 s)")


def test_reasons_list_at_most_three_episodes():
    every_day = requirement(code="e", new_episodes=1, date_from=D(2026, 12, 7),
                            date_to=D(2026, 12, 13))
    later = [episode(f"x{i}", available_from=D(2027, 1, i)) for i in range(1, 6)]
    result = run([every_day], later, start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert result.shortfalls[0].reason.endswith(
        "x3 is available from 2027-01-03; and 2 more")


def test_an_episode_pinned_later_is_not_aired_before_its_first_airing():
    pinned = fixed(D(2026, 12, 12), "17:00", "17:02:30", "a")
    weekly_one = requirement(code="w", date_from=D(2026, 12, 7), date_to=D(2026, 12, 20))
    result = run([weekly_one], [episode("a")], [pinned], start=D(2026, 12, 7),
                 end=D(2026, 12, 20))
    # the pinned Saturday airing counts for its week; the next week replays it, a week on
    assert [(e.day, e.episode, e.first_airing) for e in result.entries] == [
        (D(2026, 12, 19), "a", False)]
    assert "2026-12-12 17:00 chieu: a, first airing, fixed" in result.explanations[
        "w", "tk", D(2026, 12, 7)]


def test_an_unusable_pinned_episode_is_explained():
    pinned = fixed(D(2026, 12, 12), "17:00", "17:02:30", "a")
    daily = requirement(code="d", period="day", min=1, date_from=D(2026, 12, 8),
                        date_to=D(2026, 12, 8))
    result = run([daily], [episode("a")], [pinned], start=D(2026, 12, 8), end=D(2026, 12, 8))
    assert result.shortfalls[0].reason == ("1 of 1 airings are reservations: "
                                           "a first airs here on 2026-12-12")


def test_history_makes_a_replay_not_a_first_airing():
    aired = episode("a", first_aired={"tk": D(2026, 11, 2)})
    fresh = requirement(code="f", new_episodes=1, date_from=D(2026, 12, 7),
                        date_to=D(2026, 12, 13))
    result = run([fresh], [aired], start=D(2026, 12, 7), end=D(2026, 12, 13), series_titles=TITLES)
    assert result.entries[0].kind == "reservation"
    assert result.shortfalls[0].reason == ("1 of 1 airings are reservations: every episode of "
                                           "Chuyên mục Chuyển đổi số has aired here already")


def test_unaired_episodes_go_out_in_the_order_they_became_available():
    fresh = requirement(code="f", new_episodes=1, date_from=D(2026, 12, 7),
                        date_to=D(2026, 12, 20))
    queue = [episode("z", available_from=D(2026, 11, 1)), episode("b", expires=D(2027, 1, 1)),
             episode("a", expires=D(2027, 2, 1))]
    result = run([fresh], queue, start=D(2026, 12, 7), end=D(2026, 12, 20))
    assert [e.episode for e in result.entries] == ["b", "a"]


def test_a_series_without_fresh_quota_rotates_through_its_reservations_too():
    slogans = requirement(code="sd", series="kh", period="day", min=2, min_gap_days=0,
                          date_from=D(2022, 10, 3), date_to=D(2022, 10, 4))
    result = run([slogans], [], start=D(2022, 10, 3), end=D(2022, 10, 4))
    assert [(e.kind, e.first_airing) for e in result.entries] == [
        ("reservation", True), ("reservation", False), ("reservation", False),
        ("reservation", False)]
    assert [n.by for n in result.needs] == [D(2022, 10, 3)]


def test_an_episode_not_meant_for_the_requirements_never_fills_their_slots():
    """A one-off notice filed in the series (not for_requirements) is neither new content nor a
    replay: the week's item airs, and a reservation waits rather than the notice."""
    week = episode("w1", available_from=D(2026, 12, 7))
    notice = EpisodeInput("notice", "cds", "Tiêm phòng dại", 150, D(2026, 12, 1), None, {}, for_requirements=False)
    result = run([tue_thu()], [week, notice], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert [e.episode for e in result.entries] == ["w1", "w1"]
    alone = run([tue_thu()], [notice], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert [e.kind for e in alone.entries] == ["reservation", "reservation"]


def test_a_notice_aired_by_hand_stays_where_it_is_and_counts_as_busy_time():
    notice = EpisodeInput("notice", "cds", "Tiêm phòng dại", 150, D(2026, 12, 1), None, {}, for_requirements=False)
    by_hand = fixed(D(2026, 12, 8), "05:30", "05:32:30", "notice", kind="episode")
    result = run([tue_thu()], [notice, episode("w1", available_from=D(2026, 12, 7))], [by_hand], start=D(2026, 12, 7), end=D(2026, 12, 13))
    assert all(e.episode != "notice" for e in result.entries)
    assert all(not (e.day == D(2026, 12, 8) and e.start < time(5, 32, 30)) for e in result.entries)
