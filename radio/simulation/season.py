"""One season, day by day: the world is imported, the actors act at their moments of the day,
the receivers are ticked in between at the moments they ask for, and at the end of each day
every invariant is checked. The same seed gives the same season.

What happens when is drawn from `random.Random` seeded by the season's seed (incidents of the
season) and by seed and date (each day's events), so a day's events do not depend on how many
days came before: a soak and a short run of the same seed share their first days.
"""
from __future__ import annotations

import logging
import os
import random
import tempfile
import time as timer
import traceback
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Callable, NamedTuple
from zoneinfo import ZoneInfo

from . import actors, invariants
from .etags import EtagWatch
from .fleet import Fleet, Loudspeaker
from .instance import Instance, SimClock
from .ledger import Ledger
from .roundtrip import export_import_round_trip
from .tones import make_tones
from .world import PROVINCE, TIMEZONE, make_world, with_requirement_edit, with_village, with_window_edit


@dataclass(frozen=True)
class Options:
    communes: int = 3
    days: int = 60
    seed: int = 1
    start: date = date(2026, 11, 2)
    poll_seconds: int = 6 * 3600  # long polls: a simulated day is a few requests per receiver
    horizon_days: int = 14
    database_url: str | None = None


ROUND_TRIP_DAYS = 91  # a round trip needs a fresh database and a probe of the audio: at the end, and quarterly


class Violation(NamedTuple):
    invariant: str
    day: date
    message: str


@dataclass
class SeasonResult:
    options: Options
    counts: Counter
    checked: Counter  # invariant → how many times it was checked
    violations: list[Violation]
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


class Event(NamedTuple):
    at: datetime
    what: str
    act: Callable[[], None]


