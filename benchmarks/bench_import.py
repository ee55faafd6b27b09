"""Benchmark: importing a large plan file against a raw bulk insert of the same rows.

    python benchmarks/bench_import.py [--communes 100] [--villages 10] [--requirements 10]
                                      [--repeat 3] [--database-url URL] [--profile FILE]

A synthetic plan (one province, one district, N communes of M villages, one station of two
windows per commune, one device per village, a few series, a handful of scripted episodes,
R requirements per station) is written with ``dump_plan``, then imported with
``radio.plans.operations.import_plan`` (+ commit) into a fresh, migrated database. The
baseline inserts, into another fresh database of the same dialect, as many plausible rows
per table as the import wrote (audit_log included), with SQLAlchemy Core executemany in one
transaction. Each measurement is repeated (fresh databases each time) and the best kept.
Also shown: the import's parse time (``load_plan``) apart from its writing, the CPU time of
this process (steadier than wall time on a busy machine), and a second import of the same
file into the filled database (which must change nothing: it shows the cost of reading back).

Databases: by default a fresh SQLite file in a temporary folder. With
``--database-url sqlite:///FILE`` that file is used (it must not exist; it is removed after
each measurement). With ``--database-url postgresql://USER@HOST:PORT/NAME`` the database
NAME (default ``bench_import_<pid>``) is created before each measurement and dropped after
it; it must not exist beforehand. Nothing here asserts on timings: it only reports them.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path

from sqlalchemy import JSON, TypeDecorator, func, select

from radio import create_app, schema
from radio import db as radio_db
from radio.db import make_engine
from radio.models.base import CodeList
from radio.plans import operations
from schedules.planfile import (
    WEEKDAYS, AreaSpec, DeviceSpec, EpisodeSpec, PlanDocument, PlanSpec, RequirementSpec,
    ScriptSpec, SeriesSpec, StationSpec, WindowSpec, dump_plan,
)

from _common import Databases, data_tables  # beside this script

NOW = datetime(2026, 1, 1, 7, 30, tzinfo=timezone.utc)  # the import's instant (the rows' timestamps)

SERIES = (("cds", "Chuyên mục Chuyển đổi số"), ("phap-luat", "Chuyên mục Pháp luật và đời sống"),
          ("nong-thon-moi", "Chuyên mục Xây dựng nông thôn mới"), ("khau-hieu", "Khẩu hiệu"))
EPISODES = 5


# -- the synthetic plan ------------------------------------------------------------------

def make_document(communes: int, villages: int, requirements: int) -> PlanDocument:
    province, district = "BM", "BM-D1"
    areas = [AreaSpec(province, "Tỉnh Thử Nghiệm", "province", None),
             AreaSpec(district, "huyện Thử Nghiệm", "district", province)]
    stations, devices, reqs = [], [], []
    days = WEEKDAYS[:6]
    for c in range(1, communes + 1):
        commune = f"{district}-C{c:03d}"
        station = f"st-c{c:03d}"
        areas.append(AreaSpec(commune, f"xã Thử Nghiệm {c}", "commune", district))
        stations.append(StationSpec(
            station, f"Đài truyền thanh xã Thử Nghiệm {c}", commune,
            windows=(WindowSpec("sang", days, time(5, 30), time(6, 0), None, None),
                     WindowSpec("chieu", days, time(17, 0), time(17, 30), None, None)),
            closed=(), blocks=()))
        for v in range(1, villages + 1):
            village = f"{commune}-V{v:02d}"
            areas.append(AreaSpec(village, f"Thôn {v}", "village", commune))
            devices.append(DeviceSpec(f"loa-c{c:03d}-v{v:02d}", village, station))
        for r in range(1, requirements + 1):
            series = SERIES[r % len(SERIES)][0]
            reqs.append(RequirementSpec(
                code=f"c{c:03d}-r{r:02d}", series=series, stations=(station,), areas=(), levels=(),
                period="week", min=1, max=2, new_episodes=1 if r % 2 else 0,
                days=("TU", "TH") if r % 3 == 0 else WEEKDAYS,
                windows=("sang",) if r % 4 == 0 else (),
                duration_min=120 if r % 5 == 0 else None, duration_max=180 if r % 5 == 0 else None,
                min_gap_days=1, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31),
                priority="priority" if r == 1 else "normal", report_due=None))
    episodes = [EpisodeSpec(f"slogan-{e}", "khau-hieu", f"Khẩu hiệu {e}", audio=None,
                            script=ScriptSpec(f"Khẩu hiệu số {e}: chung tay xây dựng nông thôn mới."),
                            available_from=date(2026, 1, 1), expires=None)
                for e in range(1, EPISODES + 1)]
    return PlanDocument(
        version=1, timezone="Asia/Ho_Chi_Minh",
        plan=PlanSpec("bench-2026", "Kế hoạch tuyên truyền thử nghiệm năm 2026", "1/KH-UBND",
                      district, date(2026, 12, 15)),
        areas=tuple(areas), stations=tuple(stations), devices=tuple(devices),
        series=tuple(SeriesSpec(code, title) for code, title in SERIES),
        episodes=tuple(episodes), requirements=tuple(reqs))


# -- fresh databases (_common.Databases hands them out) ----------------------------

def migrated_app(url: str, workdir: Path):
    instance = workdir / "instance"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "MEDIA_DIR": str(workdir / "media"),
                      "SECRET_KEY": "bench", "JOBS": "inline", "REDIS_URL": None, "TESTING": True})
    schema.upgrade(app.extensions["radio.engine"])
    return app


# -- one import --------------------------------------------------------------------------

@dataclass
class ImportRun:
    seconds: float
    cpu_seconds: float  # this process's CPU time: less disturbed by a busy machine
    parse_seconds: float
    rows: dict[str, int]
    created: dict[str, int]
    reimport_seconds: float
    reimport_changed: bool


def run_import(url: str, plan_path: Path, workdir: Path, profile: cProfile.Profile | None) -> ImportRun:
    app = migrated_app(url, workdir)
    engine = app.extensions["radio.engine"]
    parse_times = []
    original = operations.load_plan

    def timed_load_plan(*args, **kwargs):
        start = clock.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            parse_times.append(clock.perf_counter() - start)

    operations.load_plan = timed_load_plan
    try:
        with app.app_context():
            session = radio_db.session()
            session.execute(select(1))  # connect before the clock starts, as a request would be
            session.rollback()
            if profile is not None:
                profile.enable()
            start, cpu = clock.perf_counter(), clock.process_time()
            summary = operations.import_plan(session, plan_path, actor=None, now=NOW)
            session.commit()
            seconds, cpu = clock.perf_counter() - start, clock.process_time() - cpu
            if profile is not None:
                profile.disable()
        with engine.connect() as connection:
            rows = {t.name: connection.scalar(select(func.count()).select_from(t)) for t in data_tables()}
        with app.app_context():  # the same file again, in a new session: reads everything, writes nothing
            session = radio_db.session()
            session.execute(select(1))
            session.rollback()
            start = clock.perf_counter()
            again = operations.import_plan(session, plan_path, actor=None, now=NOW)
            session.commit()
            reimport_seconds = clock.perf_counter() - start
    finally:
        operations.load_plan = original
        engine.dispose()
    return ImportRun(seconds, cpu, parse_times[0], {k: v for k, v in rows.items() if v},
                     dict(summary.created), reimport_seconds, again.changed)


# -- the baseline: the same number of rows per table, Core executemany ------------------

def _value(column, i: int, counts: dict[str, int], inserted: set[str]):
    """A plausible value for row `i` (0-based) of `column`'s table."""
    table = column.table
    if column.primary_key and not column.foreign_keys and column.type.python_type is int:
        return i + 1
    for fk in column.foreign_keys:
        target = fk.column.table.name
        if target == table.name:  # a tree: each row under an earlier one
            return None if i == 0 else (i - 1) // 10 + 1
        n = counts.get(target, 0)
        if n and target in inserted:
            return i % n + 1
        if column.nullable:
            return None
        raise RuntimeError(f"{table.name}.{column.name} needs a row in {target}")
    if column.nullable and not column.primary_key and i % 2 and column.name not in ("after",):
        return None
    kind = column.type
    if isinstance(kind, CodeList):
        return ("MO", "TU", "WE", "TH", "FR")
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, JSON):
        return {"code": f"{table.name}-{i}", "name": "Thôn 1", "level": "village"}
    python_type = kind.python_type
    if python_type is str:
        length = getattr(kind, "length", None)
        value = f"{table.name[:10]}-{column.name[:10]}-{i}"
        return value[-length:] if length else value
    if python_type is bool:
        return True
    if python_type is int:
        return i % 1000
    if python_type is float:
        return float(i)
    if python_type is datetime:
        return NOW
    if python_type is date:
        return date(2026, 1, 1)
    if python_type is time:
        return time(5, 30)
    raise RuntimeError(f"no plausible value for {table.name}.{column.name} ({kind})")


