"""What must hold every simulated day, one small function each, returning the violations found
(plain sentences naming station, device, requirement and day). The season calls the daily ones
at the end of each day, `planner_agrees_with_compliance` right after each build, and records
what `etags.EtagWatch` and `roundtrip` find under their own names.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select

from .. import lookups
from ..compliance.operations import compliance_report
from ..core_inputs import station_input
from ..models import AuditLog, Base, Bulletin, Device, PlayLog, ScheduleEntry, Station
from ..models.base import UTCDateTime
from .truth import truth_rows
from .world import PROVINCE

RESERVATIONS = re.compile(r"(\d+) of (\d+) airings are reservations")


def _planned(session, station: Station, first: date, last: date) -> list[ScheduleEntry]:
    return session.scalars(select(ScheduleEntry).where(
        ScheduleEntry.station_id == station.id, ScheduleEntry.status == "planned",
        ScheduleEntry.local_date >= first, ScheduleEntry.local_date <= last)
        .order_by(ScheduleEntry.start_at, ScheduleEntry.id)).all()


def _built_days(season, day: date) -> tuple[date, date]:
    """Today and tomorrow: the days every station's schedule must be whole (built the night before)."""
    return day, min(day + timedelta(days=1), season.world.end)


def _stations_planned(session, first: date, last: date):
    """Each station with its shape (windows, blocks, closed days) and its planned entries of those days."""
    for station in session.scalars(select(Station).order_by(Station.code)):
        yield station, station_input(station), _planned(session, station, first, last)


def fixed_blocks_on_air(season, day: date) -> list[str]:
    """Every relay block is on every day its window is open and the station not closed, once."""
    found = []
    first, last = _built_days(season, day)
    with season.instance.session() as session:
        for station, shape, entries in _stations_planned(session, first, last):
            for offset in range((last - first).days + 1):
                when = first + timedelta(days=offset)
                open_windows = {w.name for w in shape.open_on(when)} if when not in shape.closed else set()
                for block in shape.blocks:
                    if block.window not in open_windows:
                        continue
                    starts = [e for e in entries if e.local_date == when and e.kind == block.kind
                              and e.start_at.astimezone(season.tz).time() == block.at]
                    if len(starts) != 1:
                        found.append(f"{station.code} {when:%d/%m/%Y}: the {block.kind} block at {block.at:%H:%M} "
                                     f"is planned {len(starts)} times")
    return found


def items_fit_their_windows(season, day: date) -> list[str]:
    """No two planned items of a station overlap, and each lies inside a window open that day."""
    found = []
    first, last = _built_days(season, day)
    with season.instance.session() as session:
        for station, shape, entries in _stations_planned(session, first, last):
            for before, after in zip(entries, entries[1:]):
                if after.start_at < before.end_at:
                    found.append(f"{station.code} {after.local_date:%d/%m/%Y}: {after.kind} {after.title!r} at "
                                 f"{_hm(season, after.start_at)} overlaps {before.kind} {before.title!r} "
                                 f"({_hm(season, before.start_at)}–{_hm(season, before.end_at)})")
            for entry in entries:
                start, end = entry.start_at.astimezone(season.tz), entry.end_at.astimezone(season.tz)
                windows = [w for w in shape.open_on(entry.local_date) if w.name == entry.window_name]
                inside = any(start.date() == entry.local_date and w.start <= start.time()
                             and (end.time() <= w.end and end.date() == start.date()) for w in windows)
                if entry.local_date in shape.closed or not inside:
                    found.append(f"{station.code} {entry.local_date:%d/%m/%Y}: {entry.kind} {entry.title!r} "
                                 f"{start:%H:%M:%S}–{end:%H:%M:%S} is outside its window {entry.window_name!r}"
                                 + (" (the station is closed that day)" if entry.local_date in shape.closed else ""))
    return found


def _hm(season, moment) -> str:
    return f"{moment.astimezone(season.tz):%H:%M:%S}"


def airings_stored_once(season, day: date, final: bool = False) -> list[str]:
    """Every log a receiver made and the server acknowledged is stored once, none is invented,
    none refused; at the end of the season, with every receiver back, none is left waiting."""
    found = []
    with season.instance.session() as session:
        stored = Counter()
        for device, key in session.execute(select(Device.code, PlayLog.client_uuid).join(
                Device, Device.id == PlayLog.device_id)):
            stored[device, str(key)] += 1
    for code, speaker in season.fleet.speakers.items():
        made = season.ledger.uuids(code)
        waiting, refused = speaker.logs.waiting(), speaker.logs.refused_uuids()
        mine = {key for device, key in stored if device == code}
        for uuid in sorted(made - waiting - refused - mine):
            found.append(f"{code}: play log {uuid} was acknowledged but is not stored")
        for uuid in sorted(mine - made):
            found.append(f"{code}: play log {uuid} is stored but the receiver never made it")
        for uuid in sorted(u for u in mine if stored[code, u] > 1):
            found.append(f"{code}: play log {uuid} is stored {stored[code, uuid]} times")
        for uuid in sorted(refused):
            found.append(f"{code}: the server refused play log {uuid}")
        if final and waiting:
            found.append(f"{code}: {len(waiting)} play logs still waiting after the receiver came back")
    return found


