"""Benchmark: a year of schedules for a synthetic province against a raw bulk insert.

    python benchmarks/bench_scheduler.py [--communes 100] [--requirements 10] [--repeat 1]
                                         [--database-url URL] [--profile FILE]

Set-up (not measured): into a fresh, migrated database the ORM writes, in one transaction,
one province of N communes, one station each (windows ``sang`` 05:30-06:00 with a 10-minute
relay at 05:30 and ``chieu`` 17:00-17:30, Monday to Saturday), a few province-wide series
plus a local news series per commune, episodes with media rows (fake sha256, 60-170 s, no
files) for most series, some left missing so that reservations appear, and R requirements
per station (week, month and quarter periods, min 1-2, some asking new episodes, some
restricted to days, windows or durations; two share airings).

Measured, in one run:

1. the full build: ``build_schedule`` for every station over 2027 + commit, split into
   ``load_inputs`` (rows → planner inputs), the pure ``plan()`` and storing (the rest:
   reading existing entries, reconciling, flush, commit);
2. the baseline: the rows that build wrote to ``schedule_entries`` inserted again, read
   back and prepared before the clock starts, with SQLAlchemy Core executemany in one
   transaction into another fresh database of the same dialect holding the same set-up;
3. incremental rebuilds of one station for the whole year after a change to its inputs:
   an episode added to its local series (fills reservations), then one of its requirements
   edited (moves entries).

Wall-clock times are the figures; this process's CPU time is printed too, as a steadier
ratio on a busy machine (it leaves out the PostgreSQL server's work). ``--repeat N``
repeats everything on fresh databases and keeps the best of each kind.

Databases as in ``bench_import.py`` (``_common.Databases``): a fresh SQLite file in a
temporary folder by default; with ``postgresql://USER@HOST:PORT[/NAME]`` the database
(default ``bench_scheduler_<pid>``) is created for each measurement and dropped after it.
Nothing here asserts on timings: it only reports them. ``bench_build_process.py`` measures
the same build as a user meets it: a whole ``radio`` process against a plain ``sqlite3`` one.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import random
import sys
import tempfile
import time as clock
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from radio import schema
from radio.db import make_engine
from radio.models import (
    Area, BroadcastWindow, Episode, FixedBlock, MediaFile, Plan, Requirement, ScheduleEntry, Series,
    Station,
)
from radio.schedule import operations
from radio.schedule.operations import build_schedule

from _common import Databases  # beside this script

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = 2027
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)
NOW = datetime(YEAR - 1, 12, 20, 3, 0, tzinfo=timezone.utc)  # a Sunday before the year starts
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA")
SEED = 2027

# Province-wide series: code, title, episodes (code suffix, available_from, expires).
# None of y-te's episodes exist: every airing of it is a reservation.


def _weekly(n: int, expires_after: int):
    first = date.fromisocalendar(YEAR, 1, 1)
    return [(f"w{w:02d}", first + timedelta(weeks=w - 1),
             first + timedelta(weeks=w - 1, days=expires_after)) for w in range(1, n + 1)]


def _monthly(months):
    return [(f"m{m:02d}", date(YEAR, m, 1), None) for m in months]


def _evergreen(n: int):
    return [(f"{k:02d}", None, None) for k in range(1, n + 1)]


SERIES = (
    ("cds", "Chuyên mục Chuyển đổi số", _weekly(52, 27)),
    ("phap-luat", "Chuyên mục Pháp luật và đời sống", _monthly(range(1, 13))),
    ("khau-hieu", "Khẩu hiệu", _evergreen(6)),
    ("nong-thon-moi", "Chuyên mục Xây dựng nông thôn mới", _monthly((1, 4, 7))),  # no Q4 issue
    ("atgt", "An toàn giao thông", _evergreen(10)),
    ("y-te", "Sức khỏe cộng đồng", []),
    ("quoc-phong", "Quốc phòng toàn dân", _monthly((1, 4, 7, 10))),
    ("moi-truong", "Bảo vệ môi trường", _evergreen(6)),
)

# Requirement templates, cycled: series ("local" = the commune's own news), period, min, max,
# new_episodes, days, windows, duration (min, max), min_gap_days, priority.
TEMPLATES = (
    ("local", "week", 2, 2, 1, ("TU", "TH"), (), None, 1, "priority"),
    ("cds", "week", 1, 2, 1, DAYS, (), None, 1, "normal"),
    ("cds", "week", 1, 2, 0, DAYS, ("chieu",), (120, 180), 1, "normal"),  # shares cds airings
    ("phap-luat", "month", 2, 2, 1, DAYS, (), None, 5, "normal"),
    ("khau-hieu", "week", 2, 3, 0, DAYS, ("chieu",), (30, 120), 1, "normal"),
    ("nong-thon-moi", "quarter", 2, 3, 1, ("MO", "WE", "FR"), (), None, 7, "normal"),
    ("atgt", "week", 1, 1, 0, ("MO", "WE", "FR"), ("sang",), None, 1, "normal"),
    ("y-te", "month", 1, 2, 1, DAYS, (), None, 1, "normal"),
    ("quoc-phong", "quarter", 1, 2, 1, DAYS, (), None, 1, "normal"),
    ("moi-truong", "month", 1, 1, 0, ("SA",), (), (60, 170), 1, "normal"),
)


def station_code(c: int) -> str:
    return f"st-c{c:03d}"


def local_weeks(c: int) -> range:
    """Weeks of the year the commune's own news has an episode for: every fifth commune stops
    after week 30, so the rest of its year is reservations."""
    return range(1, 31) if c % 5 == 0 else range(1, 53)


def _media(rng: random.Random, key: str, low: int = 60, high: int = 170) -> MediaFile:
    return MediaFile(sha256=hashlib.sha256(key.encode()).hexdigest(), suffix="mp3", bytes=1_000_000,
                     duration_s=float(rng.randint(low, high)), codec="mp3", sample_rate=44100, channels=1,
                     created_at=NOW)


def populate(session: Session, communes: int, requirements: int) -> dict[str, int]:
    """The synthetic province, written with the ORM in the caller's transaction."""
    rng = random.Random(SEED)
    province = Area(code="BM", name="Tỉnh Thử Nghiệm", level="province")
    plan = Plan(code=f"bench-{YEAR}", title=f"Kế hoạch tuyên truyền thử nghiệm năm {YEAR}",
                document="1/KH-UBND", issued_by=province, report_due=date(YEAR, 12, 15))
    rows = Counter()
    series = {}
    for code, title, episodes in SERIES:
        series[code] = Series(plan=plan, code=code, title=title)
        for suffix, available_from, expires in episodes:
            key = f"{code}-{suffix}"
            low, high = (60, 90) if code == "khau-hieu" else (60, 170)
            series[code].episodes.append(Episode(
                code=key, title=f"{title} {suffix}", media=_media(rng, key, low, high),
                available_from=available_from, expires=expires, created_at=NOW))
    session.add_all([province, plan, *series.values()])
    for c in range(1, communes + 1):
        commune = Area(code=f"BM-C{c:03d}", name=f"xã Thử Nghiệm {c}", level="commune", parent=province)
        station = Station(code=station_code(c), name=f"Đài truyền thanh xã Thử Nghiệm {c}", area=commune)
        sang = BroadcastWindow(name="sang", days=DAYS, start_time=time(5, 30), end_time=time(6, 0))
        chieu = BroadcastWindow(name="chieu", days=DAYS, start_time=time(17, 0), end_time=time(17, 30))
        station.windows += [sang, chieu]
        station.blocks.append(FixedBlock(window=sang, at=time(5, 30), kind="relay", title="Tiếp sóng Đài tỉnh",
                                         source="http://example.invalid/stream", duration_s=600))
        local = Series(plan=plan, code=f"tin-c{c:03d}", title=f"Bản tin xã Thử Nghiệm {c}")
        for w in local_weeks(c):
            monday = date.fromisocalendar(YEAR, w, 1)
            key = f"tin-c{c:03d}-w{w:02d}"
            local.episodes.append(Episode(code=key, title=f"Bản tin tuần {w}", media=_media(rng, key),
                                          available_from=monday, expires=monday + timedelta(days=13),
                                          created_at=NOW))
        session.add_all([commune, station, local])
        for r in range(requirements):
            name, period, low, high, new, days, windows, duration, gap, priority = TEMPLATES[r % len(TEMPLATES)]
            session.add(Requirement(
                plan=plan, code=f"c{c:03d}-r{r + 1:02d}", series=local if name == "local" else series[name],
                stations=[station], period=period, min_airings=low, max_airings=high, new_episodes=new,
                days=days, windows=windows, levels=(),
                duration_min=duration[0] if duration else None, duration_max=duration[1] if duration else None,
                min_gap_days=gap, date_from=START, date_to=END, priority=priority))
    session.flush()
    for model in (Station, Series, Episode, MediaFile, Requirement):
        rows[model.__tablename__] = session.scalar(select(func.count()).select_from(model))
    return dict(rows)


