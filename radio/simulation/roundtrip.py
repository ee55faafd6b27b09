"""`export-plan` followed by `import` into a fresh database must give the same plan: the plan is
exported (audio beside it, as `radio export-plan --out` writes it), imported into a new instance,
exported again, and the two documents compared (audio by the digest of its bytes)."""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import replace
from pathlib import Path

from schedules.planfile import PlanDocument, PlanFileError, dump_plan

from ..plans.export import find_plan, plan_document
from ..plans.operations import import_plan
from .instance import Instance
from .world import PLAN


def export(instance: Instance, folder: Path) -> tuple[Path, PlanDocument]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plan.yaml"
    with instance.session() as session:
        doc = plan_document(session, find_plan(session, PLAN), folder / "media")
    path.write_text(dump_plan(doc), encoding="utf-8")
    return path, doc


def _comparable(doc: PlanDocument) -> PlanDocument:
    return replace(doc, episodes=tuple(
        replace(e, audio=hashlib.sha256(e.audio.read_bytes()).hexdigest() if e.audio else None) for e in doc.episodes))


def export_import_round_trip(season, label: str) -> list[str]:
    folder = season.folder / f"round-trip-{label}"
    path, first = export(season.instance, folder / "first")
    fresh = Instance.fresh(folder / "fresh", season.clock, season.options.poll_seconds)
    try:
        try:
            with fresh.session() as session:
                import_plan(session, path, None, now=season.clock.now)
        except PlanFileError as exc:
            return [f"the exported plan is refused by a fresh import: {problem}" for problem in exc.problems]
        _, second = export(fresh, folder / "second")
    finally:
        fresh.close()
    found = []
    a, b = _comparable(first), _comparable(second)
    for section in ("plan", "areas", "stations", "devices", "series", "episodes", "requirements"):
        if getattr(a, section) != getattr(b, section):
            left, right = getattr(a, section), getattr(b, section)
            if isinstance(left, tuple):
                differing = [x for x in left if x not in right] + [y for y in right if y not in left]
                found.append(f"{section} differ after the round trip: {differing[:3]}")
            else:
                found.append(f"{section} differ after the round trip: {left} / {right}")
    if not found:
        shutil.rmtree(folder, ignore_errors=True)
    return found
