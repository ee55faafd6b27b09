"""Recent weeks lived for `radio demo`: the app's own stations and devices run through the
last weeks on a clock that starts in the past, so the office's dashboard opens on a history
people recognise: receivers that played, an operator who forgot a day, a loudspeaker that went
silent for its last days (its station's period at risk, or short), the rest met.

It is the season's machinery on the configured app: schedules built night after night as a
station's would be, real `radio-device` receivers (player `none`, caches in a temporary folder)
polling the app served on 127.0.0.1, operators ticking "đã phát". The app's CLOCK is the
history's clock while it runs (and its device poll interval a long one), and both are given
back afterwards.
"""
from __future__ import annotations

import random
import tempfile
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from .. import jobs
from ..devices.operations import issue_token
from ..models import Device, Station, User
from ..playlogs.confirmations import confirm_entries
from ..schedule.operations import build_schedule
from .fleet import Fleet, Loudspeaker
from .instance import Instance, SimClock, quiet_logs
from .ledger import Ledger

POLL_SECONDS = 6 * 3600
HORIZON_DAYS = 14
SILENT_DAYS = 8  # a week and a day: last week short there, this week's period at risk


def live_recent_weeks(app: Flask, *, weeks: int, now: datetime, seed: int = 1) -> Counter:
    """Live the `weeks` before `now` (from that week's Monday) on `app`; returns what happened."""
    from ..clock import station_tz

    with app.app_context():
        tz = station_tz()
    first = (now.astimezone(tz) - timedelta(weeks=weeks)).date()
    first -= timedelta(days=first.weekday())
    clock = SimClock(datetime.combine(first, time(0, 5), tz))
    rng = random.Random(seed)
    kept_clock, kept_poll = app.config.get("CLOCK"), app.config["DEVICE_POLL_SECONDS"]
    app.config["CLOCK"], app.config["DEVICE_POLL_SECONDS"] = clock, POLL_SECONDS  # long polls: quick days
    instance, ledger = Instance(app), Ledger()
    fleet = Fleet(clock)
    try:
        instance.serve()
        with quiet_logs(), tempfile.TemporaryDirectory(prefix="radio-demo-history-") as folder:
            silent = _start_receivers(instance, fleet, ledger, clock, Path(folder))
            day = first
            while day <= now.astimezone(tz).date():
                _live_day(instance, fleet, ledger, clock, day, tz, rng, silent, first, now)
                day += timedelta(days=1)
            fleet.run_until(now)
            ledger.counts["loudspeakers silent at the end"] += sum(not fleet.speakers[c].is_on for c in silent)
            fleet.close()
    finally:
        instance.stop()
        app.config["DEVICE_POLL_SECONDS"] = kept_poll
        if kept_clock is None:
            app.config.pop("CLOCK", None)
        else:
            app.config["CLOCK"] = kept_clock
    return ledger.counts


def _start_receivers(instance: Instance, fleet: Fleet, ledger: Ledger, clock: SimClock, folder: Path) -> list[str]:
    """A receiver for every device; returns the devices of the station that will go silent (the
    one with fewest loudspeakers: with all of them off, nothing of it airs)."""
    with instance.session() as session:
        devices = session.execute(select(Device.code, Station.code).join(Station, Station.id == Device.station_id)
                                  .order_by(Device.code)).all()
        tokens = {code: issue_token(session, None, code, now=clock.now) for code, _ in devices}
    for code, token in tokens.items():
        fleet.add(Loudspeaker(code, token, folder / code, clock, ledger, instance.url, fleet.dead_url, POLL_SECONDS))
    by_station = Counter(station for _, station in devices)
    quiet = min(sorted(by_station), key=lambda station: by_station[station], default=None)
    return [code for code, station in devices if station == quiet]


def _live_day(instance: Instance, fleet: Fleet, ledger: Ledger, clock: SimClock, day: date, tz, rng: random.Random,
              silent: list[str], first: date, now: datetime) -> None:
    """The receivers' day, the operators' evening ticks (one forgets a day now and then), and
    the evening build of the days ahead (before the night's polls, so the loudspeakers hold
    tomorrow's morning); the silent station's loudspeakers lose their power for the last week."""
    def at(moment: time) -> datetime:
        return min(datetime.combine(day, moment, tz), now)

    if day == first:
        _build(instance, ledger, clock, day, tz)
    if day == max(now.astimezone(tz).date() - timedelta(days=SILENT_DAYS), first + timedelta(days=2)):
        fleet.run_until(at(time(4, 0)))
        for code in silent:
            fleet.speakers[code].power_off()
    fleet.run_until(at(time(18, 30)))
    _run_checks(instance, ledger)
    if clock.now < now:
        forgotten = rng.random() < 0.15 or day == first + timedelta(days=2)
        _operators_confirm(instance, ledger, day, clock.now, skip_one=forgotten, rng=rng)
    fleet.run_until(at(time(21, 0)))
    if clock.now < now:
        _build(instance, ledger, clock, day + timedelta(days=1), tz)
    fleet.run_until(at(time(23, 50)))
    _run_checks(instance, ledger)


def _run_checks(instance: Instance, ledger: Ledger) -> None:
    """The periodic checks as `radio worker` runs them (coarser: twice a day), so the silent
    loudspeakers have their offline periods and the operators their notices."""
    with instance.app.app_context():
        for check in jobs.periodic_checks():
            check()
    ledger.counts["periodic checks"] += 1


def _build(instance: Instance, ledger: Ledger, clock: SimClock, start: date, tz) -> None:
    with instance.session() as session:
        report = build_schedule(session, None, start, start + timedelta(days=HORIZON_DAYS - 1), now=clock.now,
                                tz=tz, reservation_s=instance.app.config["RESERVATION_SECONDS"])
    ledger.counts["entries built"] += report.created


def _operators_confirm(instance: Instance, ledger: Ledger, day: date, now: datetime, *, skip_one: bool,
                       rng: random.Random) -> None:
    """Stations without loudspeaker devices report through their operator's "đã phát" tick."""
    with instance.session() as session:
        stations = session.scalars(select(Station).where(Station.id.not_in(select(Device.station_id)))
                                   .order_by(Station.code)).all()
        forgetful = rng.choice(stations).code if skip_one and stations else None
        for station in stations:
            if station.code == forgetful:
                ledger.counts["days an operator forgot"] += 1
                continue
            operator = session.scalar(select(User).where(User.username == f"dai-{station.code}"))
            if operator is None:
                continue
            ledger.counts["operator confirmations"] += len(
                confirm_entries(session, station=station, day=day, user=operator, now=now))