# -- measuring -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Times:
    """Wall-clock seconds and this process's CPU seconds (the PostgreSQL server's are not in
    the latter); on a busy machine the CPU figure is the steadier one."""

    wall: float = 0.0
    cpu: float = 0.0

    def __add__(self, other: Times) -> Times:
        return Times(self.wall + other.wall, self.cpu + other.cpu)

    def __sub__(self, other: Times) -> Times:
        return Times(self.wall - other.wall, self.cpu - other.cpu)


def now() -> Times:
    return Times(clock.perf_counter(), clock.process_time())


@dataclass
class Split:
    """Time spent in the pieces of build_schedule, collected by wrapping them."""

    load: Times = Times()
    plan: Times = Times()


@contextmanager
def timed_pieces(split: Split):
    """Times ``load_inputs`` and the pure ``plan`` as build_schedule calls them."""
    originals = operations.load_inputs, operations.plan

    def wrap(function, attribute):
        def timed(*args, **kwargs):
            start = now()
            try:
                return function(*args, **kwargs)
            finally:
                setattr(split, attribute, getattr(split, attribute) + (now() - start))
        return timed

    operations.load_inputs, operations.plan = wrap(originals[0], "load"), wrap(originals[1], "plan")
    try:
        yield split
    finally:
        operations.load_inputs, operations.plan = originals


