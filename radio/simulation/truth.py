"""Compliance as the ground truth says it should be: the schedule's entries marked aired from
what the simulator saw happen (receivers' airings that reached the server, operators'
confirmations, off-schedule airings recorded), judged by the same pure engine the product uses.

Comparing its rows with the product's `compliance_report` checks everything between an airing
and a report row: upload, storage, the `reported_played` trigger, the counting queries, the
requirement matching. It does not re-derive the rules: the engine is shared on purpose.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from schedules.compliance import AiringCount, ComplianceRow, evaluate
from schedules.periods import UNCOUNTED_KINDS

from ..core_inputs import requirement_input, series_key, station_input, stations_covered
from ..models import Episode, MediaFile, Requirement, ScheduleEntry, Series, Station


def delivered_airings(season) -> set[str]:
    """UUIDs of entries a receiver played and whose log the server acknowledged."""
    aired = set()
    for code, speaker in season.fleet.speakers.items():
        waiting = speaker.logs.waiting() | speaker.logs.refused_uuids()
        aired |= {log["entry_id"] for log in season.ledger.plays.get(code, ())
                  if log["status"] == "played" and "entry_id" in log and log["uuid"] not in waiting}
    return aired


def truth_rows(session, season, end: date) -> dict[tuple[str, str, date], ComplianceRow]:
    """Rows of every requirement × station × period from the season's start to `end`."""
    stations = session.scalars(select(Station).order_by(Station.code)).all()
    requirements = session.scalars(select(Requirement).order_by(Requirement.id)).all()
    inputs = [requirement_input(r, covered) for r in requirements
              if (covered := stations_covered(r, stations))]
    if not inputs:
        return {}
    station_inputs = {s.code: station_input(s) for s in stations}
    aired = delivered_airings(season) | season.ledger.confirmed
    durations = dict(session.execute(select(Episode.id, MediaFile.duration_s).join(
        MediaFile, MediaFile.sha256 == Episode.media_sha256)).all())
    series = {s.id: series_key(s) for s in session.scalars(select(Series))}
    codes = {s.id: s.code for s in stations}
    counts = [AiringCount(codes[e.station_id], series[e.series_id], e.local_date, e.window_name,
                          None if e.episode_id is None else str(e.episode_id), durations.get(e.episode_id), 1,
                          1 if str(e.uuid) in aired else 0)
              for e in session.scalars(select(ScheduleEntry).where(
                  ScheduleEntry.status == "planned", ScheduleEntry.series_id.is_not(None),
                  ScheduleEntry.kind.not_in(UNCOUNTED_KINDS)))]
    episode_series = dict(session.execute(select(Episode.id, Episode.series_id)).all())
    once = defaultdict(int)
    for station, episode_id, at in season.ledger.unscheduled:
        local = at.astimezone(season.tz)
        window = next((w.name for w in station_inputs[station].open_on(local.date())
                       if w.start <= local.time() < w.end), None)
        once[station, series[episode_series[episode_id]], local.date(), window, episode_id] = 1
    counts += [AiringCount(station, series_code, day, window, str(episode_id), durations.get(episode_id), 0, 1,
                           unscheduled=True)
               for (station, series_code, day, window, episode_id) in once]
    rows = evaluate(inputs, station_inputs, counts, start=season.world.start, end=end, today=season.today)
    return {(r.requirement, r.station, r.period_start): r for r in rows}
