"""Benchmark: ``radio schedule build`` of a province-year as a whole process, against a plain
``sqlite3`` executemany of as many rows in a fresh process.

    python benchmarks/bench_build_process.py [--communes 100] [--requirements 10] [--repeat 5]
                                             [--profile FILE]

Set-up (not measured): the synthetic province of ``bench_scheduler.py`` written once into a
migrated SQLite file, which is copied afresh before every measured process.

Measured, ``--repeat`` times each, alternating, as a user meets them (wall-clock, whole
processes, interpreter start included):

1. the build: ``radio schedule build --from 2027-01-01 --to 2027-12-31``
   (this checkout's code, through ``_radio.py``) on a copy of the set-up;
2. the anchor: ``python -c`` that loads the rows the build wrote (pickled beforehand) and
   inserts them with the standard library's ``sqlite3`` executemany into
   ``schedule_entries`` of another copy of the set-up, then commits.

Prints the median of each and their ratio, and the machine's load. ``--profile FILE``
runs one more build under cProfile (``-m cProfile -o FILE``) and prints its top functions.
Nothing here asserts on timings.
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


def set_up(path: Path, communes: int, requirements: int) -> None:
    engine = make_engine(f"sqlite:///{path}")
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


def dump_rows(database: Path, rows_file: Path) -> int:
    """The entries the build wrote, as the anchor will insert them."""
    with sqlite3.connect(database) as connection:
        cursor = connection.execute("SELECT * FROM schedule_entries ORDER BY id")
        columns = [d[0] for d in cursor.description if d[0] != "id"]
        keep = [i for i, d in enumerate(cursor.description) if d[0] != "id"]
        rows = [tuple(row[i] for i in keep) for row in cursor]
    rows_file.write_bytes(pickle.dumps((columns, rows)))
    return len(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--requirements", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", metavar="FILE")
    args = parser.parse_args(argv)
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        template, database, rows_file = tmp / "set-up.db", tmp / "radio.db", tmp / "rows.pickle"
        set_up(template, args.communes, args.requirements)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(ROOT)}
        builds, anchors, count = [], [], 0
        for _ in range(args.repeat):
            shutil.copyfile(template, database)
            builds.append(timed(build_command([python]), env))
            count = dump_rows(database, rows_file)
            shutil.copyfile(template, database)
            anchors.append(timed([python, "-c", ANCHOR, str(database), str(rows_file)], env))
        if args.profile:
            shutil.copyfile(template, database)
            timed(build_command([python, "-m", "cProfile", "-o", args.profile]), env)
    build, anchor = statistics.median(builds), statistics.median(anchors)
    print(f"province: {args.communes} communes, {args.requirements} requirements each, "
          f"{province.START} to {province.END}; {count} entries; median of {args.repeat}; "
          f"load {Path('/proc/loadavg').read_text().split()[:3]}")
    print(f"build process   {build:7.2f} s  (runs {', '.join(f'{t:.2f}' for t in builds)})")
    print(f"sqlite3 process {anchor:7.2f} s  (runs {', '.join(f'{t:.2f}' for t in anchors)})")
    print(f"ratio           {build / anchor:7.2f}   goal <= 3.0")
    if args.profile:
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(45)
    return 0


if __name__ == "__main__":
    sys.exit(main())
