"""Short fuzzing of each door in the normal run (the long run: benchmarks/fuzz.py): random bytes
and structure-aware inputs give an answer or the door's documented refusal, never another
exception nor a hang; every crash ever found is replayed from tests/fuzz_cases/<door>/."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.doors import CASES, DOORS, attempt, seeds

BY_NAME = {door.name: door for door in DOORS}
KEPT = sorted((path.parent.name, path) for path in CASES.glob("*/*") if path.is_file())


class Sample(bytes):
    """An input shown by its length and start: hypothesis prints failing inputs, some are large."""

    def __repr__(self) -> str:
        return f"<{len(self)} bytes: {bytes(self[:120])!r}…>"


def _holds(door, data: bytes) -> None:
    crash = attempt(door, data)
    assert crash is None, f"{door.name} crashed on {data!r}: {crash!r}"


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.name)
def test_random_bytes_are_answered_or_refused(door):
    @settings(max_examples=door.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=2048).map(Sample))
    def run(data):
        _holds(door, data)

    run()


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.name)
def test_structured_inputs_are_answered_or_refused(door):
    @settings(max_examples=door.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(door.structured.map(Sample))
    def run(data):
        _holds(door, data)

    run()


@pytest.mark.parametrize(("name", "path"), KEPT, ids=[f"{name}/{path.name}" for name, path in KEPT])
def test_every_crash_found_stays_fixed(name, path):
    _holds(BY_NAME[name], path.read_bytes())


def test_the_kept_cases_name_doors():
    assert {name for name, _ in KEPT} <= set(BY_NAME)


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.name)
def test_the_long_runs_seeds_are_real_inputs_of_their_door(door):
    """atheris (benchmarks/fuzz.py) starts from these: each answered or refused, and at least one read
    in full, so that the coverage-guided run starts past the door's first checks."""
    found = seeds(door.name)
    assert found and all(attempt(door, seed) is None for seed in found)
    read = []
    for seed in found:
        try:
            door.run(seed)
        except door.refusal:
            continue
        read.append(seed)
    assert read, f"{door.name}: every seed is refused"
