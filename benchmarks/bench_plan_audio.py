"""Benchmark: importing a province's plan whose episodes share a few audio files.

    python benchmarks/bench_plan_audio.py [--communes 100] [--episodes 381] [--files 5]
                                          [--seconds 120] [--repeat 3]

The plan of bench_import.py (N communes) with `--episodes` episodes whose audio is one of
`--files` tone files of `--seconds` each (dump_plan writes the paths). Measured, median of
`--repeat` fresh SQLite databases: the first import, and the same unchanged file imported again.
The anchor, in the same run: converting each of the files once to the canonical format
(`audio_library.canonical.to_canonical`), the least an import of them can do. Also printed: the
ratio to the import times the issue measured before this change (114 s and 85 s). Nothing here
asserts on timings.
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import subprocess
import sys
import tempfile
import time as clock
from pathlib import Path

from audio_library.canonical import to_canonical
from radio import db as radio_db
from radio.plans import operations
from schedules.planfile import EpisodeSpec, dump_plan

from _common import Databases  # beside this script
from bench_import import NOW, make_document, migrated_app

BEFORE_FIRST_S, BEFORE_AGAIN_S = 114.0, 85.0  # the figures for this province, before


def tone(path: Path, seconds: int, frequency: int) -> Path:
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={seconds}",
                    "-ac", "1", "-ar", "44100", "-b:a", "128k", str(path)], check=True)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--episodes", type=int, default=381)
    parser.add_argument("--files", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-plan-audio-") as tmp:
        workdir = Path(tmp)
        files = [tone(workdir / f"tone-{i}.mp3", args.seconds, 300 + 100 * i) for i in range(args.files)]
        doc = make_document(args.communes, 10, 10)
        episodes = tuple(EpisodeSpec(f"ep-{e:03d}", "khau-hieu", f"Khẩu hiệu {e}", audio=files[e % len(files)],
                                     script=None, available_from=doc.requirements[0].date_from, expires=None)
                         for e in range(args.episodes))
        plan_path = workdir / "plan.yaml"
        plan_path.write_text(dump_plan(dataclasses.replace(doc, episodes=episodes, base_dir=workdir)), encoding="utf-8")
        print(f"plan: {args.communes} communes, {args.episodes} episodes on {args.files} files of {args.seconds} s; "
              f"median of {args.repeat}; load {Path('/proc/loadavg').read_text().split()[:3]}")

        anchors = []
        for _ in range(args.repeat):
            start = clock.perf_counter()
            for i, path in enumerate(files):
                to_canonical(path, workdir / f"canonical-{i}.mp3")
            anchors.append(clock.perf_counter() - start)

        databases, firsts, agains = Databases(None, workdir, prefix="bench_plan_audio"), [], []
        for run in range(args.repeat):
            with databases.fresh() as url:
                run_dir = workdir / f"run-{run}"
                app = migrated_app(url, run_dir)
                times = []
                for _ in range(2):
                    with app.app_context():
                        session = radio_db.session()
                        start = clock.perf_counter()
                        operations.import_plan(session, plan_path, actor=None, now=NOW)
                        session.commit()
                        times.append(clock.perf_counter() - start)
                app.extensions["radio.engine"].dispose()
                firsts.append(times[0])
                agains.append(times[1])
        anchor, first, again = map(statistics.median, (anchors, firsts, agains))
        print(f"anchor: {args.files} files converted once   {anchor:8.3f} s (runs {', '.join(f'{t:.2f}' for t in anchors)})")
        print(f"first import                 {first:8.3f} s (runs {', '.join(f'{t:.2f}' for t in firsts)}): "
              f"{first / anchor:.2f}x the anchor; {100 * first / BEFORE_FIRST_S:.1f} % of the {BEFORE_FIRST_S:.0f} s "
              "before (goal < 10 %)")
        print(f"unchanged re-import          {again:8.3f} s (runs {', '.join(f'{t:.2f}' for t in agains)}): "
              f"{100 * again / BEFORE_AGAIN_S:.1f} % of the {BEFORE_AGAIN_S:.0f} s before; touches no audio")
        print(f"load after: {Path('/proc/loadavg').read_text().split()[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
