"""What a saved form changed that the published schedule follows only after a rebuild.

Windows, closed days, fixed blocks, requirements and series are read by the planner: entries
already built, and the devices that fetched them, keep the old ones until the schedule is built
again. The form's page says so, shows each change (old → new) and offers one button that
rebuilds the stations and dates it touches, through the schedule's rebuild job.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..core_inputs import stations_covered
from ..models import Plan, Requirement, ScheduleEntry, Series, Station
from ..ui.i18n import PERIOD_LABELS
from ..ui.names import requirement_name
from .forms import BLOCK_LABELS, LEVEL_LABELS, PRIORITY_LABELS, WEEKDAY_LABELS
from .writer import Change

REBUILT_KINDS = ("window", "closed_date", "block", "requirement", "series")
FIELD_LABELS = {
    "name": _l("tên"), "title": _l("tên"), "days": _l("ngày trong tuần"), "start_time": _l("giờ bắt đầu"),
    "end_time": _l("giờ kết thúc"), "valid_from": _l("từ ngày"), "valid_to": _l("đến ngày"), "window": _l("buổi phát"),
    "at": _l("giờ"), "kind": _l("loại"), "source": _l("nguồn"), "duration_s": _l("thời lượng (giây)"),
    "series": _l("chuyên mục"), "period": _l("kỳ"), "min_airings": _l("số lần tối thiểu"),
    "max_airings": _l("số lần tối đa"), "new_episodes": _l("số tin mới"), "windows": _l("buổi phát"),
    "levels": _l("cấp"), "duration_min": _l("thời lượng tối thiểu"), "duration_max": _l("thời lượng tối đa"),
    "min_gap_days": _l("số ngày giữa hai lần phát một tin"), "date_from": _l("từ ngày"), "date_to": _l("đến ngày"),
    "priority": _l("mức ưu tiên"), "report_due": _l("hạn báo cáo"), "stations": _l("đài"), "areas": _l("địa bàn"),
}


VALUE_LABELS = {"days": WEEKDAY_LABELS, "priority": PRIORITY_LABELS, "levels": LEVEL_LABELS, "kind": BLOCK_LABELS,
                "period": PERIOD_LABELS}


@dataclass(frozen=True)
class RebuildNote:
    """The changes in words, and what to rebuild (no stations: nothing is built there yet)."""

    changes: tuple[str, ...]
    stations: tuple[str, ...]
    start: date
    end: date | None


def rebuild_note(session: Session, plan: Plan, changes: list[Change], today: date) -> RebuildNote | None:
    """None when nothing saved reaches the schedule only through a rebuild."""
    changed = [c for c in changes if c.kind in REBUILT_KINDS]
    if not changed:
        return None
    stations = _stations(session, plan, changed, today)
    end = session.scalar(select(func.max(ScheduleEntry.local_date)).join(Station).where(
        Station.code.in_(stations), ScheduleEntry.status == "planned", ScheduleEntry.local_date >= today))
    return RebuildNote(tuple(_words(session, plan, c) for c in changed), tuple(sorted(stations)) if end else (),
                       today, end)


def _stations(session: Session, plan: Plan, changed: list[Change], today: date) -> set[str]:
    """A station's own records name it first in their key; a requirement or a series reaches the
    stations whose schedule airs it from today, and those a requirement covers now."""
    codes = {c.key.split("/")[0] for c in changed if c.kind in ("window", "closed_date", "block")}
    requirement_codes = [c.key.split("/", 1)[1] for c in changed if c.kind == "requirement"]
    series_codes = [c.key.split("/", 1)[1] for c in changed if c.kind == "series"]
    requirements = session.scalars(select(Requirement).where(
        Requirement.plan_id == plan.id, Requirement.code.in_(requirement_codes))).all()
    series_ids = session.scalars(select(Series.id).where(Series.plan_id == plan.id, Series.code.in_(series_codes))).all()
    if requirements or series_ids:
        codes |= set(session.scalars(select(Station.code).join(ScheduleEntry, ScheduleEntry.station_id == Station.id)
                                     .where(ScheduleEntry.status == "planned", ScheduleEntry.local_date >= today,
                                            or_(ScheduleEntry.requirement_id.in_([r.id for r in requirements]),
                                                ScheduleEntry.series_id.in_(series_ids))).distinct()))
        everywhere = session.scalars(select(Station)).all() if any(r.areas for r in requirements) else []
        for requirement in requirements:
            codes |= {s.code for s in stations_covered(requirement, everywhere)}
    return codes


def _words(session: Session, plan: Plan, change: Change) -> str:
    what = _record(session, plan, change)
    if change.action.endswith(".create"):
        return _("Thêm %(what)s", what=what)
    if change.action.endswith(".delete"):
        return _("Bỏ %(what)s", what=what)
    fields = [_("%(field)s: %(old)s → %(new)s", field=FIELD_LABELS.get(name, name),
                old=_value((change.before or {}).get(name), name), new=_value(value, name))
              for name, value in (change.after or {}).items()]
    return f"{what}: " + "; ".join(fields)


def _record(session: Session, plan: Plan, change: Change) -> str:
    owner, _sep, name = change.key.partition("/")
    if change.kind == "requirement":
        requirement = session.scalar(select(Requirement).where(Requirement.plan_id == plan.id, Requirement.code == name))
        return _("yêu cầu “%(name)s”", name=requirement_name(requirement) if requirement else name)
    if change.kind == "series":
        series = session.scalar(select(Series).where(Series.plan_id == plan.id, Series.code == name))
        return _("chuyên mục “%(title)s”", title=series.title if series else name)
    station = session.scalar(select(Station.name).where(Station.code == owner)) or owner
    if change.kind == "window":
        return _("buổi phát “%(name)s” của %(station)s", name=name, station=station)
    if change.kind == "closed_date":
        return _("ngày nghỉ %(day)s của %(station)s", day=_value(name), station=station)
    return _("mục cố định %(name)s của %(station)s", name=name, station=station)


def _value(value, name: str = "") -> str:
    """A stored value as the pages write it: dd/mm/yyyy, HH:MM, words for codes, lists joined."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(_value(v, name) for v in value)
    text = str(value)
    if text in VALUE_LABELS.get(name, {}):
        return str(VALUE_LABELS[name][text])
    if len(text) == 10 and text[4] == "-":  # a date, "2026-12-31"
        return date.fromisoformat(text).strftime("%d/%m/%Y")
    if len(text) == 8 and text[2] == ":" and text[5] == ":":  # a time of day, "17:45:00"
        return text[:5]
    return text
