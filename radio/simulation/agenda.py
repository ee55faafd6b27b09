"""What happens in the season, and when: the season's incidents (drawn once from the seed)
and each day's events (drawn from the seed and the date, so a day's events do not depend on
how many days came before: a soak and a short run of the same seed share their first days).

An event is a moment of the local day and an action of the office, an operator, a receiver's
fate or the server's; the season runs the receivers up to each moment, then the action.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time
from typing import Callable, NamedTuple

from . import actors
from .world import World, with_requirement_edit, with_window_edit

ROUND_TRIP_DAYS = 91  # a round trip needs a fresh database and a probe of the audio: at the end, and quarterly


class Event(NamedTuple):
    at: datetime
    what: str
    act: Callable[[], None]


def incidents(rng: random.Random, world: World, days: int) -> dict:
    """The season's incidents: which receiver runs a clock far off, which loses its link for
    days, which loses power for a day, when the server stops, when the plan is revised."""
    devices = [d for c in world.communes for d in c.devices]
    pick = (lambda: rng.randrange(1, days - 1)) if days > 2 else (lambda: 0)
    return {
        "clock_off": devices[-1] if devices else None,
        "offline": (rng.choice(devices), pick(), rng.randint(1, 3)) if devices else None,
        "silent": (rng.choice(devices), pick()) if devices else None,
        "server_stop": pick(),
        "revision": days // 2,
    }


def day_events(season, day: date) -> list[Event]:
    """The nightly build; operators' ticks and off-schedule airings; the office's bulletins (and
    cancellations), Monday make-goods and an odd-time rebuild now and then; the incidents due."""
    rng = random.Random(f"{season.options.seed}/{day.isoformat()}")
    n = (day - season.world.start).days
    ev = [Event(season.at(day, time(0, 30)), "nightly build", lambda: actors.rebuild(season, "nightly"))]
    add = lambda moment, what, act: ev.append(Event(season.at(day, moment), what, act))  # noqa: E731
    for commune in season.world.communes:
        station = commune.station
        if rng.random() < (0.9 if not commune.devices else 0.05):
            add(time(18, 30), f"{station} confirms the day", lambda s=station: actors.confirm_day(season, s))
        if not commune.devices and rng.random() < 0.15:
            add(time(18, 0), f"{station} records an off-schedule airing",
                lambda s=station, r=random.Random(rng.random()): actors.off_schedule(season, s, r))
    if rng.random() < 0.25:
        moment = time(rng.randint(7, 15), rng.randrange(60))
        add(moment, "bulletin issued", lambda r=random.Random(rng.random()): actors.issue(season, r))
        if rng.random() < 0.4:
            later = time(min(moment.hour + rng.randint(0, 3), 23), rng.randrange(60))
            if later > moment:
                add(later, "bulletin cancelled", lambda r=random.Random(rng.random()): actors.cancel(season, r))
    if day.weekday() == 0 and n > 0:
        add(time(8, 0), "make-goods", lambda r=random.Random(rng.random()): actors.make_goods(season, r))
    if rng.random() < 0.15:
        add(time(rng.randint(6, 20), rng.randrange(60)), "rebuild at an odd time",
            lambda: actors.rebuild(season, "odd time"))
    _incident_events(season, day, n, add)
    return ev


def _incident_events(season, day: date, n: int, add) -> None:
    inc = season.incidents
    if n == 1:
        add(time(9, 30), "plan script approved and voiced", lambda: actors.approve_plan_script(season))
    if n == 3:
        add(time(9, 45), "scripts written and decided", lambda: actors.write_scripts(season))
    for late in season.world.late:
        if late.arrives == day:
            add(time(11, 0), f"late episode {late.code} arrives", lambda l=late: season.late_arrives(l))
    if inc["offline"] and n == inc["offline"][1]:
        device = inc["offline"][0]
        add(time(10, 0), f"{device} loses its link", lambda: season.fleet.speakers[device].cut_link())
    if inc["offline"] and n == inc["offline"][1] + inc["offline"][2]:
        device = inc["offline"][0]
        add(time(15, 0), f"{device} is back online", lambda: season.fleet.speakers[device].restore_link())
    if inc["silent"] and n == inc["silent"][1]:
        device = inc["silent"][0]
        add(time(4, 0), f"{device} loses power", lambda: season.power(device, False))
    if inc["silent"] and n == inc["silent"][1] + 1:
        device = inc["silent"][0]
        add(time(12, 0), f"{device} has power again", lambda: season.power(device, True))
    if n == inc["server_stop"]:
        add(time(5, 15), "server stops", season.instance.stop)
        add(time(8, 45), "server starts again", season.instance.serve)
    if n == inc["revision"]:
        station = season.world.communes[0].station
        add(time(9, 0), "requirement revised",
            lambda: season.revise("requirements", with_requirement_edit(season.world)))
        add(time(9, 5), "window lengthened",
            lambda: season.revise("stations", with_window_edit(season.world, station)))
        add(time(10, 0), "village and loudspeaker added", season.new_village)
    if n and n % ROUND_TRIP_DAYS == 0:
        add(time(12, 0), "export and import again", lambda: season.round_trip(f"day-{n}"))
