"""Benchmark: a 60-minute window rendered as one MP3, against ffmpeg's plain concat.

    python benchmarks/bench_render.py [--files 20] [--seconds 180] [--runs 5] [--keep DIR]

Makes ``--files`` canonical MP3s of ``--seconds`` each (once; with ``--keep`` they are
kept in DIR and reused by later runs), then times, alternating, in the same run:

- baseline: ``ffmpeg -f concat -safe 0 -i LIST -c copy`` of the files, back to back;
- render: ``render_window`` of the same files back to back (Info headers read, ID3 tags);
- render with gaps: the same files with 2 s between them and a 10-minute relay first
  (silence chunks encoded, then joined), a usual morning session.

Prints the median seconds of each and the ratios to the baseline (goal: render ≤ 1.5×).
Making the inputs is not timed. Nothing here asserts on timings.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from audio_library.canonical import CANONICAL_FORMAT
from audio_library.render import render_window

SOURCES = (
    "sine=frequency={f}:sample_rate=44100",
    "anoisesrc=color=pink:amplitude=0.2:seed={i}:sample_rate=44100",
    "aevalsrc=0.4*sin(2*PI*({f}+40*sin(t))*t):s=44100",
)
TAGS = {"title": "sang – 14/05/2024", "artist": "Đài truyền thanh xã Thanh Kỳ",
        "album": "Thứ 3, 14/05/2024"}


def make_files(folder: Path, count: int, seconds: float) -> list[Path]:
    """``count`` canonical files of ``seconds`` each; existing ones (``--keep``) are reused."""
    files = []
    for i in range(count):
        out = folder / f"in-{i:02d}-{seconds:g}s.mp3"
        if not out.exists():
            source = SOURCES[i % len(SOURCES)].format(i=i, f=220 + 40 * i)
            subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
                            "-i", source, "-t", str(seconds), "-ac", "1",
                            *CANONICAL_FORMAT.encoder_args(), str(out)], check=True)
        files.append(out)
    return files


def plain_concat(files: list[Path], out: Path) -> None:
    listing = out.with_suffix(".txt")
    listing.write_text("".join(f"file '{path}'\n" for path in files), encoding="utf-8")
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0",
                    "-i", str(listing), "-c", "copy", "-f", "mp3", str(out)], check=True)


def back_to_back(files: list[Path], seconds: float) -> list[tuple[Path, float, float]]:
    return [(path, i * seconds, seconds) for i, path in enumerate(files)]


def with_gaps(files: list[Path], seconds: float) -> list[tuple[Path | None, float, float]]:
    relay = 600.0
    items: list[tuple[Path | None, float, float]] = [(None, 0.0, relay)]
    items += [(path, relay + 2.0 + i * (seconds + 2.0), seconds) for i, path in enumerate(files)]
    return items


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder for the inputs, kept between runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-render-") as work:
        inputs = args.keep or Path(work)
        inputs.mkdir(parents=True, exist_ok=True)
        made = time.perf_counter()
        files = make_files(inputs, args.files, args.seconds)
        made = time.perf_counter() - made
        print(f"{len(files)} canonical files of {args.seconds:g} s "
              f"({len(files) * args.seconds / 60:g} min) ready in {made:.1f} s")
        out = Path(work)
        cases = {
            "baseline: ffmpeg concat -c copy": lambda: plain_concat(files, out / "plain.mp3"),
            "render_window": lambda: render_window(back_to_back(files, args.seconds),
                                                   out / "window.mp3", TAGS),
            "render_window, gaps + relay": lambda: render_window(with_gaps(files, args.seconds),
                                                                 out / "gaps.mp3", TAGS),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, action in cases.items():
                times[name].append(timed(action))
    report(times)


def report(times: dict[str, list[float]]) -> None:
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = next(iter(medians.values()))
    for name, median in medians.items():
        print(f"{name:34s} {median:7.3f} s  {median / baseline:5.2f}x"
              f"  (runs: {', '.join(f'{t:.3f}' for t in times[name])})")
    print("goal: render_window <= 1.50x the baseline")


if __name__ == "__main__":
    sys.exit(main())
