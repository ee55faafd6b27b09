"""The long fuzzing run: every door of tests/fuzz/doors.py for a time budget, printing per door
the inputs tried, the crashes found and the time spent.

    python benchmarks/fuzz.py [--seconds 60] [--doors plan_reader,audio_probe] [--engines hypothesis,atheris]

Each door is fuzzed by hypothesis (half the budget: random bytes and the door's structure-aware
inputs, in rounds until the time is up) and by atheris (the other half, coverage-guided from seeds
of real inputs, in a child process since libFuzzer ends its process; left out where atheris is not
installed). A crash (an exception other than the door's refusal, or a run past the hang bound)
is written to tests/fuzz_cases/<door>/, where the normal test run replays it from then on.
"""
from __future__ import annotations

import argparse
import hashlib
import logging
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROUND = 25  # hypothesis examples per round; rounds go on until the door's time is up


def keep(door: str, data: bytes) -> Path:
    from tests.fuzz.doors import CASES

    path = CASES / door / f"{hashlib.sha256(data).hexdigest()[:16]}.bin"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def with_hypothesis(door, seconds: float) -> tuple[int, list[tuple[bytes, BaseException]]]:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    from tests.fuzz.doors import attempt

    tried, crashes, end = 0, [], time.monotonic() + seconds

    @settings(max_examples=ROUND, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=4096) | door.structured)
    def one_round(data):
        nonlocal tried
        if time.monotonic() > end:
            return
        tried += 1
        crash = attempt(door, data)
        if crash is not None:
            crashes.append((data, crash))

    while time.monotonic() < end:
        one_round()
    return tried, crashes


def with_atheris(door, seconds: float, workdir: Path) -> tuple[int, list[tuple[bytes, str]]] | None:
    """Run this script as atheris' child for the door; None when atheris is not installed."""
    try:
        import atheris  # noqa: F401
    except ImportError:
        return None
    from tests.fuzz.doors import seeds

    corpus, artifacts = workdir / f"corpus-{door.name}", workdir / f"crashes-{door.name}"
    corpus.mkdir()
    artifacts.mkdir()
    for number, seed in enumerate(seeds(door.name)):
        (corpus / f"seed-{number}").write_bytes(seed)
    done = subprocess.run([sys.executable, __file__, "--atheris-child", door.name, "--seconds", str(seconds),
                           "--artifacts", str(artifacts), "--corpus", str(corpus)],
                          capture_output=True, text=True, timeout=seconds * 3 + 120)
    runs = re.findall(r"stat::number_of_executed_units: (\d+)", done.stderr) or re.findall(r"#(\d+)\s", done.stderr)
    crashes = [(path.read_bytes(), _last_exception(done.stderr)) for path in artifacts.iterdir()]
    return (int(runs[-1]) if runs else 0), crashes


def _last_exception(stderr: str) -> str:
    found = re.findall(r"^CRASH: (.*)$", stderr, re.M)
    return found[-1] if found else "crash (see atheris' output)"


def atheris_child(name: str, seconds: float, artifacts: str, corpus: str) -> None:
    import atheris

    with atheris.instrument_imports(include=["schedules", "audio_library", "radio"]):  # the project's own code
        from tests.fuzz.doors import DOORS, attempt
    door = {door.name: door for door in DOORS}[name]

    def one_input(data: bytes) -> None:
        crash = attempt(door, data)
        if crash is not None:
            print(f"CRASH: {crash!r}", file=sys.stderr)
            raise crash

    atheris.Setup([sys.argv[0], f"-max_total_time={int(seconds)}", f"-artifact_prefix={artifacts}/",
                   "-print_final_stats=1", "-rss_limit_mb=4096", "-timeout=120", corpus], one_input)
    atheris.Fuzz()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="per door (half hypothesis, half atheris)")
    parser.add_argument("--doors", help="comma-separated door names (default: all)")
    parser.add_argument("--engines", default="hypothesis,atheris")
    parser.add_argument("--atheris-child")
    parser.add_argument("--artifacts")
    parser.add_argument("--corpus")
    args = parser.parse_args()
    if args.atheris_child:
        return atheris_child(args.atheris_child, args.seconds, args.artifacts, args.corpus)
    logging.disable(logging.WARNING)  # pypdf's and fpdf's warnings about broken inputs: expected here

    from tests.fuzz.doors import DOORS

    chosen = [door for door in DOORS if not args.doors or door.name in args.doors.split(",")]
    engines = args.engines.split(",")
    share = args.seconds / len(engines)
    print(f"{'door':<18}{'engine':<12}{'inputs':>10}{'crashes':>9}{'seconds':>9}")
    total_crashes = 0
    with tempfile.TemporaryDirectory() as workdir:
        for door in chosen:
            for engine in engines:
                start = time.monotonic()
                if engine == "hypothesis":
                    result = with_hypothesis(door, share)
                else:
                    result = with_atheris(door, share, Path(workdir))
                    if result is None:
                        print(f"{door.name:<18}{engine:<12}{'atheris is not installed':>28}")
                        continue
                tried, crashes = result
                print(f"{door.name:<18}{engine:<12}{tried:>10}{len(crashes):>9}{time.monotonic() - start:>9.1f}")
                for data, crash in crashes:
                    print(f"    kept {keep(door.name, data).relative_to(ROOT)}: {crash!r}"[:300])
                total_crashes += len(crashes)
    print(f"crashes: {total_crashes}")
    sys.exit(1 if total_crashes else 0)


if __name__ == "__main__":
    main()