class Season:
    def __init__(self, options: Options, folder: Path):
        self.options, self.folder = options, folder
        self.tz = ZoneInfo(TIMEZONE)
        self.tones = make_tones(folder / "tones")
        self.world = make_world(options.seed, options.communes, options.start, options.days, self.tones)
        self.clock = SimClock(datetime.combine(options.start, time(0, 5), self.tz))
        self.today = options.start
        self.ledger = Ledger()
        self.fleet = Fleet(self.clock)
        self.instance: Instance | None = None
        self.violations: list[Violation] = []
        self.checked: Counter = Counter()
        self.bulletins: list[str] = []
        self.notes: list[str] = []
        self.tokens: dict[str, str] = {}
        self.began = self.stamped_since = self.clock.now  # stamps_follow_the_clock: since when, and the rows seen
        self.stamped_ids: dict[str, int] = {}
        self.listening: set[str] = set()  # receivers that get the "poll now" notice (MQTT)
        self.incidents = self._incidents(random.Random(options.seed))

    # -- running -----------------------------------------------------------------------------

    def run(self) -> SeasonResult:
        began = timer.monotonic()
        with self.opened():
            day = self.world.start
            while day <= self.world.end:
                self.play_day(day)
                day += timedelta(days=1)
            self._finale()
        return SeasonResult(self.options, self.ledger.counts, self.checked, self.violations,
                            timer.monotonic() - began, self.notes)

    @contextmanager
    def opened(self):
        """The instance served, the plan imported, the receivers started; all closed afterwards."""
        with _quiet():
            try:
                self._open()
                yield self
            finally:
                self.fleet.close()
                if self.instance is not None:
                    self.instance.close()

    def _open(self) -> None:
        self.instance = Instance(self.folder / "instance", self.clock, self.options.poll_seconds,
                                 self.options.database_url)
        self.instance.serve()
        self.watch = EtagWatch(self.instance, self.ledger, self.checked, lambda name, message: self.fail(name, message))
        actors.import_world(self, "first")
        actors.add_people(self)
        actors.rebuild(self, "first build")
        for commune in self.world.communes:
            for device in commune.devices:
                self._start_receiver(device)

    def _start_receiver(self, device: str) -> None:
        token = actors.issue_device_token(self, device)
        offset = timedelta(minutes=-25) if device == self.incidents["clock_off"] else timedelta()
        speaker = Loudspeaker(device, token, self.folder / "devices" / device, self.clock, self.ledger,
                              self.instance.url, self.fleet.dead_url, self.options.poll_seconds, offset)
        self.fleet.add(speaker)
        self.tokens[device] = token
        self._watch(speaker)
        if len(self.tokens) % 2:
            self.listening.add(device)

    def _watch(self, speaker: Loudspeaker) -> None:
        if speaker.is_on:
            self.watch.watch(speaker, self.tokens[speaker.code])

    def play_day(self, day: date) -> None:
        """The day's events in order, the receivers ticked in between, then the day's checks."""
        self.today = day
        for event in sorted(self._events(day), key=lambda e: e.at):
            self.fleet.run_until(event.at)
            try:
                event.act()
            except Exception as exc:  # a refusal nobody expected is a finding, not the end of the season
                self.fail("actions_succeed", f"{event.what} at {event.at.astimezone(self.tz):%H:%M}: "
                          f"{exc.__class__.__name__}: {exc} ({_where(exc)})")
        self.fleet.run_until(self.at(day, time(23, 50)))
        self._check_day(day)

    def _check_day(self, day: date, final: bool = False) -> None:
        for check in invariants.DAILY:
            self.checked[check.__name__] += 1
            found = check(self, day, final=True) if final and check is invariants.airings_stored_once \
                else check(self, day)
            for message in found:
                self.fail(check.__name__, message)

    def _finale(self) -> None:
        """Every receiver back on and online for a day after the season, then the last checks."""
        end = self.world.end + timedelta(days=1)
        self.today = end
        for speaker in self.fleet.speakers.values():
            if not speaker.link_up:
                speaker.restore_link()
            if not speaker.is_on:
                speaker.power_on()
                self._watch(speaker)
        self.fleet.run_until(self.at(end, time(12, 0)))
        self._check_day(end, final=True)
        self._round_trip("end")

    # -- what the actors do, and when -------------------------------------------------------------

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, self.tz)

    def _incidents(self, rng: random.Random) -> dict:
        """The season's incidents: which receiver runs a clock far off, which loses its link for
        days, which loses power for a day, when the server stops, when the plan is revised."""
        devices = [d for c in self.world.communes for d in c.devices]
        days = self.options.days
        pick = (lambda: rng.randrange(1, days - 1)) if days > 2 else (lambda: 0)
        return {
            "clock_off": devices[-1] if devices else None,
            "offline": (rng.choice(devices), pick(), rng.randint(1, 3)) if devices else None,
            "silent": (rng.choice(devices), pick()) if devices else None,
            "server_stop": pick(),
            "revision": days // 2,
        }

    def _events(self, day: date) -> list[Event]:
        rng = random.Random(f"{self.options.seed}/{day.isoformat()}")
        n = (day - self.world.start).days
        ev = [Event(self.at(day, time(0, 30)), "nightly build", lambda: actors.rebuild(self, "nightly"))]
        add = lambda moment, what, act: ev.append(Event(self.at(day, moment), what, act))  # noqa: E731
        for commune in self.world.communes:
            station = commune.station
            if rng.random() < (0.9 if not commune.devices else 0.05):
                add(time(18, 30), f"{station} confirms the day", lambda s=station: actors.confirm_day(self, s))
            if not commune.devices and rng.random() < 0.15:
                add(time(18, 0), f"{station} records an off-schedule airing",
                    lambda s=station, r=random.Random(rng.random()): actors.off_schedule(self, s, r))
        if rng.random() < 0.25:
            moment = time(rng.randint(7, 15), rng.randrange(60))
            add(moment, "bulletin issued", lambda r=random.Random(rng.random()): actors.issue(self, r))
            if rng.random() < 0.4:
                later = time(min(moment.hour + rng.randint(0, 3), 23), rng.randrange(60))
                if later > moment:
                    add(later, "bulletin cancelled", lambda r=random.Random(rng.random()): actors.cancel(self, r))
        if day.weekday() == 0 and n > 0:
            add(time(8, 0), "make-goods", lambda r=random.Random(rng.random()): actors.make_goods(self, r))
        if rng.random() < 0.15:
            add(time(rng.randint(6, 20), rng.randrange(60)), "rebuild at an odd time",
                lambda: actors.rebuild(self, "odd time"))
        self._incident_events(day, n, add)
        return ev

    def _incident_events(self, day: date, n: int, add) -> None:
        inc = self.incidents
        if n == 1:
            add(time(9, 30), "plan script approved and voiced", lambda: actors.approve_plan_script(self))
        if n == 3:
            add(time(9, 45), "scripts written and decided", lambda: actors.write_scripts(self))
        for late in self.world.late:
            if late.arrives == day:
                add(time(11, 0), f"late episode {late.code} arrives", lambda l=late: self._late(l))
        if inc["offline"] and n == inc["offline"][1]:
            device, _, length = inc["offline"]
            add(time(10, 0), f"{device} loses its link", lambda: self.fleet.speakers[device].cut_link())
        if inc["offline"] and n == inc["offline"][1] + inc["offline"][2]:
            device = inc["offline"][0]
            add(time(15, 0), f"{device} is back online", lambda: self.fleet.speakers[device].restore_link())
        if inc["silent"] and n == inc["silent"][1]:
            device = inc["silent"][0]
            add(time(4, 0), f"{device} loses power", lambda: self._power(device, False))
        if inc["silent"] and n == inc["silent"][1] + 1:
            device = inc["silent"][0]
            add(time(12, 0), f"{device} has power again", lambda: self._power(device, True))
        if n == inc["server_stop"]:
            add(time(5, 15), "server stops", self.instance.stop)
            add(time(8, 45), "server starts again", self.instance.serve)
        if n == inc["revision"]:
            station = self.world.communes[0].station
            add(time(9, 0), "requirement revised",
                lambda: self._revised("requirements", with_requirement_edit(self.world)))
            add(time(9, 5), "window lengthened",
                lambda: self._revised("stations", with_window_edit(self.world, station)))
            add(time(10, 0), "village and loudspeaker added", self._new_village)
        if n and n % ROUND_TRIP_DAYS == 0:
            add(time(12, 0), "export and import again", lambda: self._round_trip(f"day-{n}"))

    def _late(self, late) -> None:
        actors.upload_late_episode(self, late)
        actors.rebuild(self, f"late {late.code}")

    def _revised(self, section: str, code: str) -> None:
        actors.edit_record(self, section, code)
        actors.rebuild(self, f"{section} {code} edited")

    def _new_village(self) -> None:
        commune = next((c for c in self.world.communes if c.devices), self.world.communes[0])
        village, device = with_village(self.world, commune.station)
        actors.edit_record(self, "areas", village)
        self._revised("devices", device)
        self._start_receiver(device)

    def _power(self, device: str, on: bool) -> None:
        speaker = self.fleet.speakers[device]
        if on and not speaker.is_on:
            speaker.power_on()
            self._watch(speaker)
        elif not on and speaker.is_on:
            speaker.power_off()

    def _round_trip(self, label: str) -> None:
        self.checked["export_import_round_trip"] += 1
        for message in export_import_round_trip(self, label):
            self.fail("export_import_round_trip", message)

    # -- hooks for the actors ---------------------------------------------------------------------

    def after_build(self, report, start: date, end: date, why: str) -> None:
        self.checked["planner_agrees_with_compliance"] += 1
        for message in invariants.planner_agrees_with_compliance(self, report, start, end):
            self.fail("planner_agrees_with_compliance", f"after the {why} build: {message}")

    def notify_devices(self, area: str) -> None:
        reached = {d for c in self.world.communes if area in (PROVINCE, c.area) for d in c.devices}
        for code in sorted(reached & self.listening):
            speaker = self.fleet.speakers[code]
            if speaker.is_on and speaker.link_up:
                speaker.receiver.request_poll()
                speaker.wake = self.clock.now

    def fail(self, invariant: str, message: str) -> None:
        self.violations.append(Violation(invariant, self.today, message))

    def note(self, message: str) -> None:
        self.notes.append(f"{self.today:%d/%m/%Y}: {message}")


def _where(exc: Exception) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{Path(frame.filename).name}:{frame.lineno}"


@contextmanager
def _quiet():
    """The receivers' and the server's request logs say nothing the table does not: quieten them."""
    loggers = [logging.getLogger(name) for name in ("werkzeug", "radio.device_client", "radio")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def run_season(options: Options, folder: Path | None = None) -> SeasonResult:
    """Run a season in `folder` (kept), or in a temporary folder removed afterwards: in memory
    (/dev/shm) where there is one, as receivers and SQLite sync every write to disk."""
    if folder is not None:
        return Season(options, folder).run()
    memory = Path("/dev/shm")
    with tempfile.TemporaryDirectory(prefix="radio-season-", dir=memory if os.access(memory, os.W_OK) else None) as tmp:
        return Season(options, Path(tmp)).run()
