"""Properties of the planner on small random instances (hypothesis, modest example counts).

Every run goes through ``planner_kit.run``, whose checker asserts the hard rules: no
overlap, inside open windows, availability, spacing, never above max without a warning,
never below min or new without an error. On top: determinism, independence of
stations, slots independent of episodes, and "quotas met whenever a feasible schedule
exists" against a brute-force search.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, time, timedelta
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planner_kit import check, requirement, run

from schedules.periods import (
    Block,
    StationInput,
    Window,
    days_between,
    is_allowed_day,
    periods_of,
    quota,
    seconds,
)
from schedules.planner import EpisodeInput, FixedEntry, plan

MONDAY = date(2026, 12, 7)
WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _days(low: int, high: int) -> st.SearchStrategy[date]:
    """Dates ``low``..``high`` days after MONDAY."""
    return st.integers(low, high).map(lambda n: MONDAY + timedelta(days=n))


def _weekdays(draw) -> tuple[str, ...]:
    return tuple(d for d in WEEK if draw(st.booleans()) or d == "MO")


@st.composite
def stations(draw, code: str = "s", windows: int = 2) -> StationInput:
    """A station with a morning window ``w`` and maybe an evening one ``x``, each maybe
    opening with a relay, and maybe closed a day or two."""
    found, blocks = [], []
    for name, hour in (("w", 5), ("x", 17))[:draw(st.integers(1, windows))]:
        minutes = draw(st.sampled_from([5, 7, 10, 15]))
        found.append(Window(name, _weekdays(draw), time(hour, 30), time(hour, 30 + minutes)))
        block = draw(st.sampled_from([0, 0, 120, 300]))
        blocks += [Block(name, time(hour, 30), "relay", "VOV", None, block)] if block else []
    closed = frozenset(draw(st.lists(_days(0, 13), max_size=2)))
    return StationInput(code, tuple(found), closed, tuple(blocks))


@st.composite
def requirements(draw, end: date, covered=("s",), bounded: bool = True) -> list:
    """One or two requirements on series ``a``/``b``, inside MONDAY..``end``."""
    found = []
    for i in range(draw(st.integers(1, 2))):
        period = draw(st.sampled_from(["day", "week", "week", "campaign"]
                                      + (["month"] if bounded else [])))
        low = draw(st.integers(0, 3))
        first = MONDAY if period == "week" else draw(_days(0, (end - MONDAY).days))
        found.append(requirement(
            code=f"r{i}", series=draw(st.sampled_from(["a", "b"])), stations=covered,
            period=period, min=low, max=draw(st.one_of(st.none(), st.integers(low, low + 2))),
            new_episodes=draw(st.integers(0, low)), days=_weekdays(draw),
            min_gap_days=draw(st.integers(0, 3)),
            duration_max=draw(st.sampled_from([None, None, 120, 240])) if bounded else None,
            date_from=first,
            date_to=end if period == "week" else draw(_days((first - MONDAY).days,
                                                            (end - MONDAY).days)),
            priority=draw(st.sampled_from(["normal", "priority"]))))
    return found


@st.composite
def episodes(draw, longest: int = 240) -> list:
    """Up to four episodes, some without audio, some with limited availability or history."""
    return [EpisodeInput(
        f"e{i}", draw(st.sampled_from(["a", "b"])), f"E{i}",
        draw(st.sampled_from([None, 60, 120, 150.5, 180, longest])),
        draw(st.one_of(st.none(), _days(-3, 10))), draw(st.one_of(st.none(), _days(0, 13))),
        draw(st.sampled_from([{}, {"s": MONDAY - timedelta(days=2)}])))
        for i in range(draw(st.integers(0, 4)))]


@st.composite
def fixed_entries(draw, code: str = "s") -> list:
    """At most one fixed entry a day, some before the build, some reservations, some
    bulletins (of the series: they must never count)."""
    offsets = sorted(set(draw(st.lists(st.integers(-3, 13), max_size=3))))
    return [FixedEntry(code, MONDAY + timedelta(days=n), time(5, 34), time(5, 36),
                       draw(st.sampled_from(["episode", "reservation", "bulletin"])), "a",
                       draw(st.sampled_from(["e0", None])), None, f"f{i}")
            for i, n in enumerate(offsets)]


@st.composite
def instances(draw, bounded: bool = True) -> dict:
    """One station over one or two weeks from MONDAY; ``bounded=False`` keeps what the
    brute force models: one window, no duration bounds or fixed entries, episodes no
    longer than the 180 s reserved, planning from the first day."""
    end = MONDAY + timedelta(days=draw(st.sampled_from([6, 13])))
    return {"stations": (draw(stations(windows=2 if bounded else 1)),),
            "requirements": draw(requirements(end, bounded=bounded)),
            "episodes": draw(episodes(240 if bounded else 180)),
            "fixed": draw(fixed_entries()) if bounded else [],
            "start": MONDAY, "end": end,
            "today": MONDAY + timedelta(days=draw(st.sampled_from([0, 0, 2]) if bounded
                                                  else st.just(0)))}


def _plan(instance: dict, shuffle: random.Random | None = None):
    parts = [list(instance[k]) for k in ("stations", "requirements", "episodes", "fixed")]
    if shuffle is not None:
        for part in parts:
            shuffle.shuffle(part)
    return plan(*parts, instance["start"], instance["end"], today=instance["today"])


# --- hard rules and determinism -----------------------------------------------------------

@SETTINGS
@given(instances())
def test_hard_rules_hold_on_random_instances(instance):
    result = _plan(instance)
    check(result, instance["stations"], instance["requirements"], instance["episodes"],
          instance["fixed"], instance["start"], instance["end"], instance["today"])


@SETTINGS
@given(instances(), st.randoms(use_true_random=False))
def test_same_inputs_in_any_order_give_the_same_plan(instance, rnd):
    assert _plan(instance) == _plan(instance, rnd)


@SETTINGS
@given(instances())
def test_leaving_out_explanations_changes_nothing_else(instance):
    full = _plan(instance)
    parts = [instance[k] for k in ("stations", "requirements", "episodes", "fixed")]
    quiet = plan(*parts, instance["start"], instance["end"], today=instance["today"], explain=False)
    assert quiet.explanations == {} and full.explanations
    assert (quiet.entries, quiet.shortfalls, quiet.needs) == (full.entries, full.shortfalls, full.needs)


# --- independence ---------------------------------------------------------------------------

def _station_part(result, code: str):
    return ([e for e in result.entries if e.station == code],
            [s for s in result.shortfalls if s.station == code],
            [n for n in result.needs if n.station == code],
            {k: v for k, v in result.explanations.items() if k[1] == code})


@SETTINGS
@given(st.data())
def test_a_change_at_one_station_leaves_the_others_alone(data):
    end = MONDAY + timedelta(days=13)
    here, there, changed = (data.draw(stations(code)) for code in ("here", "there", "there"))
    reqs = data.draw(requirements(end, ("here", "there")))
    eps = data.draw(episodes())
    moved = data.draw(fixed_entries("there"))
    before = plan([here, there], reqs, eps, [], MONDAY, end, today=MONDAY)
    after = plan([changed, here], reqs, eps, moved, MONDAY, end, today=MONDAY)
    assert _station_part(before, "here") == _station_part(after, "here")


@SETTINGS
@given(instances(), st.integers(0, 13), st.sampled_from([60, 150, 180]), st.sampled_from("ab"))
def test_adding_an_episode_never_moves_a_slot(instance, offset, duration, series):
    extra = EpisodeInput("new", series, "New", duration, MONDAY + timedelta(days=offset), None)
    slots = [(e.day, e.start, e.window, e.requirement) for e in _plan(instance).entries]
    grown = _plan(instance | {"episodes": [*instance["episodes"], extra]})
    assert [(e.day, e.start, e.window, e.requirement) for e in grown.entries] == slots


# --- quotas met whenever possible -------------------------------------------------------------

def _feasible(instance: dict) -> bool:
    """Whether some schedule meets every quota without passing any max: each open day airs
    a set of series, once each, that fits the window (180 s reserved each; content can
    always be a new episode, so new_episodes follow from the counts)."""
    (station,) = instance["stations"]
    window = station.window("w")
    room = seconds(window.end) - seconds(window.start) - sum(b.duration_s for b in station.blocks)
    keys = [(r, p) for r in instance["requirements"] for p in periods_of(r)]
    need = [max(q.required_min, q.required_new) for q in (quota(r, station, *p) for r, p in keys)]
    days = days_between(instance["start"], instance["end"])
    choices = [set(c) for c in ((), ("a",), ("b",), ("a", "b")) if 180 * len(c) <= room]

    def add(counts: tuple, day: date, series: set) -> tuple:
        return tuple(c + (r.series in series and p[0] <= day <= p[1]
                          and is_allowed_day(r, station, day))
                     for (r, p), c in zip(keys, counts))

    def fine(counts: tuple, day: date) -> bool:
        return all((r.max is None or c <= r.max) and (p[1] != day or c >= n)
                   for (r, p), c, n in zip(keys, counts, need))

    @cache
    def search(index: int, counts: tuple) -> bool:
        if index == len(days):
            return True  # every period ends inside the build and was checked on its last day
        day = days[index]
        on_air = window.is_open_on(day) and day not in station.closed
        return any(fine(new := add(counts, day, choice), day) and search(index + 1, new)
                   for choice in (choices if on_air else choices[:1]))
    return search(0, tuple(0 for _ in keys))


@SETTINGS
@given(instances(bounded=False))
def test_quotas_are_met_whenever_a_feasible_schedule_exists(instance):
    result = run(instance["requirements"], instance["episodes"], [], start=instance["start"],
                 end=instance["end"], stations=instance["stations"])
    if _feasible(instance):
        assert [s for s in result.shortfalls if s.severity == "error"] == []


def test_the_brute_force_sees_an_impossible_instance():
    st_ = StationInput("s", (Window("w", WEEK, time(5, 30), time(5, 33)),))
    both = [requirement(code=c, series=c, stations=("s",), min=4, days=("MO", "TU", "WE"),
                        date_from=MONDAY, date_to=MONDAY + timedelta(days=6)) for c in "ab"]
    instance = {"stations": (st_,), "requirements": both, "episodes": [], "fixed": [],
                "start": MONDAY, "end": MONDAY + timedelta(days=6), "today": MONDAY}
    assert not _feasible(instance)
    assert _feasible(instance | {"requirements": [replace(both[0], min=2), replace(both[1], min=1)]})
