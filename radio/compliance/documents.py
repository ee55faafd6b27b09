"""Reports as files: the rows as JSON/CSV, the hand-in document (names filled in from the
records) as XLSX/PDF. Frozen copies store the document and are printed by the same writers."""
from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from schedules.compliance.handin import Names, handin_document as build_document
from schedules.compliance.writers import handin_pdf, handin_xlsx, rows_csv

from ..models import Plan

if TYPE_CHECKING:  # operations imports this module
    from .operations import ComplianceReport

FORMATS = ("json", "csv", "xlsx", "pdf")
MIME_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}


def handin_document(report: ComplianceReport, plan: Plan | None, now: datetime, tz: ZoneInfo) -> dict:
    names = Names(
        area_code=report.area.code, area_name=report.area.name,
        plan_title=plan.title if plan else None, plan_document=plan.document if plan else None,
        report_due=plan.report_due if plan else None,
        stations={code: station.name for code, station in report.stations.items()},
        requirements={key: f"{r.series.title} ({key}, {_frequency(r)})" for key, r in report.requirements.items()})
    unscheduled = [(u.station, report.episodes[u.episode_id].title if u.episode_id in report.episodes
                    else str(u.episode_id), u.started_at.astimezone(tz),
                    report.stations[u.station].window_title(u.window) if u.window else None)
                   for u in report.unscheduled]
    return build_document(report.rows, names, start=report.start, end=report.end, as_of=now.astimezone(tz),
                          unscheduled=unscheduled)


_PERIOD_WORDS = {"day": "ngày", "week": "tuần", "month": "tháng", "quarter": "quý", "year": "năm", "campaign": "đợt"}


def _frequency(requirement) -> str:
    count = str(requirement.min_airings) if requirement.max_airings in (None, requirement.min_airings) else \
        f"{requirement.min_airings}–{requirement.max_airings}"
    return f"{count} lần/{_PERIOD_WORDS[requirement.period]}"


def render(report: ComplianceReport, fmt: str, plan: Plan | None, now: datetime, tz: ZoneInfo) -> bytes:
    """The report in `fmt`: JSON and CSV are the rows, XLSX and PDF the hand-in document."""
    if fmt == "json":
        return json.dumps(report.json(), ensure_ascii=False, indent=1).encode()
    if fmt == "csv":
        return rows_csv(report.json())
    return render_document(handin_document(report, plan, now, tz), fmt)


def render_document(document: dict, fmt: str) -> bytes:
    if fmt == "xlsx":
        return handin_xlsx(document)
    if fmt == "pdf":
        return handin_pdf(document)
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=1).encode()
    raise ValueError(f"format {fmt!r} is not one of xlsx, pdf, json")
