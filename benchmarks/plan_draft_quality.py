"""How well the drafting reads the five seed plans: the drafted requirements against the
hand-made plan files (examples/NNN-*.yaml), field by field.

Compared: period, airings min/max, new episodes, days, duration bounds, from and to. The
example files' dates are moved to a demo season (examples/README.md, "Date shift"), so the
dates compared are the seeds' own (SEED_DATES); values the examples mark as the project's
assumptions (*), where the document gives no figure, are not judged (ASSUMED). A drafted
requirement is paired with the example requirement, not yet paired, whose quoted source (x-source) shares the
most words with the sentence it was read from. Precision: the drafted values that are right;
recall: the example values the draft has. Run: python benchmarks/plan_draft_quality.py
"""
from __future__ import annotations

import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from schedules.drafting import draft_plan, read_document  # noqa: E402

SEEDS = ROOT / "tests" / "schedules" / "drafting" / "seeds"
FIELDS = ("period", "airings.min", "airings.max", "new_episodes", "days", "duration.min", "duration.max",
          "from", "to")
# The seeds' own dates of each example requirement (None: the document names none).
SEED_DATES = {
    "ts-cds-tuan": (None, "2025-12-31"),
    "sd-ngay-cds-dot-cao-diem": ("2022-10-01", "2022-10-10"),
    "sd-khau-hieu-dot-cao-diem": ("2022-10-01", "2022-10-10"),
    "tk-cds-tuan": ("2023-01-01", "2023-12-31"),
    "bs-cds-tinh-tuan": ("2024-01-01", "2024-12-31"),
    "bs-cds-huyen-thang": ("2024-01-01", "2024-12-31"),
    "bs-cds-xa-thang": ("2024-01-01", "2024-12-31"),
    "vb-cds-huyen-tuan": ("2024-01-01", "2024-12-31"),
    "vb-cds-xa-tuan": ("2024-01-01", "2024-12-31"),
}
# The examples' figures that the documents do not give (examples/README.md marks them *, or
# the example file's x-note calls them the demo's own assumption).
ASSUMED = {
    "ts-cds-tuan": {"period", "airings.min", "new_episodes"},
    "sd-ngay-cds-dot-cao-diem": {"period", "airings.min", "new_episodes"},
    "sd-khau-hieu-dot-cao-diem": {"airings.min", "new_episodes"},
}
# Campaign windows and report deadlines each seed states (report: a date or "note").
WINDOWS = {"001": [("2022-10-01", "2022-10-10")]}
REPORTS = {"001": "2022-10-13", "003": "2024-11-15", "004": "note"}


def facts(fields: dict, dates: tuple[str | None, str | None] | None = None) -> dict[str, object]:
    """The compared values of a requirement's fields, by name; absent values left out."""
    values = {"period": fields.get("period"), "new_episodes": fields.get("new_episodes") or None,
              "days": tuple(fields["days"]) if fields.get("days") else None,
              "from": fields.get("from"), "to": fields.get("to")}
    for group in ("airings", "duration"):
        for bound in ("min", "max"):
            values[f"{group}.{bound}"] = (fields.get(group) or {}).get(bound)
    if dates is not None:
        values["from"], values["to"] = dates
    return {name: str(value) for name, value in values.items() if value is not None}


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def seed_figures(seed: pathlib.Path) -> dict:
    number = seed.name[:3]
    example = next((ROOT / "examples").glob(f"{number}-*.yaml"))
    expected = yaml.safe_load(example.read_text(encoding="utf-8"))["requirements"]
    draft = draft_plan(read_document(seed.read_bytes(), seed.name))
    drafted = [record for record in draft.records if record.section == "requirements"]
    right = drafted_count = expected_count = 0
    for requirement in expected:
        truth = {name: value for name, value in facts(requirement, SEED_DATES[requirement["code"]]).items()
                 if name not in ASSUMED.get(requirement["code"], ())}
        expected_count += len(truth)
    paired = set()
    for record in drafted:
        mine = facts(dict(record.fields))
        drafted_count += len(mine)
        source = _words(record.source.text)
        free = [requirement for requirement in expected if requirement["code"] not in paired]
        best = max(free, key=lambda requirement: len(source & _words(requirement.get("x-source", ""))), default=None)
        if best is None or not source & _words(best.get("x-source", "")):
            continue
        paired.add(best["code"])
        truth = facts(best, SEED_DATES[best["code"]])
        judged = {name for name in mine if name not in ASSUMED.get(best["code"], ())}
        drafted_count -= len(mine) - len(judged)
        right += sum(mine[name] == truth.get(name) for name in judged)
    plan = draft.record("plan").fields
    report = plan.get("report_due") or ("note" if "x-note" in plan else None)
    windows = {(r.fields.get("from"), r.fields.get("to")) for r in drafted if r.fields.get("period") == "campaign"}
    return {"seed": number, "right": right, "drafted": drafted_count, "expected": expected_count,
            "windows_found": all(window in windows for window in WINDOWS.get(number, [])),
            "report_found": report == REPORTS.get(number, report)}


def figures() -> dict:
    rows = [seed_figures(seed) for seed in sorted(SEEDS.glob("*.txt"))]
    right, drafted, expected = (sum(row[key] for row in rows) for key in ("right", "drafted", "expected"))
    return {"rows": rows, "precision": right / drafted, "recall": right / expected,
            "windows_found": all(row["windows_found"] for row in rows),
            "reports_found": all(row["report_found"] for row in rows)}


def main() -> None:
    result = figures()
    print(f"{'seed':<6}{'right':>7}{'drafted':>9}{'expected':>10}{'precision':>11}{'recall':>8}  window  report")
    for row in result["rows"]:
        precision = row["right"] / row["drafted"] if row["drafted"] else 1.0
        recall = row["right"] / row["expected"] if row["expected"] else 1.0
        print(f"{row['seed']:<6}{row['right']:>7}{row['drafted']:>9}{row['expected']:>10}{precision:>11.2f}"
              f"{recall:>8.2f}  {'yes' if row['windows_found'] else 'NO':<6}  {'yes' if row['report_found'] else 'NO'}")
    print(f"all five: precision {result['precision']:.2f}, recall {result['recall']:.2f}, "
          f"every campaign window found: {'yes' if result['windows_found'] else 'no'}, "
          f"every report deadline found: {'yes' if result['reports_found'] else 'no'}")


if __name__ == "__main__":
    main()
