"""The report to hand in ("Báo cáo kết quả thực hiện Kế hoạch …"), as a plain document.

A dict of text and numbers only, so that the frozen copy stored in the database is exactly
what the XLSX and PDF writers print, today or years later: per area and plan, a summary per
station (requirements met / short), the detail per requirement and period, the shortfalls with
their dates, and the unscheduled airings.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from .model import ComplianceRow
from .notes import note_text, row_notes

STATUS_LABELS = {"met": "Đạt", "short": "Không đạt", "over": "Vượt mức tối đa", "in_progress": "Đang thực hiện",
                 "at_risk": "Có nguy cơ không đạt", "pending": "Chưa đến kỳ"}
REPORT = "BÁO CÁO KẾT QUẢ THỰC HIỆN"
PLAN_WORD = "KẾ HOẠCH"
# The notes of a detail line, in this order; the row's other notes (airings and new episodes short,
# more than the maximum, more needed) are what the line's own columns and status already say.
DETAIL_NOTES = ("missing_dates", "duration_violations", "unscheduled", "unfilled_reservations")


@dataclass(frozen=True)
class Names:
    """How the report names things: the plan, the area, stations, requirements, episodes."""

    area_code: str
    area_name: str
    plan_title: str | None = None
    plan_document: str | None = None
    report_due: date | None = None
    stations: Mapping[str, str] = None
    requirements: Mapping[str, str] = None

    def station(self, code: str) -> str:
        return (self.stations or {}).get(code, code)

    def requirement(self, key: str) -> str:
        return (self.requirements or {}).get(key, key)


def _day(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def period_text(row: ComplianceRow) -> str:
    text = _day(row.period_start) if row.period_start == row.period_end else \
        f"{_day(row.period_start)}–{_day(row.period_end)}"
    return text + (" (không trọn kỳ)" if row.partial else "")


def handin_document(rows: Iterable[ComplianceRow], names: Names, *, start: date, end: date, as_of: datetime,
                    unscheduled: Iterable[tuple[str, str, datetime, str | None]] = ()) -> dict:
    """The document; `unscheduled` gives (station code, episode title, local start, window)."""
    rows = list(rows)
    return {
        "title": _title(names),
        "document": names.plan_document,
        "area": {"code": names.area_code, "name": names.area_name},
        "period": {"from": _day(start), "to": _day(end)},
        "report_due": _day(names.report_due) if names.report_due else None,
        "as_of": f"{as_of:%H:%M %d/%m/%Y}",
        "as_of_iso": as_of.isoformat(),
        "summary": _summary(rows, names),
        "detail": [_detail(row, names) for row in rows],
        "shortfalls": [{"station": names.station(r.station), "requirement": names.requirement(r.requirement),
                        "period": period_text(r), "missing_dates": [_day(d) for d in r.missing_dates],
                        "aired": f"{r.aired}/{r.required_min}", "new": f"{r.new_aired}/{r.new_required}"}
                       for r in rows if r.status == "short"],
        "unscheduled": [{"station": names.station(code), "episode": episode, "at": f"{at:%H:%M %d/%m/%Y}",
                         "window": window or "ngoài khung giờ"} for code, episode, at, window in unscheduled],
    }


def _title(names: Names) -> str:
    """"BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH …" in capitals, as such titles are written; a plan
    title that starts with "Kế hoạch" (most do) does not say it twice."""
    if not names.plan_title:
        return f"{REPORT} {PLAN_WORD} TUYÊN TRUYỀN – {names.area_name}"
    plan = names.plan_title.strip().upper()
    return f"{REPORT} {plan}" if plan.startswith(PLAN_WORD) else f"{REPORT} {PLAN_WORD} {plan}"


def _summary(rows: list[ComplianceRow], names: Names) -> list[dict]:
    """Per station: requirement-periods finished and met, short, and still open."""
    stations: dict[str, dict] = {}
    for row in rows:
        line = stations.setdefault(row.station, {"station": names.station(row.station), "met": 0, "short": 0,
                                                 "over": 0, "open": 0, "total": 0})
        line["total"] += 1
        key = row.status if row.status in ("met", "short", "over") else "open"
        line[key] += 1
    return [stations[code] for code in sorted(stations)]


def _detail(row: ComplianceRow, names: Names) -> dict:
    required = str(row.required_min) if row.required_max in (None, row.required_min) else \
        f"{row.required_min}–{row.required_max}"
    notes = {note.code: note for note in row_notes(row)}
    return {"station": names.station(row.station), "requirement": names.requirement(row.requirement),
            "period": period_text(row), "required": required, "planned": row.planned, "aired": row.aired,
            "new": f"{row.new_aired}/{row.new_required}", "status": STATUS_LABELS[row.status],
            "notes": "; ".join(note_text(notes[code]) for code in DETAIL_NOTES if code in notes)}
