"""An edit the published schedule follows only after a rebuild (a window, a requirement, a series)
says so, shows what changed, and offers one button that rebuilds the stations and dates it touches."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from radio.models import Area, AuditLog, Requirement, ScheduleEntry
from radio.plans.operations import import_plan
from radio.schedule.operations import build_schedule
from tests.factories import MADE, create_user
from tests.radio.office_kit import client_as, post_form
from tests.radio.plan_text import write_plan

NOW = datetime(2026, 11, 20, 5, tzinfo=timezone.utc)  # Friday 20/11/2026, noon in Hà Nội
URL = "/office/plans/tk-2026/stations/thanhky"


@pytest.fixture
def office(app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    import_plan(db, write_plan(tmp_path), None, now=MADE)
    build_schedule(db, None, date(2026, 11, 23), date(2026, 12, 6), now=NOW, tz=ZoneInfo("Asia/Ho_Chi_Minh"))
    user = create_user(db, "vanhoa-nt", "oversight", db.scalar(select(Area).where(Area.code == "TH-NT")))
    db.commit()
    return client_as(app, user)


def station_form(sang_end="06:00", evening="chieu", evening_end="17:30", name="Đài truyền thanh xã Thanh Kỳ"):
    six_days = ["MO", "TU", "WE", "TH", "FR", "SA"]
    return {
        "name": name,
        "windows-0-name": "sang", "windows-0-days": six_days, "windows-0-start": "05:30", "windows-0-end": sang_end,
        "windows-1-name": evening, "windows-1-days": six_days, "windows-1-start": "17:00",
        "windows-1-end": evening_end, "windows-1-from": "01/04/2026", "windows-1-to": "30/09/2026",
        "closed": "16/02/2027\n17/02/2027",
        "blocks-0-window": "sang", "blocks-0-at": "05:30", "blocks-0-kind": "relay",
        "blocks-0-title": "Tiếp sóng Đài tỉnh", "blocks-0-source": "http://example.invalid/stream",
        "blocks-0-duration": "600",
    }


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_window_edit_says_a_rebuild_is_needed_and_what_changed(office):
    saved = post_form(office, URL, station_form(sang_end="06:15", evening="chieu-muon", evening_end="17:45"))
    assert saved.status_code == 302
    page = office.get(saved.location).get_data(as_text=True)
    assert "Đã lưu. Lịch đã lập và các loa vẫn theo cách cũ cho tới khi lập lại lịch." in page
    offer = text(page.split('id="rebuild-offer"')[1].split("</section>")[0])
    assert "buổi phát “sang” của Đài truyền thanh xã Thanh Kỳ: giờ kết thúc: 06:00 → 06:15" in offer
    assert "Bỏ buổi phát “chieu” của Đài truyền thanh xã Thanh Kỳ" in offer
    assert "Thêm buổi phát “chieu-muon” của Đài truyền thanh xã Thanh Kỳ" in offer
    assert "Lập lại lịch của Đài truyền thanh xã Thanh Kỳ từ 20/11/2026 đến 05/12/2026" in offer
    assert 'id="rebuild-offer"' not in office.get(saved.location).get_data(as_text=True)  # said once


def test_the_offers_button_rebuilds_that_station_and_those_dates(office, db):
    post_form(office, URL, station_form(sang_end="06:15"))
    page = office.get("/office/plans/tk-2026").get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(start|end|stations)" value="([^"]*)">',
                             page.split('id="rebuild-offer"')[1]))
    assert fields == {"start": "20/11/2026", "end": "05/12/2026", "stations": "thanhky"}
    job = post_form(office, "/office/plans/tk-2026/rebuild", fields, page="/office/plans/tk-2026")
    status = office.get(job.location + ".json").get_json()
    assert status["state"] == "finished" and status["total"] == 1
    assert (status["from"], status["to"]) == ("2026-11-20", "2026-12-05")
    build = db.scalars(select(AuditLog).where(AuditLog.action == "schedule.build")
                       .order_by(AuditLog.id.desc())).first()
    assert build.actor == "vanhoa-nt" and build.object_key == "thanhky"


def test_an_edit_that_reaches_no_schedule_just_says_saved(office):
    saved = post_form(office, URL, station_form(name="Đài xã Thanh Kỳ"))
    page = office.get(saved.location).get_data(as_text=True)
    assert "Đã lưu." in page and 'id="rebuild-offer"' not in page and "lập lại lịch." not in page


def test_a_requirement_edit_offers_the_stations_it_airs_at(office, db):
    form = office.get("/office/plans/tk-2026/requirements/tk-cds-weekly").get_data(as_text=True)
    assert "tk-cds-weekly" in form
    requirement = db.scalar(select(Requirement).where(Requirement.code == "tk-cds-weekly"))
    assert db.scalar(select(func.count()).select_from(ScheduleEntry).where(
        ScheduleEntry.requirement_id == requirement.id)) > 0
    saved = post_form(office, "/office/plans/tk-2026/requirements/tk-cds-weekly", {
        "series": "cds", "stations": ["thanhky"], "period": "week", "airings-min": "2", "airings-max": "2",
        "new_episodes": "1", "days": ["TU", "TH"], "windows": "sang chieu", "duration-min": "120",
        "duration-max": "180", "min_gap_days": "1", "from": "23/11/2026", "to": "31/12/2026",
        "priority": "priority"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    offer = text(office.get(saved.location).get_data(as_text=True).split('id="rebuild-offer"')[1].split("</section>")[0])
    assert "mức ưu tiên: Thông thường → Ưu tiên" in offer
    assert "Lập lại lịch của Đài truyền thanh xã Thanh Kỳ" in offer
