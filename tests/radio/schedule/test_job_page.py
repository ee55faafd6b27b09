"""The rebuild job's page: the planner's warnings with stations and requirements by name, and its
reasons in the reader's language (the job's JSON keeps the planner's English)."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from radio.models import Area
from radio.plans.operations import import_plan
from tests.factories import MADE, create_user
from tests.radio.office_kit import client_as, post_form
from tests.radio.plan_text import write_plan

FRIDAY = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)  # the week's Tuesday and Thursday are past


@pytest.fixture
def job(app, db, tmp_path, monkeypatch):
    """A rebuild from Monday 23/11 started on Friday 27/11: no allowed day is left in the first week."""
    import_plan(db, write_plan(tmp_path), None, now=MADE)
    office = client_as(app, create_user(db, "vanhoa-nt", "oversight", db.scalar(select(Area).where(Area.code == "TH-NT"))))
    monkeypatch.setitem(app.config, "CLOCK", lambda: FRIDAY)
    response = post_form(office, "/office/plans/tk-2026/rebuild", {"start": "23/11/2026", "end": "06/12/2026"},
                         page="/office/plans/tk-2026")
    assert response.status_code == 302
    return office, response.location


def test_the_planners_warnings_are_in_vietnamese_with_names(job):
    office, url = job
    page = office.get(url).get_data(as_text=True)
    warnings = page.split('id="job-warnings"')[1].split("</table>")[0]
    assert "trong kỳ không còn ngày nào được phép phát" in warnings
    assert "cần một tin mới của Chuyên mục Chuyển đổi số, chậm nhất ngày 01/12/2026" in warnings
    assert "Đài truyền thanh xã Thanh Kỳ" in warnings and "Chuyên mục Chuyển đổi số, 2 lần mỗi tuần" in warnings
    text = re.sub(r"<[^>]+>", " ", warnings)
    for raw in ("no allowed day left", "needs a new episode", "thanhky", "tk-2026/tk-cds-weekly", "2026-12-01"):
        assert raw not in text, raw
    assert "← Kế hoạch tuyên truyền về chuyển đổi số xã Thanh Kỳ năm 2026" in page


def test_the_planners_warnings_are_in_english_when_chosen(job):
    office, url = job
    office.set_cookie("lang", "en")
    warnings = office.get(url).get_data(as_text=True).split('id="job-warnings"')[1].split("</table>")[0]
    assert "no allowed day left in the period" in warnings
    assert "needs a new episode of Chuyên mục Chuyển đổi số by 01/12/2026" in warnings
    assert "Chuyên mục Chuyển đổi số, 2 times a week" in warnings
    assert "trong kỳ" not in warnings and "cần một tin mới" not in warnings


def test_the_jobs_json_keeps_the_planners_english_and_its_codes(job):
    office, url = job
    status = office.get(url + ".json").get_json()
    short = next(w for w in status["warnings"] if w["severity"] == "error")
    assert short["message"] == "no allowed day left in the period"
    assert short["reasons"] == [{"code": "no_allowed_day", "values": {}}]