def baseline_rows(counts: dict[str, int]) -> list[tuple]:
    """(table, rows) in dependency order, built before the clock starts."""
    out, inserted = [], set()
    for table in data_tables():
        n = counts.get(table.name, 0)
        if n:
            out.append((table, [{c.name: _value(c, i, counts, inserted) for c in table.columns}
                                for i in range(n)]))
            inserted.add(table.name)
    return out


def run_baseline(url: str, workdir: Path, counts: dict[str, int]) -> tuple[float, dict[str, int]]:
    engine = make_engine(url)
    try:
        schema.upgrade(engine)
        batches = baseline_rows(counts)
        with engine.connect() as connection:
            connection.execute(select(1))
            connection.rollback()
            start, cpu = clock.perf_counter(), clock.process_time()
            with connection.begin():
                for table, rows in batches:
                    connection.execute(table.insert(), rows)
            seconds, cpu = clock.perf_counter() - start, clock.process_time() - cpu
            written = {t.name: connection.scalar(select(func.count()).select_from(t)) for t in data_tables()}
    finally:
        engine.dispose()
    return seconds, cpu, {k: v for k, v in written.items() if v}


# -- main --------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--villages", type=int, default=10)
    parser.add_argument("--requirements", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="measurements of each kind; the best counts")
    parser.add_argument("--database-url", help="sqlite:///NEW_FILE or postgresql://USER@HOST:PORT/NEW_DB")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the imports into FILE (.prof) and "
                        "print the top functions")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        workdir = Path(tmp)
        databases = Databases(args.database_url, workdir, prefix="bench_import")
        plan_path = workdir / "plan.yaml"
        doc = make_document(args.communes, args.villages, args.requirements)
        plan_path.write_text(dump_plan(doc), encoding="utf-8")
        print(f"plan: {args.communes} communes x {args.villages} villages, {args.requirements} "
              f"requirements per station; {plan_path.stat().st_size / 1024:.0f} KiB, "
              f"{plan_path.read_text(encoding='utf-8').count(chr(10))} lines")
        print(f"database: {databases.dialect}; best of {args.repeat}")

        profile = cProfile.Profile() if args.profile else None
        try:
            imports = []
            for _ in range(args.repeat):
                with databases.fresh() as url:
                    imports.append(run_import(url, plan_path, workdir, profile))
            counts = imports[0].rows
            baselines = []
            for _ in range(args.repeat):
                with databases.fresh() as url:
                    seconds, cpu, written = run_baseline(url, workdir, counts)
                if written != counts:
                    sys.exit(f"baseline wrote {written}, expected {counts}")
                baselines.append((seconds, cpu))
        finally:
            databases.close()

    best = min(imports, key=lambda run: run.seconds)
    total = sum(counts.values())
    print("\nrows written by the import, per table:")
    for name, n in sorted(counts.items(), key=lambda item: -item[1]):
        print(f"  {name:<22} {n:>7}")
    print(f"  {'total':<22} {total:>7}")
    base, base_cpu = min(baselines)
    print(f"\nimport   {best.seconds:8.3f} s  {total / best.seconds:10.0f} rows/s  "
          f"(parse {best.parse_seconds:.3f} s, write {best.seconds - best.parse_seconds:.3f} s; "
          f"cpu {best.cpu_seconds:.3f} s; runs {', '.join(f'{r.seconds:.3f}' for r in imports)})")
    print(f"baseline {base:8.3f} s  {total / base:10.0f} rows/s  "
          f"(cpu {base_cpu:.3f} s; runs {', '.join(f'{s:.3f}' for s, _ in baselines)})")
    print(f"ratio import/baseline = {best.seconds / base:.2f} (goal <= 3.0)")
    write = best.seconds - best.parse_seconds
    print(f"ratio parse/baseline = {best.parse_seconds / base:.2f}, write (import minus parse)/baseline = "
          f"{write / base:.2f}; ratio of cpu times = {best.cpu_seconds / base_cpu:.2f}")
    reimport = min(run.reimport_seconds for run in imports)
    changed = any(run.reimport_changed for run in imports)
    print(f"re-import of the same file {reimport:8.3f} s (best of {len(imports)}; "
          f"{'CHANGED records' if changed else 'no changes'}, as it must)")

    if profile is not None:
        profile.dump_stats(args.profile)
        print(f"\nprofile of {args.repeat} imports written to {args.profile}; top by cumulative time:")
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
