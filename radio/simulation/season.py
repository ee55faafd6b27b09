"""One season, day by day: the world is imported, the actors act at their moments of the day
(agenda.py), the receivers are ticked in between at the moments they ask for, and at the end of
each day every invariant is checked. The same seed gives the same season.
"""
from __future__ import annotations

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
from .agenda import day_events, incidents
from .etags import EtagWatch
from .fleet import Fleet, Loudspeaker
from .instance import Instance, SimClock, quiet_logs
from .ledger import Ledger
from .roundtrip import export_import_round_trip
from .tones import make_tones
from .world import PROVINCE, TIMEZONE, make_world, with_village


@dataclass(frozen=True)
class Options:
    communes: int = 3
    days: int = 60
    seed: int = 1
    start: date = date(2026, 11, 2)
    poll_seconds: int = 6 * 3600  # long polls: a simulated day is a few requests per receiver
    horizon_days: int = 14
    database_url: str | None = None


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


class Season:
    def __init__(self, options: Options, folder: Path, progress: Callable[[date, int], None] | None = None):
        self.options, self.folder, self.progress = options, folder, progress
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
        self.incidents = incidents(random.Random(options.seed), self.world, options.days)

    # -- running -----------------------------------------------------------------------------

    def run(self) -> SeasonResult:
        began = timer.monotonic()
        with self.opened():
            day = self.world.start
            while day <= self.world.end:
                self.play_day(day)
                if self.progress is not None:
                    self.progress(day, len(self.violations))
                day += timedelta(days=1)
            self._finale()
        return SeasonResult(self.options, self.ledger.counts, self.checked, self.violations,
                            timer.monotonic() - began, self.notes)

    @contextmanager
    def opened(self):
        """The instance served, the plan imported, the receivers started; all closed afterwards."""
        with quiet_logs():
            try:
                self._open()
                yield self
            finally:
                self.fleet.close()
                if self.instance is not None:
                    self.instance.close()

    def _open(self) -> None:
        self.instance = Instance.fresh(self.folder / "instance", self.clock, self.options.poll_seconds,
                                 self.options.database_url)
        self.instance.serve()
        self.watch = EtagWatch(self.instance, self.ledger, self.checked, lambda name, message: self.fail(name, message))
        actors.import_world(self)
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
        for event in sorted(day_events(self, day), key=lambda e: e.at):
            self.fleet.run_until(event.at)
            self.checked["actions_succeed"] += 1
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
        self.round_trip("end")

    # -- what the actors do, and when -------------------------------------------------------------

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, self.tz)

    def late_arrives(self, late) -> None:
        actors.upload_late_episode(self, late)
        actors.rebuild(self, f"late {late.code}")

    def revise(self, section: str, code: str) -> None:
        actors.edit_record(self, section, code)
        actors.rebuild(self, f"{section} {code} edited")

    def new_village(self) -> None:
        commune = next((c for c in self.world.communes if c.devices), self.world.communes[0])
        village, device = with_village(self.world, commune.station)
        actors.edit_record(self, "areas", village)
        self.revise("devices", device)
        self._start_receiver(device)

    def power(self, device: str, on: bool) -> None:
        speaker = self.fleet.speakers[device]
        if on and not speaker.is_on:
            speaker.power_on()
            self._watch(speaker)
        elif not on and speaker.is_on:
            speaker.power_off()

    def round_trip(self, label: str) -> None:
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


def run_season(options: Options, folder: Path | None = None,
               progress: Callable[[date, int], None] | None = None) -> SeasonResult:
    """Run a season in `folder` (kept), or in a temporary folder removed afterwards: in memory
    (/dev/shm) where there is one, as receivers and SQLite sync every write to disk."""
    if folder is not None:
        return Season(options, folder, progress).run()
    memory = Path("/dev/shm")
    with tempfile.TemporaryDirectory(prefix="radio-season-", dir=memory if os.access(memory, os.W_OK) else None) as tmp:
        return Season(options, Path(tmp), progress).run()
