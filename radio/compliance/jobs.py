"""The compliance periodic check: reports due soon that the office has not frozen yet.

A report is due on the `report_due` date of its requirements, else of their plan (as the
dashboard's deadlines, `operations.overview`). It counts as handed in once a frozen copy of the
plan's report exists for the area that issued the plan or an area above it (the office freezes
the whole plan at once, `freeze_report`). Until then, from NOTICE_REPORT_DUE_DAYS days before
the due date to the date itself, the office (oversight of the issuing area or above) is told
once per plan and due date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from .. import clock, db, notices
from ..area_tree import ancestors_and_self
from ..auth.scope import users_who_may
from ..models import FrozenReport, Plan, Requirement, User
from ..notices import kinds


@dataclass(frozen=True)
class DueReport:
    """A plan's report due on `due`, not frozen yet, and the office to tell."""

    plan: Plan
    due: date
    office: list[User]


def due_reports(session: Session, now: datetime, tz: ZoneInfo, days: int) -> list[DueReport]:
    """Reports due from today to `days` days later (station's local days), not frozen, soonest first."""
    today = now.astimezone(tz).date()
    due = func.coalesce(Requirement.report_due, Plan.report_due)
    frozen = exists().where(FrozenReport.plan_id == Plan.id,
                            FrozenReport.area_id.in_(ancestors_and_self(Plan.issued_by_id)))
    rows = session.execute(select(Plan, due).join(Requirement, Requirement.plan_id == Plan.id)
                           .where(due >= today, due <= today + timedelta(days=days), ~frozen)
                           .group_by(Plan.id, due).order_by(due, Plan.code)).all()
    offices: dict[int, list[User]] = {}
    for plan, _ in rows:
        if plan.issued_by_id not in offices:
            offices[plan.issued_by_id] = users_who_may(session, "compliance.view", plan.issued_by_id)
    return [DueReport(plan, when, offices[plan.issued_by_id]) for plan, when in rows]


def tell_due_reports(session: Session, due: list[DueReport], now: datetime) -> None:
    for item in due:
        plan = item.plan
        notices.emit(session, kinds.REPORT_DUE, item.office, about=f"report-due:{plan.code}:{item.due.isoformat()}",
                     values={"plan": plan.title, "area": plan.issued_by.name, "due_date": item.due.isoformat()},
                     link=notices.page("compliance.dashboard", area=plan.issued_by.code), now=now)


def check_due_reports() -> None:
    """Periodic: tell the office of each report due within NOTICE_REPORT_DUE_DAYS days and not
    frozen yet (once per plan and due date)."""
    session, now = db.session(), clock.now()
    due = due_reports(session, now, clock.station_tz(), current_app.config["NOTICE_REPORT_DUE_DAYS"])
    tell_due_reports(session, due, now)
    session.commit()
    notices.dispatch()