@dataclass
class Build:
    total: Times
    split: Split
    report: operations.BuildReport
    commit: Times = Times()

    @property
    def store(self) -> Times:
        """Everything but loading and planning: existing entries, reconciling, writing, commit."""
        return self.total - self.split.load - self.split.plan

    def line(self) -> str:
        r = self.report
        return (f"created {r.created}, kept {r.kept}, filled {r.filled}, cancelled {r.cancelled}; "
                f"{len(r.stations_changed)} station(s) changed")


def build(factory: sessionmaker, stations: set[str] | None, profile: cProfile.Profile | None) -> Build:
    """One build_schedule + commit in a new session, as the CLI runs it."""
    with factory() as session, timed_pieces(Split()) as split:
        session.execute(select(1))  # connect before the clock starts, as a command would be
        session.rollback()
        if profile is not None:
            profile.enable()
        start = now()
        report = build_schedule(session, None, START, END, now=NOW, tz=TZ, stations=stations)
        committing = now()
        session.commit()
        end = now()
        if profile is not None:
            profile.disable()
    return Build(end - start, split, report, commit=end - committing)


def entry_rows(engine) -> list[dict]:
    """Every schedule_entries row as written, without the generated id."""
    table = ScheduleEntry.__table__
    columns = [c for c in table.columns if c.name != "id"]
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(select(*columns).order_by(table.c.id))]


