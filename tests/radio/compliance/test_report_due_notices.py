"""Reports due soon and not frozen: the office is told once per plan and due date."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from radio.compliance.jobs import check_due_reports, due_reports
from radio.models import FrozenReport
from tests.factories import create_plan, create_requirement, create_series, create_station, create_tree, create_user
from tests.radio.notices_kit import told  # noqa: F401 (a fixture)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2026, 12, 15)  # the factory plan's report_due


def morning(day: date) -> datetime:
    return datetime.combine(day, time(7, 0), TZ)


@pytest.fixture
def world(db):
    tree = create_tree(db)
    plan = create_plan(db, tree["TH-NT"], "kh-nt")
    create_requirement(db, plan, create_series(db, plan), [create_station(db, tree["TH-NT-TK"])])
    return {"tree": tree, "plan": plan,
            "office": create_user(db, "vanhoa-nt", "oversight", tree["TH-NT"]),
            "province": create_user(db, "vanhoa-th", "oversight", tree["TH"]),
            "other_office": create_user(db, "vanhoa-tx", "oversight", tree["TH-TX"]),
            "operator": create_user(db, "dai-tk", "operator", tree["TH-NT-TK"])}


def test_due_from_exactly_n_days_before_to_the_due_date_itself(db, world):
    assert due_reports(db, morning(DUE - timedelta(days=4)), TZ, 3) == []
    for day in (DUE - timedelta(days=3), DUE):
        [due] = due_reports(db, morning(day), TZ, 3)
        assert (due.plan, due.due, due.office) == (world["plan"], DUE, [world["office"], world["province"]])
    assert due_reports(db, morning(DUE + timedelta(days=1)), TZ, 3) == []  # overdue: the dashboard says so


def test_the_local_day_counts_not_the_utc_one(db, world):
    """00:30 in Hà Nội on the 12th is still the 11th in UTC."""
    assert due_reports(db, datetime(2026, 12, 12, 0, 30, tzinfo=TZ), TZ, 3) != []
    assert due_reports(db, datetime(2026, 12, 11, 23, 30, tzinfo=TZ), TZ, 3) == []


def test_a_requirement_with_its_own_due_date_makes_a_report_of_its_own(db, world):
    plan = world["plan"]
    create_requirement(db, plan, create_series(db, plan, "an-ninh"), [], report_due=date(2026, 12, 10))
    assert [d.due for d in due_reports(db, morning(date(2026, 12, 9)), TZ, 10)] == [date(2026, 12, 10), DUE]


def test_a_frozen_report_of_the_issuing_area_or_above_is_handed_in(db, world):
    plan, now = world["plan"], morning(DUE)
    db.add(FrozenReport(plan=plan, area=world["tree"]["TH-NT-TK"], period_from=DUE, period_to=DUE,
                        frozen_at=now, document={}))
    db.flush()
    assert due_reports(db, now, TZ, 3) != []  # a commune's copy is not the office's report
    db.add(FrozenReport(plan=plan, area=world["tree"]["TH"], period_from=DUE, period_to=DUE, frozen_at=now,
                        document={}))
    db.flush()
    assert due_reports(db, now, TZ, 3) == []


def test_the_check_tells_the_office_once(app, db, world, told, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: morning(DUE - timedelta(days=2)))
    check_due_reports()
    check_due_reports()
    expected = [("report.due", f"report-due:kh-nt:{DUE.isoformat()}",
                 {"plan": "Kế hoạch thử", "area": "Khu TH-NT", "due_date": DUE.isoformat()})]
    assert told(world["office"]) == expected and told(world["province"]) == expected
    assert told(world["other_office"]) == [] and told(world["operator"]) == []
