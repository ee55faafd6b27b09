"""Benchmark: how long a `radio` command takes to reach its work, as a whole process.

    python benchmarks/bench_start.py [--repeat 5] [--code ROOT]

Runs `radio --help` and `radio device status` (on a fresh, migrated SQLite database) as whole
processes, and the anchors `python -c pass` and `flask --help` (from an empty folder, so that
it finds no app), each `--repeat` times; prints the median wall time, the median max RSS and
the ratios. Also the floor under any command that reads the database through the models:
importing Flask and SQLAlchemy's ORM, then declaring the models and configuring their mappers
(`LIBRARY_FLOOR`), no code of the commands'. With `--code ROOT` the same commands also run against another checkout (e.g. the
code before a change), in the same run. Nothing here asserts on timings.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LIBRARY_FLOOR = "import flask, sqlalchemy.orm, radio.models; sqlalchemy.orm.configure_mappers()"


def measure(argv: list[str], env: dict, cwd: Path, repeat: int) -> tuple[float, float]:
    """Median wall seconds and median max RSS (MB) of `argv` run `repeat` times."""
    seconds, rss = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        seconds.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{' '.join(argv)} failed: {child.stderr.read().decode()}")
        rss.append(usage.ru_maxrss / 1024)
    return statistics.median(seconds), statistics.median(rss)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--code", type=Path, help="another checkout to measure the same way")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "RADIO_INSTANCE_PATH": str(tmp / "instance"),
               "DATABASE_URL": f"sqlite:///{tmp / 'radio.db'}", "SECRET_KEY": "bench"}
        env.pop("FLASK_APP", None)
        roots = [("this code", HERE)] + ([("--code", args.code.resolve())] if args.code else [])
        subprocess.run([BIN / "radio", "init-db"], env={**env, "PYTHONPATH": str(HERE)}, cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"load before: {Path('/proc/loadavg').read_text().split()[:3]}; median of {args.repeat}")
        python, _ = measure([sys.executable, "-c", "pass"], env, tmp, args.repeat)
        flask, flask_mb = measure([str(BIN / "flask"), "--help"], env, tmp, args.repeat)
        print(f"python -c pass   {python:6.3f} s")
        print(f"flask --help     {flask:6.3f} s {flask_mb:6.0f} MB")
        floor, floor_mb = measure([sys.executable, "-c", LIBRARY_FLOOR], {**env, "PYTHONPATH": str(HERE)}, tmp,
                                  args.repeat)
        print(f"library floor    {floor:6.3f} s {floor_mb:6.0f} MB  (python -c '{LIBRARY_FLOOR}')")
        for label, root in roots:
            code_env = {**env, "PYTHONPATH": str(root)}
            for command in (["--help"], ["device", "status"]):
                seconds, mb = measure([str(BIN / "radio"), *command], code_env, tmp, args.repeat)
                print(f"radio {' '.join(command):<12} {seconds:6.3f} s {mb:6.0f} MB  ({label}: "
                      f"{seconds / flask:.2f}x flask --help, {seconds / floor:.2f}x the library floor; "
                      f"goal <= 0.5 s{' and 60 MB' if command == ['--help'] else ''})")
        print(f"load after: {Path('/proc/loadavg').read_text().split()[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
