"""The season as a table a person reads: what happened, then which invariants held, and for
a failure the first violation with its day and the seed that reproduces it."""
from __future__ import annotations

from collections import Counter, defaultdict

from .invariants import NAMES
from .season import SeasonResult

SHOWN_PER_INVARIANT = 3


def render(result: SeasonResult) -> str:
    o = result.options
    lines = [f"season: {o.communes} communes, {o.days} days from {o.start:%d/%m/%Y}, seed {o.seed} "
             f"({result.seconds:.1f} s)", "", "what happened"]
    width = max((len(k) for k in result.counts), default=10)
    for key in sorted(result.counts):
        value = result.counts[key]
        lines.append(f"  {key:<{width}}  {value:>10.1f}" if isinstance(value, float) else
                     f"  {key:<{width}}  {value:>10}")
    lines += ["", "invariants"]
    failed = defaultdict(list)
    for violation in result.violations:
        failed[violation.invariant].append(violation)
    names = NAMES + sorted(set(failed) - set(NAMES))
    width = max(len(n) for n in names)
    for name in names:
        found = failed.get(name, [])
        days = Counter(v.day for v in found)
        state = f"FAILED on {len(days)} day(s), {len(found)} violation(s)" if found else \
            f"held ({result.checked.get(name, 0)} checks)"
        lines.append(f"  {name:<{width}}  {state}")
        for violation in found[:SHOWN_PER_INVARIANT]:
            lines.append(f"      {violation.day:%d/%m/%Y}: {violation.message}")
    if result.violations:
        first = result.violations[0]
        lines += ["", f"first violation: {first.invariant} on {first.day:%d/%m/%Y} (seed {o.seed}): {first.message}"]
    for note in result.notes[:10]:
        lines.append(f"note: {note}")
    return "\n".join(lines)