def set_up(url: str, communes: int, requirements: int):
    engine = make_engine(url)
    schema.upgrade(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    start = clock.perf_counter()
    with factory() as session:
        rows = populate(session, communes, requirements)
        session.commit()
    return engine, factory, rows, clock.perf_counter() - start


def run_baseline(url: str, communes: int, requirements: int, rows: list[dict]) -> Times:
    """One Core executemany of ``rows`` into a fresh database after the same set-up."""
    engine, _factory, _counts, _ = set_up(url, communes, requirements)
    try:
        with engine.connect() as connection:
            connection.execute(select(1))
            connection.rollback()
            start = now()
            with connection.begin():
                connection.execute(ScheduleEntry.__table__.insert(), rows)
            seconds = now() - start
            written = connection.scalar(select(func.count()).select_from(ScheduleEntry))
    finally:
        engine.dispose()
    if written != len(rows):
        sys.exit(f"baseline wrote {written} rows, expected {len(rows)}")
    return seconds


@dataclass
class Run:
    """One measurement: set-up, full build, incremental rebuilds, then the baseline."""

    set_up: float = 0.0
    rows: dict = field(default_factory=dict)
    full: Build | None = None
    written: Counter = field(default_factory=Counter)  # entries by kind
    baseline: Times = Times()
    incremental: list[tuple[str, Build]] = field(default_factory=list)


def change_episode(factory: sessionmaker, code: str) -> str:
    """An episode for the first week the station's own news has none, which fills reservations
    (with fewer than 5 communes no station lacks one: a second episode for week 2 then)."""
    c = int(code.removeprefix("st-c"))
    week = next((w for w in range(1, 53) if w not in local_weeks(c)), 2)
    monday, key = date.fromisocalendar(YEAR, week, 1), f"tin-c{c:03d}-w{week:02d}-extra"
    with factory() as session:
        series = session.scalar(select(Series).where(Series.code == f"tin-c{c:03d}"))
        session.add(Episode(series=series, code=key, title=f"Bản tin tuần {week} (bổ sung)",
                            media=_media(random.Random(key), key), available_from=monday,
                            expires=monday + timedelta(days=13), created_at=NOW))
        session.commit()
    return f"episode added to tin-c{c:03d} for week {week}"


def change_requirement(factory: sessionmaker, code: str) -> str:
    """One requirement of the station moved to other days."""
    c = int(code.removeprefix("st-c"))
    with factory() as session:
        requirement = session.scalars(select(Requirement).where(Requirement.code.like(f"c{c:03d}-r%"))
                                      .order_by(Requirement.code)).all()[-1]
        before = requirement.days
        requirement.days = ("TU", "TH", "SA") if before != ("TU", "TH", "SA") else ("MO", "WE", "FR")
        session.commit()
        return f"requirement {requirement.code} days {','.join(before)} -> {','.join(requirement.days)}"


def measure(databases: Databases, communes: int, requirements: int, profile) -> Run:
    run = Run()
    with databases.fresh() as url:
        engine, factory, run.rows, run.set_up = set_up(url, communes, requirements)
        try:
            print(f"  set-up {run.set_up:.1f} s ({', '.join(f'{k} {v}' for k, v in run.rows.items())})", flush=True)
            run.full = build(factory, None, profile)
            rows = entry_rows(engine)
            run.written = Counter(row["kind"] for row in rows)
            total = run.full.total
            print(f"  full build {total.wall:.2f} s (CPU {total.cpu:.2f} s), {len(rows)} entries", flush=True)
            target = station_code(5 if communes >= 5 else communes)
            other = station_code(min(communes, 10))
            for change, code in ((change_episode, target), (change_requirement, other)):
                what = change(factory, code)
                run.incremental.append((f"{code}: {what}", build(factory, {code}, None)))
        finally:
            engine.dispose()
    with databases.fresh() as url:
        run.baseline = run_baseline(url, communes, requirements, rows)
    print(f"  baseline {run.baseline.wall:.2f} s (CPU {run.baseline.cpu:.2f} s)", flush=True)
    return run


# -- the report ---------------------------------------------------------------------------

def _best(builds: list[Build]) -> Build:
    return min(builds, key=lambda b: b.total.wall)


def report(runs: list[Run]) -> None:
    """The figures of the best run of each kind (by wall-clock time), with CPU time beside."""
    first = runs[0]
    full, base = _best([r.full for r in runs]), min((r.baseline for r in runs), key=lambda t: t.wall)
    n, result = sum(first.written.values()), first.full.report
    severities = Counter(s.severity for s in result.shortfalls)
    print(f"\nentries written: {n} ({', '.join(f'{k} {v}' for k, v in first.written.most_common())}); "
          f"{len(result.needs)} needs; shortfalls: "
          f"{', '.join(f'{v} {k}' for k, v in sorted(severities.items())) or 'none'}")
    print(f"full build: {full.line()}; runs {', '.join(f'{r.full.total.wall:.2f}' for r in runs)} s")
    print(f"\n{'':24}{'wall s':>9}{'share':>8}{'CPU s':>9}{'share':>8}")

    def row(name: str, t: Times, of: Times | None = None, extra: str = "") -> None:
        shares = (f"{t.wall / of.wall:8.1%}", f"{t.cpu / of.cpu:8.1%}") if of else ("", "")
        print(f"{name:<24}{t.wall:9.2f}{shares[0]:>8}{t.cpu:9.2f}{shares[1]:>8}  {extra}".rstrip())

    row("full build", full.total, None, f"{n / full.total.wall:.0f} entries/s")
    row("  load_inputs", full.split.load, full.total)
    row("  plan()", full.split.plan, full.total)
    row("  storing", full.store, full.total, f"commit {full.commit.wall:.2f} s")
    row("baseline", base, None, f"{n / base.wall:.0f} rows/s, Core executemany of the same rows")
    print(f"{'ratio build/baseline':<24}{full.total.wall / base.wall:9.2f}{'':8}{full.total.cpu / base.cpu:9.2f}"
          f"{'':8}  goal <= 3.0")
    print(f"{'ratio storing/baseline':<24}{full.store.wall / base.wall:9.2f}{'':8}{full.store.cpu / base.cpu:9.2f}")
    for k, (what, _) in enumerate(first.incremental):
        step = _best([r.incremental[k][1] for r in runs])
        print(f"\nincremental: {what}\n  {step.line()}")
        row("  rebuild, one station", step.total, None,
            f"load {step.split.load.wall:.2f} s, plan {step.split.plan.wall:.2f} s, store {step.store.wall:.2f} s")
        print(f"{'  ratio incremental/full':<24}{step.total.wall / full.total.wall:9.3f}{'':8}"
              f"{step.total.cpu / full.total.cpu:9.3f}")


# -- main ----------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--requirements", type=int, default=10, help="requirements per station")
    parser.add_argument("--database-url", help="sqlite:///NEW_FILE or postgresql://USER@HOST:PORT[/NEW_DB]")
    parser.add_argument("--repeat", type=int, default=1, help="measurements of each kind, each on fresh "
                        "databases; the best counts")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the full builds into FILE (.prof) and "
                        "print the top functions")
    args = parser.parse_args(argv)
    if min(args.communes, args.requirements, args.repeat) < 1:
        parser.error("--communes, --requirements and --repeat must be at least 1")

    with tempfile.TemporaryDirectory(prefix="bench-scheduler-") as tmp:
        databases = Databases(args.database_url, Path(tmp), prefix="bench_scheduler")
        print(f"province: {args.communes} communes, one station each (2 windows, a relay), "
              f"{args.requirements} requirements per station; {START} to {END}; database: {databases.dialect}; "
              f"best of {args.repeat}")
        profile = cProfile.Profile() if args.profile else None
        runs = []
        try:
            for i in range(args.repeat):
                print(f"run {i + 1}:", flush=True)
                runs.append(measure(databases, args.communes, args.requirements, profile))
        finally:
            databases.close()

    report(runs)
    if profile is not None:
        profile.dump_stats(args.profile)
        print(f"\nprofile of the full build(s) written to {args.profile}; top by internal time:")
        pstats.Stats(args.profile).sort_stats("tottime").print_stats(25)
        print("top by cumulative time:")
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