def compliance_matches_ground_truth(season, day: date) -> list[str]:
    """For every requirement, station and period so far, "aired" and "new" in the product's
    report are what the ground truth gives."""
    found = []
    with season.instance.session() as session:
        report = compliance_report(session, area=lookups.area(session, PROVINCE), start=season.world.start, end=day,
                                   now=season.clock.now, tz=season.tz)
        truth = truth_rows(session, season, day)
    for row in report.rows:
        key = (row.requirement, row.station, row.period_start)
        expected = truth.get(key)
        if expected is None:
            found.append(f"{row.requirement} at {row.station}, period from {row.period_start:%d/%m/%Y}: in the "
                         "report but not in the ground truth")
            continue
        mine = (row.aired, row.new_aired, row.unscheduled)
        theirs = (expected.aired, expected.new_aired, expected.unscheduled)
        if mine != theirs:
            found.append(f"{row.requirement} at {row.station}, period from {row.period_start:%d/%m/%Y}: report says "
                         f"aired {mine[0]}, new {mine[1]}, unscheduled {mine[2]}; ground truth aired {theirs[0]}, "
                         f"new {theirs[1]}, unscheduled {theirs[2]}")
    return found


def planner_agrees_with_compliance(season, report, start: date, end: date) -> list[str]:
    """Right after a build from `start` to `end`: for each open period inside it with no airing
    missed so far, the planner finds it cannot be met exactly when compliance calls it at risk,
    and a period the planner holds reservations in shows them unfilled in compliance."""
    found = []
    shortfalls = {(s.requirement, s.station, s.period_start): s for s in report.shortfalls}
    with season.instance.session() as session:
        rows = compliance_report(session, area=lookups.area(session, PROVINCE), start=start, end=end,
                                 now=season.clock.now, tz=season.tz).rows
    for row in rows:
        if row.period_end < start or row.period_end > end or row.missing_dates:
            continue
        shortfall = shortfalls.get((row.requirement, row.station, row.period_start))
        where = f"{row.requirement} at {row.station}, period from {row.period_start:%d/%m/%Y}"
        reserved = shortfall is not None and shortfall.severity == "warning" and RESERVATIONS.search(shortfall.reason)
        if reserved:
            if not row.unfilled_reservations:
                found.append(f"{where}: the planner holds reservations ({shortfall.reason}) but compliance sees "
                             "none unfilled")
            continue
        planner_fails = shortfall is not None and shortfall.severity == "error"
        if planner_fails != (row.status == "at_risk"):
            said = f"cannot be met: {shortfall.reason}" if planner_fails else "can be met"
            found.append(f"{where}: the planner says it {said}; compliance says {row.status} "
                         f"({'; '.join(row.reasons) or 'no reason'})")
    return found


def changes_audited(season, day: date) -> list[str]:
    """Every change the actors made has its audit row (by action and object), and every
    bulletin its issue (and cancel) row."""
    found = []
    with season.instance.session() as session:
        rows = Counter()
        for action, key, n in session.execute(select(AuditLog.action, AuditLog.object_key, func.count())
                                               .group_by(AuditLog.action, AuditLog.object_key)):
            rows[action, key] += n
            rows[action, None] += n
        for uuid, cancelled in session.execute(select(Bulletin.uuid, Bulletin.cancelled_at)):
            if not rows["bulletin.issue", str(uuid)]:
                found.append(f"bulletin {uuid} has no bulletin.issue audit row")
            if cancelled is not None and not rows["bulletin.cancel", str(uuid)]:
                found.append(f"bulletin {uuid} was cancelled without a bulletin.cancel audit row")
    for (action, key), owed in sorted(season.ledger.audits.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        if rows[action, key] < owed:
            found.append(f"{action} {key or ''}: {owed} audit rows owed, {rows[action, key]} written")
    return found


# Instants that say when a thing is to happen, or when a device says it played: not stamps.
NOT_STAMPS = {("bulletins", "valid_from"), ("bulletins", "valid_until"), ("schedule_entries", "start_at"),
              ("schedule_entries", "end_at"), ("play_logs", "started_at"), ("play_logs", "ended_at"),
              ("bulletin_deliveries", "played_at")}


def stamps_follow_the_clock(season, day: date) -> list[str]:
    """Every instant the product stamped (created, received, decided, last seen…) is a moment of
    the simulated season: rows added since the last check between that check and now, and none
    ever later than now. A stamp from the machine's own clock is a wall-clock read in radio/."""
    found = []
    now, since = season.clock.now, season.stamped_since
    with season.instance.session() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, UTCDateTime) and (table.name, c.name) not in NOT_STAMPS]
            if not columns:
                continue
            last = season.stamped_ids.get(table.name, 0)
            has_id = "id" in table.columns and table.columns["id"].type.python_type is int
            for column in columns:
                early, late = session.execute(select(func.min(column), func.max(column))).one()
                if late is not None and late.astimezone(season.tz) > now:
                    found.append(f"{table.name}.{column.name}: {_dt(season, late)} is later than now ({_dt(season, now)})")
                if has_id:
                    new = session.execute(select(func.min(column), func.max(column)).where(
                        table.columns["id"] > last)).one()
                    if new[0] is not None and new[0].astimezone(season.tz) < since:
                        found.append(f"{table.name}.{column.name}: a row added since {_dt(season, since)} is stamped "
                                     f"{_dt(season, new[0])}")
                elif early is not None and early.astimezone(season.tz) < season.began:
                    found.append(f"{table.name}.{column.name}: {_dt(season, early)} is before the season began")
            if has_id:
                season.stamped_ids[table.name] = session.scalar(select(func.max(table.columns["id"]))) or 0
    season.stamped_since = now
    return found


def _dt(season, moment) -> str:
    return f"{moment.astimezone(season.tz):%d/%m/%Y %H:%M}"


DAILY = (fixed_blocks_on_air, items_fit_their_windows, airings_stored_once, compliance_matches_ground_truth,
         changes_audited, stamps_follow_the_clock)
NAMES = [f.__name__ for f in DAILY] + ["planner_agrees_with_compliance", "etags_follow_content",
                                       "export_import_round_trip", "actions_succeed"]
