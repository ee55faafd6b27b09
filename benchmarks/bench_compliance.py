"""Benchmark: the whole-province compliance report for a year, against a raw COUNT … GROUP BY.

    python benchmarks/bench_compliance.py [--communes 100] [--villages 10] [--repeat 3]
                                          [--database-url URL]

Set-up (not measured; bulk Core inserts, COPY on PostgreSQL, so it takes minutes): one
province of N communes, one station each (``sang`` 05:30-06:00 and ``chieu`` 17:00-17:30,
Monday to Saturday), V villages per commune with one device each; ten province-wide series
with a new episode every week (120 s); ten requirements covering every commune (weekly Tuesday
and Thursday with a new item, 1-3 a week, monthly, quarterly, a yearly one, one restricted to the
morning window and one to 120-180 s); five entries a day per station over the year, each aired and
reported ``played`` by every device of the station except for a few missed or failed ones, so
that some periods fall short. With the defaults: 100 stations, 1,000 devices, 156,000 entries,
about 1.5 million play logs.

The play logs go in through the same trigger as in production (migration 0006), which marks
each entry ``reported_played``: the report reads that flag, so the set-up pays for it, as
device uploads do.

Measured, in one run on the same database: ``compliance_report`` for the province over the
year (one count per entry from SQL + the pure engine, 25,700 rows), and the baseline: a raw SQL
``SELECT station, series, count(*) FROM play_logs JOIN schedule_entries … GROUP BY`` over the
same tables. The ratio of the two is the figure (goal: at most 3×). Best of ``--repeat``. The
report's CPU time in this process (rows read and judged in Python) is printed beside it, as a
loaded machine stretches wall times.
Databases as in the other benchmarks (``_common.Databases``). Nothing here asserts on timings.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time as clock
import uuid
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from radio import schema
from radio.compliance.operations import compliance_report
from radio.db import make_engine
from radio.models import (
    Area, BroadcastWindow, Device, Episode, MediaFile, Plan, PlayLog, Requirement, ScheduleEntry, Series, Station,
    requirement_areas,
)

from _common import Databases  # beside this script

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = 2027
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)
NOW = datetime(YEAR + 1, 1, 10, 3, 0, tzinfo=timezone.utc)  # every period is finished
SIX = ("MO", "TU", "WE", "TH", "FR", "SA")
SEED = 2027
# (series index, period, min, max, new, days, windows, duration min, duration max)
REQUIREMENTS = [
    (0, "week", 2, 2, 1, ("TU", "TH"), (), None, None),
    (1, "week", 1, 3, 1, SIX, (), None, None),
    (2, "week", 2, 4, 0, SIX, ("sang",), None, None),
    (3, "month", 8, None, 1, SIX, (), None, None),
    (4, "month", 10, 14, 2, SIX, (), 120, 180),
    (5, "quarter", 30, None, 3, SIX, (), None, None),
    (6, "quarter", 25, 40, 0, SIX, ("chieu",), None, None),
    (7, "year", 100, None, 10, SIX, (), None, None),
    (8, "week", 2, 3, 1, ("MO", "WE", "FR"), (), None, None),
    (9, "month", 9, 12, 1, SIX, (), None, None),
]
SLOTS = [("sang", time(5, 30)), ("sang", time(5, 40)), ("sang", time(5, 50)), ("chieu", time(17, 0)),
         ("chieu", time(17, 10))]
BASELINE = text("SELECT e.station_id, e.series_id, count(*) FROM play_logs p "
                "JOIN schedule_entries e ON e.id = p.entry_id WHERE p.status = 'played' "
                "GROUP BY e.station_id, e.series_id")


def populate(engine, communes: int, villages: int) -> dict[str, int]:
    """Everything through Core inserts with explicit ids (one transaction); play logs by COPY on
    PostgreSQL. Returns row counts."""
    rng = random.Random(SEED)
    with engine.begin() as connection:
        connection.execute(insert(Area), [{"id": 1, "code": "P", "name": "Tỉnh", "level": "province",
                                           "parent_id": None}])
        areas, stations, windows, devices = [], [], [], []
        for c in range(communes):
            commune_id = 2 + c * (villages + 1)
            areas.append({"id": commune_id, "code": f"P-{c:03d}", "name": f"Xã {c}", "level": "commune",
                          "parent_id": 1})
            stations.append({"id": c + 1, "code": f"st{c:03d}", "name": f"Đài xã {c}", "area_id": commune_id,
                             "schedule_version": 1})
            for n, (name, start, end) in enumerate((("sang", time(5, 30), time(6)), ("chieu", time(17), time(17, 30)))):
                windows.append({"id": 2 * c + n + 1, "station_id": c + 1, "name": name, "days": SIX,
                                "start_time": start, "end_time": end, "valid_from": None, "valid_to": None})
            for v in range(villages):
                areas.append({"id": commune_id + 1 + v, "code": f"P-{c:03d}-{v:02d}", "name": f"Thôn {v}",
                              "level": "village", "parent_id": commune_id})
                devices.append({"id": c * villages + v + 1, "code": f"loa-{c:03d}-{v:02d}",
                                "area_id": commune_id + 1 + v, "station_id": c + 1, "status": "online"})
        connection.execute(insert(Area), areas)
        connection.execute(insert(Station), stations)
        connection.execute(insert(BroadcastWindow), windows)
        connection.execute(insert(Device), devices)
        connection.execute(insert(Plan), [{"id": 1, "code": "kh", "title": "Kế hoạch", "issued_by_id": 1,
                                           "report_due": date(YEAR + 1, 1, 15), "timezone": "Asia/Ho_Chi_Minh"}])
        connection.execute(insert(Series), [{"id": s + 1, "plan_id": 1, "code": f"s{s}", "title": f"Chuyên mục {s}"}
                                            for s in range(10)])
        media, episodes = [], []
        for s in range(10):
            for w in range(53):
                sha = hashlib.sha256(f"{s}/{w}".encode()).hexdigest()
                media.append({"sha256": sha, "suffix": "mp3", "bytes": 1, "duration_s": 120.0, "codec": "mp3",
                              "sample_rate": 44100, "channels": 1, "is_canonical": True,
                              "created_at": NOW})
                episodes.append({"id": s * 53 + w + 1, "series_id": s + 1, "code": f"s{s}-w{w:02d}",
                                 "title": f"Tập {w}", "media_sha256": sha, "created_at": NOW})
        connection.execute(insert(MediaFile), media)
        connection.execute(insert(Episode), episodes)
        connection.execute(insert(Requirement), [
            {"id": n + 1, "plan_id": 1, "code": f"r{n}", "series_id": s + 1, "period": period, "min_airings": low,
             "max_airings": high, "new_episodes": new, "days": days, "windows": wins, "levels": ("commune",),
             "duration_min": dmin, "duration_max": dmax, "min_gap_days": 1, "date_from": START, "date_to": END,
             "priority": "normal"}
            for n, (s, period, low, high, new, days, wins, dmin, dmax) in enumerate(REQUIREMENTS)])
        connection.execute(insert(requirement_areas), [{"requirement_id": n + 1, "area_id": 1}
                                                       for n in range(len(REQUIREMENTS))])
        entries, logs = _entries_and_logs(rng, communes, villages)
        for chunk in range(0, len(entries), 20000):
            connection.execute(insert(ScheduleEntry), entries[chunk:chunk + 20000])
        _insert_logs(connection, logs)
    return {"stations": communes, "devices": communes * villages, "entries": len(entries), "play_logs": len(logs)}


def _entries_and_logs(rng: random.Random, communes: int, villages: int) -> tuple[list[dict], list[tuple]]:
    entries, logs = [], []
    created = datetime(YEAR - 1, 12, 1, tzinfo=timezone.utc)
    day, entry_id = START, 0
    while day <= END:
        if day.weekday() < 6:
            week = min(day.isocalendar()[1] - 1, 52)
            for c in range(communes):
                for k, (window, at) in enumerate(SLOTS):
                    entry_id += 1
                    series = (day.toordinal() * 5 + k + c) % 10
                    episode = series * 53 + (week if (day.weekday() + k) % 3 else max(week - 1, 0)) + 1
                    start = datetime.combine(day, at, TZ).astimezone(timezone.utc)
                    entries.append({"id": entry_id, "uuid": uuid.UUID(int=rng.getrandbits(128)), "station_id": c + 1,
                                    "start_at": start, "end_at": start + timedelta(seconds=120), "local_date": day,
                                    "window_name": window, "kind": "episode", "title": "Tập", "episode_id": episode,
                                    "series_id": series + 1, "requirement_id": None, "origin": "planner",
                                    "is_pinned": False, "status": "planned", "created_at": created})
                    missed = rng.random() < 0.03
                    for v in range(villages):
                        status = "failed" if missed or rng.random() < 0.005 else "played"
                        logs.append((uuid.UUID(int=rng.getrandbits(128)), c * villages + v + 1, entry_id, episode,
                                     start, start + timedelta(seconds=120), status, start + timedelta(minutes=5)))
        day += timedelta(days=1)
    return entries, logs


LOG_COLUMNS = ("client_uuid", "device_id", "entry_id", "episode_id", "started_at", "ended_at", "status",
               "received_at")


def _insert_logs(connection, logs: list[tuple]) -> None:
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor().copy(f"COPY play_logs ({', '.join(LOG_COLUMNS)}) FROM STDIN") as copy:
            for row in logs:
                copy.write_row(row)
        return
    for chunk in range(0, len(logs), 50000):
        connection.execute(insert(PlayLog), [dict(zip(LOG_COLUMNS, row)) for row in logs[chunk:chunk + 50000]])


def measure(url: str, communes: int, villages: int, repeat: int) -> dict:
    engine = make_engine(url)
    try:
        schema.upgrade(engine)
        began = clock.perf_counter()
        counts = populate(engine, communes, villages)
        # Planner statistics and (PostgreSQL) the visibility map, as a live database has them; and
        # no autovacuum of the fresh millions of rows running during the measurements.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
        print(f"  set-up: {counts} in {clock.perf_counter() - began:.0f} s", flush=True)
        best = {"report": float("inf"), "baseline": float("inf"), "report_cpu": float("inf")}
        for _ in range(repeat):
            with Session(engine) as session:
                began = clock.perf_counter()
                groups = session.execute(BASELINE).all()
                best["baseline"] = min(best["baseline"], clock.perf_counter() - began)
            with Session(engine) as session:
                province = session.get(Area, 1)
                began, cpu = clock.perf_counter(), clock.process_time()
                report = compliance_report(session, area=province, start=START, end=END, now=NOW, tz=TZ)
                best["report"] = min(best["report"], clock.perf_counter() - began)
                best["report_cpu"] = min(best["report_cpu"], clock.process_time() - cpu)
        statuses: dict[str, int] = {}
        for row in report.rows:
            statuses[row.status] = statuses.get(row.status, 0) + 1
        return {**best, "rows": len(report.rows), "groups": len(groups), "statuses": statuses, **counts}
    finally:
        engine.dispose()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--villages", type=int, default=10, help="villages (devices) per commune")
    parser.add_argument("--repeat", type=int, default=3, help="measurements of each kind; the best counts")
    parser.add_argument("--database-url", help="sqlite:///NEW_FILE or postgresql://USER@HOST:PORT[/NEW_DB]")
    args = parser.parse_args(argv)
    if min(args.communes, args.villages, args.repeat) < 1:
        parser.error("--communes, --villages and --repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="bench-compliance-") as tmp:
        databases = Databases(args.database_url, Path(tmp), prefix="bench_compliance")
        print(f"province: {args.communes} communes × {args.villages} villages, {len(REQUIREMENTS)} requirements, "
              f"{START} to {END}; database: {databases.dialect}; best of {args.repeat}", flush=True)
        try:
            with databases.fresh() as url:
                result = measure(url, args.communes, args.villages, args.repeat)
        finally:
            databases.close()
    print(f"  report rows: {result['rows']} ({', '.join(f'{k} {v}' for k, v in sorted(result['statuses'].items()))})")
    print(f"  compliance report:            {result['report']:8.2f} s"
          f" (of which this process's CPU, the Python side: {result['report_cpu']:.2f} s)")
    print(f"  raw COUNT … GROUP BY ({result['groups']} groups): {result['baseline']:8.2f} s")
    print(f"  ratio: {result['report'] / result['baseline']:.2f}× (goal ≤ 3×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
