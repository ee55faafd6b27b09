"""Benchmark: ``radio schedule build`` of a province-year as a whole process, against a plain
``sqlite3`` executemany of as many rows in a fresh process (and on PostgreSQL, against a plain
``COPY``).

    python benchmarks/bench_build_process.py [--communes 100] [--requirements 10] [--repeat 5]
                                             [--profile FILE] [--postgresql postgresql://USER@HOST:PORT]

Set-up (not measured): the synthetic province of ``bench_scheduler.py`` written once into a
migrated SQLite file, which is copied afresh before every measured process.

Measured, ``--repeat`` times each, alternating, as a user meets them (wall-clock, whole
processes, interpreter start included):

1. the build: ``radio schedule build --from 2027-01-01 --to 2027-12-31``
   (this checkout's code, through ``_radio.py``) on a copy of the set-up;
2. the anchor: ``python -c`` that loads the rows the build wrote (pickled beforehand) and
   inserts them with the standard library's ``sqlite3`` executemany into
   ``schedule_entries`` of another copy of the set-up, then commits.

With ``--postgresql URL`` the same again on PostgreSQL: the set-up is written once into a
database ``bench_build_<pid>_setup`` and each measured process gets a fresh copy of it
(``CREATE DATABASE ... TEMPLATE``, dropped afterwards); the anchor there loads the rows the
build wrote and sends them with psycopg's ``COPY ... FROM STDIN``, then commits.

Prints the median of each and their ratio, and the machine's load. ``--profile FILE``
runs one more build (on SQLite) under cProfile (``-m cProfile -o FILE``) and prints its top
functions. Nothing here asserts on timings.
"""
from __future__ import annotations

import argparse
import os
import pickle
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import sessionmaker

import bench_scheduler as province  # beside this script
from radio import schema
from radio.db import make_engine

ROOT = Path(__file__).resolve().parent.parent

ANCHOR = """
import pickle, sqlite3, sys
database, rows_file = sys.argv[1:3]
with open(rows_file, "rb") as f:
    columns, rows = pickle.load(f)
connection = sqlite3.connect(database)
connection.executemany(
    f"INSERT INTO schedule_entries ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
connection.commit()
connection.close()
"""

COPY_ANCHOR = """
import pickle, psycopg, sys
url, rows_file = sys.argv[1:3]
with open(rows_file, "rb") as f:
    columns, rows = pickle.load(f)
with psycopg.connect(url) as connection:
    with connection.cursor().copy(f"COPY schedule_entries ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
"""


def set_up(url: str, communes: int, requirements: int) -> None:
    engine = make_engine(url)
    try:
        schema.upgrade(engine)
        with sessionmaker(engine)() as session:
            province.populate(session, communes, requirements)
            session.commit()
    finally:
        engine.dispose()


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def build_command(prefix: list[str]) -> list[str]:
    return [*prefix, str(Path(__file__).with_name("_radio.py")), "schedule", "build",
            "--from", f"{province.START}", "--to", f"{province.END}"]


def dump_rows(connect, rows_file: Path) -> int:
    """The entries the build wrote, as the anchor will insert them (``connect()``: a DB-API
    connection to the built database)."""
    connection = connect()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT * FROM schedule_entries ORDER BY id")
        columns = [d[0] for d in cursor.description if d[0] != "id"]
        keep = [i for i, d in enumerate(cursor.description) if d[0] != "id"]
        rows = [tuple(row[i] for i in keep) for row in cursor]
    finally:
        connection.close()
    rows_file.write_bytes(pickle.dumps((columns, rows)))
    return len(rows)


def on_sqlite(args, tmp: Path, python: str) -> tuple[list[float], list[float], int]:
    template, database, rows_file = tmp / "set-up.db", tmp / "radio.db", tmp / "rows.pickle"
    set_up(f"sqlite:///{template}", args.communes, args.requirements)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(ROOT)}
    builds, anchors, count = [], [], 0
    for _ in range(args.repeat):
        shutil.copyfile(template, database)
        builds.append(timed(build_command([python]), env))
        count = dump_rows(lambda: sqlite3.connect(database), rows_file)
        shutil.copyfile(template, database)
        anchors.append(timed([python, "-c", ANCHOR, str(database), str(rows_file)], env))
    if args.profile:
        shutil.copyfile(template, database)
        timed(build_command([python, "-m", "cProfile", "-o", args.profile]), env)
    return builds, anchors, count


def on_postgresql(args, tmp: Path, python: str) -> tuple[list[float], list[float], int]:
    import psycopg

    server = args.postgresql.rstrip("/")
    name = f"bench_build_{os.getpid()}"
    template, rows_file = f"{name}_setup", tmp / "rows-pg.pickle"

    def admin(statement: str) -> None:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(statement)

    admin(f'CREATE DATABASE "{template}"')
    try:
        set_up(f"{server}/{template}", args.communes, args.requirements)
        env = {**os.environ, "DATABASE_URL": f"{server}/{name}", "PYTHONPATH": str(ROOT)}
        builds, anchors, count = [], [], 0
        for _ in range(args.repeat):
            for measured in ("build", "anchor"):
                admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                try:
                    if measured == "build":
                        builds.append(timed(build_command([python]), env))
                        count = dump_rows(lambda: psycopg.connect(f"{server}/{name}"), rows_file)
                    else:
                        anchors.append(timed([python, "-c", COPY_ANCHOR, f"{server}/{name}", str(rows_file)], env))
                finally:
                    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    return builds, anchors, count


def report(what: str, anchor_name: str, builds: list[float], anchors: list[float]) -> None:
    build, anchor = statistics.median(builds), statistics.median(anchors)
    print(f"{what}: build process {build:7.2f} s  (runs {', '.join(f'{t:.2f}' for t in builds)})")
    print(f"{what}: {anchor_name:13} {anchor:7.2f} s  (runs {', '.join(f'{t:.2f}' for t in anchors)})")
    print(f"{what}: ratio         {build / anchor:7.2f}   goal <= 3.0")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--requirements", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", metavar="FILE")
    parser.add_argument("--postgresql", metavar="URL", help="postgresql://USER@HOST:PORT: measure there too "
                        "(in throw-away databases bench_build_<pid>[_setup])")
    args = parser.parse_args(argv)
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        results = {"sqlite": on_sqlite(args, Path(tmp), python)}
        if args.postgresql:
            results["postgresql"] = on_postgresql(args, Path(tmp), python)
    count = results["sqlite"][2]
    print(f"province: {args.communes} communes, {args.requirements} requirements each, "
          f"{province.START} to {province.END}; {count} entries; median of {args.repeat}; "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report("sqlite", "sqlite3 process", *results["sqlite"][:2])
    if args.postgresql:
        report("postgresql", "COPY process", *results["postgresql"][:2])
    if args.profile:
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(45)
    return 0


if __name__ == "__main__":
    sys.exit(main())
