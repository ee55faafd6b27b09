"""The planner against its own earlier answers, on a few hundred random instances.

Speed work on the planner must not change a single entry, shortfall, need or line of
explanation. Each instance is drawn from a seeded ``random.Random`` (not hypothesis, whose
draws change between versions), planned with explanations, and its whole result's ``repr``
hashed; ``data/planner_digests.json`` holds the hashes the planner gave when they were
written. A change of behaviour on purpose rewrites them:

    python tests/schedules/test_planner_differential.py --write
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from schedules.periods import Block, RequirementInput, StationInput, Window
from schedules.planner import EpisodeInput, FixedEntry, plan

DIGESTS = Path(__file__).with_name("data") / "planner_digests.json"
INSTANCES = 300
MONDAY = date(2026, 12, 7)
WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SERIES = ("a", "b", "c")


def _weekdays(rnd: random.Random) -> tuple[str, ...]:
    return tuple(d for d in WEEK if rnd.random() < 0.7 or d == "MO")


def _day(rnd: random.Random, low: int, high: int) -> date:
    return MONDAY + timedelta(days=rnd.randint(low, high))


def _station(rnd: random.Random, code: str, days: int) -> StationInput:
    """One to three windows, short enough that they fill up, maybe seasonal, maybe with a relay."""
    windows, blocks = [], []
    for name, hour in (("w", 5), ("x", 11), ("y", 17))[:rnd.randint(1, 3)]:
        minutes = rnd.choice([4, 7, 10, 15, 30])
        seasonal = rnd.random() < 0.15
        windows.append(Window(name, _weekdays(rnd), time(hour, 0), time(hour, minutes),
                              _day(rnd, 0, days // 2) if seasonal else None,
                              _day(rnd, days // 2, days) if seasonal else None))
        if rnd.random() < 0.3:
            blocks.append(Block(name, time(hour, 0), rnd.choice(["relay", "live"]), "VOV", None,
                                rnd.choice([60, 120, 180])))
    closed = frozenset(_day(rnd, 0, days) for _ in range(rnd.randint(0, 3)))
    return StationInput(code, tuple(windows), closed, tuple(blocks))


def _requirement(rnd: random.Random, code: str, stations: list[str], days: int) -> RequirementInput:
    period = rnd.choice(["day", "week", "week", "month", "quarter", "campaign"])
    low = rnd.randint(0, 4)
    first = _day(rnd, -10, days // 2)
    duration_min = rnd.choice([None, None, None, 30, 90])
    duration_max = rnd.choice([None, None, 120, 180, 240])
    if duration_min is not None and duration_max is not None and duration_min > duration_max:
        duration_min = None
    return RequirementInput(
        code=code, series=rnd.choice(SERIES), stations=tuple(rnd.sample(stations, rnd.randint(1, len(stations)))),
        period=period, min=low, max=rnd.choice([None, low, low + 1, low + 3]),
        new_episodes=rnd.randint(0, low), days=_weekdays(rnd),
        windows=tuple(rnd.sample(["w", "x", "y"], rnd.randint(1, 2))) if rnd.random() < 0.3 else (),
        duration_min=duration_min, duration_max=duration_max, min_gap_days=rnd.randint(0, 4),
        date_from=first, date_to=_day(rnd, (first - MONDAY).days, days + 10),
        priority=rnd.choice(["normal", "normal", "priority"]))


def _episode(rnd: random.Random, i: int, stations: list[str], days: int) -> EpisodeInput:
    history = {code: _day(rnd, -20, -1) for code in stations if rnd.random() < 0.15}
    return EpisodeInput(
        f"e{i:02d}", rnd.choice(SERIES), f"E{i}", rnd.choice([None, 45, 60, 110.5, 150, 180, 200, 240]),
        _day(rnd, -5, days) if rnd.random() < 0.5 else None,
        _day(rnd, 0, days + 5) if rnd.random() < 0.3 else None, history)


def _fixed(rnd: random.Random, i: int, station: StationInput, days: int) -> FixedEntry:
    window = rnd.choice(station.windows)
    start = window.start.hour * 3600 + window.start.minute * 60 + rnd.choice([0, 30, 120, 200])
    length = rnd.choice([45, 90, 150.5])
    end = start + length
    return FixedEntry(station.code, _day(rnd, -5, days), _clock(start), _clock(end),
                      rnd.choice(["episode", "episode", "reservation", "bulletin"]), rnd.choice(SERIES),
                      rnd.choice([None, "e00", "e01", "e05"]), None, f"f{i:02d}")


def _clock(seconds: float) -> time:
    whole = int(seconds)
    return time(whole // 3600, whole % 3600 // 60, whole % 60, round((seconds - whole) * 1e6))


def instance(seed: int) -> dict:
    """Instance ``seed``: one to three stations over one to ten weeks, several requirements
    that share series (so slots are shared, moved and capped), episodes, fixed entries."""
    rnd = random.Random(seed)
    days = rnd.choice([6, 13, 27, 69])
    codes = [f"s{k}" for k in range(rnd.randint(1, 3))]
    stations = [_station(rnd, code, days) for code in codes]
    requirements = [_requirement(rnd, f"r{k}", codes, days) for k in range(rnd.randint(1, 7))]
    episodes = [_episode(rnd, k, codes, days) for k in range(rnd.randint(0, 10))]
    fixed = [_fixed(rnd, k, rnd.choice(stations), days) for k in range(rnd.randint(0, 6))]
    fixed = [f for f in fixed if f.end > f.start]
    return {"stations": stations, "requirements": requirements, "episodes": episodes, "fixed": fixed,
            "start": MONDAY, "end": MONDAY + timedelta(days=days),
            "today": MONDAY + timedelta(days=rnd.choice([0, 0, 0, 3])),
            "reservation_s": rnd.choice([120, 180, 300])}


def digest(seed: int) -> str:
    """The hash of everything the planner answers for instance ``seed``."""
    i = instance(seed)
    result = plan(i["stations"], i["requirements"], i["episodes"], i["fixed"], i["start"], i["end"],
                  today=i["today"], reservation_s=i["reservation_s"], series_titles={"a": "Series A"})
    return hashlib.sha256(repr(result).encode()).hexdigest()[:16]


def test_the_planner_answers_as_it_did_on_every_instance():
    expected = json.loads(DIGESTS.read_text())
    assert len(expected) == INSTANCES
    changed = [seed for seed in range(INSTANCES) if digest(seed) != expected[seed]]
    assert changed == []


@pytest.mark.parametrize("seed", [0, 1])
def test_an_instance_is_the_same_every_time_it_is_drawn(seed):
    assert repr(instance(seed)) == repr(instance(seed))


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    DIGESTS.write_text(json.dumps([digest(seed) for seed in range(INSTANCES)], indent=0) + "\n")
