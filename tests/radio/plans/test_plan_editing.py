"""Plans without files: a plan created and its header edited in the browser, and its records ended
or removed from the web (ending keeps history), each through the import's own rules and audit."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from radio.devices.operations import device_by_token, issue_token
from radio.devices.presence import presence, station_devices
from radio.models import Area, AuditLog, Device, Plan, PlayLog, Requirement, ScheduleEntry, Series
from radio.plans.operations import import_plan
from radio.schedule.operations import build_schedule
from tests.factories import MADE, create_area, create_user
from tests.radio.office_kit import client_as, csrf_from, post_form
from tests.radio.plan_text import PLAN, write_plan

TZ_NOON = 5  # UTC hour of noon in Hà Nội
TODAY = date(2026, 11, 20)  # a Friday, before the requirement starts on Monday 23/11/2026


@pytest.fixture
def imported(app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2026, 11, 20, TZ_NOON, tzinfo=timezone.utc))
    import_plan(db, write_plan(tmp_path), None, now=MADE)
    db.flush()
    return db.scalar(select(Plan).where(Plan.code == "tk-2026"))


@pytest.fixture
def office(app, db, imported):
    """The district culture office of huyện Như Thanh."""
    return client_as(app, create_user(db, "vanhoa-nt", "oversight", _area(db, "TH-NT")))


@pytest.fixture
def other_office(app, db, imported):
    """A culture office of another district of the same province."""
    return client_as(app, create_user(db, "vanhoa-tx", "oversight",
                                      create_area(db, "TH-TX", "district", _area(db, "TH"))))


def _area(db, code: str) -> Area:
    return db.scalar(select(Area).where(Area.code == code))


def _audit(db, action: str) -> list[AuditLog]:
    return list(db.scalars(select(AuditLog).where(AuditLog.action == action, AuditLog.actor == "vanhoa-nt")))


def _text(response) -> str:
    return response.get_data(as_text=True)


# -- a plan without a file ----------------------------------------------------------------------

NEW = {"code": "nt-2027", "title": "Kế hoạch tuyên truyền chuyển đổi số huyện Như Thanh 2027",
       "document": "5/KH-UBND", "issued_by": "TH-NT", "report_due": "15/01/2028"}


def test_a_plan_is_created_in_the_browser_from_its_header(office, db):
    page = _text(office.get("/office/plans/new"))
    assert '<option value="TH-NT">huyện Như Thanh</option>' in page  # issuing areas by name, the user's own
    assert "TH-TX" not in page and 'value="01"' not in page  # no other district, no village
    response = post_form(office, "/office/plans/new", NEW)
    assert response.status_code == 302 and response.location.endswith("/office/plans/nt-2027")
    plan = db.scalar(select(Plan).where(Plan.code == "nt-2027"))
    assert (plan.title, plan.document, plan.issued_by.code, plan.report_due) == (
        NEW["title"], "5/KH-UBND", "TH-NT", date(2028, 1, 15))
    [created] = _audit(db, "plan.create")
    assert created.object_key == "nt-2027" and created.after["report_due"] == "2028-01-15"
    shown = _text(office.get(response.location))
    assert NEW["title"] in shown and "Số 5/KH-UBND" in shown and "15/01/2028" in shown


def test_a_new_plan_is_refused_with_its_problems_next_to_its_fields(office, db):
    taken = post_form(office, "/office/plans/new", {**NEW, "code": "tk-2026"})
    assert taken.status_code == 422 and "Đã có một kế hoạch với mã này." in _text(taken)
    assert db.scalar(select(Plan.title).where(Plan.code == "tk-2026")) != NEW["title"]
    untitled = _text(post_form(office, "/office/plans/new", {**NEW, "title": ""}))
    assert untitled.index('name="title"') < untitled.index("bắt buộc phải có") < untitled.index('name="document"')
    bad_day = post_form(office, "/office/plans/new", {**NEW, "report_due": "31/02/2028"})
    assert bad_day.status_code == 422 and "Ngày không hợp lệ" in _text(bad_day)
    assert post_form(office, "/office/plans/new", {**NEW, "issued_by": "TH-TX"}).status_code == 403
    assert db.scalar(select(Plan).where(Plan.code == "nt-2027")) is None


def test_the_header_is_edited_through_the_import_and_audited(office, db, imported):
    form = _text(office.get("/office/plans/tk-2026/edit"))
    assert 'value="15/12/2026"' in form and 'value="12/KH-UBND"' in form  # dates dd/mm/yyyy
    response = post_form(office, "/office/plans/tk-2026/edit", {
        "title": "Kế hoạch (sửa đổi)", "document": "", "issued_by": "TH-NT-TK", "report_due": "20/12/2026"})
    assert response.status_code == 302
    db.refresh(imported)
    assert (imported.title, imported.document, imported.report_due) == (
        "Kế hoạch (sửa đổi)", None, date(2026, 12, 20))
    [update] = _audit(db, "plan.update")
    assert update.before == {"title": "Kế hoạch tuyên truyền về chuyển đổi số xã Thanh Kỳ năm 2026",
                             "document": "12/KH-UBND", "report_due": "2026-12-15"}
    assert update.after == {"title": "Kế hoạch (sửa đổi)", "document": None, "report_due": "2026-12-20"}


def test_a_header_without_a_title_changes_nothing(office, db, imported):
    response = post_form(office, "/office/plans/tk-2026/edit", {"title": " ", "issued_by": "TH-NT-TK"})
    assert response.status_code == 422 and "không được để trống" in _text(response)
    assert _audit(db, "plan.update") == []


# -- ending and removing --------------------------------------------------------------------------

def _end(client, url: str, data: dict):
    return post_form(client, url, data)


REQUIREMENT = "/office/plans/tk-2026/requirements/tk-cds-weekly/end"


def test_a_requirement_ends_on_its_last_day_and_the_rebuild_plans_it_no_further(office, db, imported, app):
    build_schedule(db, None, date(2026, 11, 23), date(2026, 12, 13), now=MADE, tz=_tz(app))
    requirement = db.scalar(select(Requirement).where(Requirement.code == "tk-cds-weekly"))
    assert _planned_days(db, requirement)[-1] > date(2026, 11, 30)
    page = _text(office.get(REQUIREMENT))
    assert 'value="20/11/2026"' in page  # today, dd/mm/yyyy
    assert "Không xoá được: lịch phát còn tham chiếu tới mục này." in page  # so it can only end
    response = _end(office, REQUIREMENT, {"action": "end", "last_day": "30/11/2026"})
    assert response.status_code == 302
    db.refresh(requirement)
    assert requirement.date_to == date(2026, 11, 30)
    [update] = _audit(db, "requirement.update")
    assert (update.object_key, update.before, update.after) == (
        "tk-2026/tk-cds-weekly", {"date_to": "2026-12-31"}, {"date_to": "2026-11-30"})
    assert "áp dụng đến hết ngày 30/11/2026" in _text(office.get(response.location))
    build_schedule(db, None, date(2026, 11, 23), date(2026, 12, 13), now=MADE, tz=_tz(app))
    assert _planned_days(db, requirement) == [date(2026, 11, 24), date(2026, 11, 26)]
    assert db.scalar(select(ScheduleEntry.id).where(ScheduleEntry.requirement_id == requirement.id,
                                                    ScheduleEntry.status == "cancelled")) is not None


@pytest.mark.parametrize("last_day, message", [
    ("19/11/2026", "Ngày cuối cùng không thể trước hôm nay (20/11/2026)"),
    ("21/11/2026", "Yêu cầu về Chuyên mục Chuyển đổi số bắt đầu từ 23/11/2026"),
    ("10/01/2027", "Yêu cầu này đã kết thúc vào 31/12/2026"),
    ("31/11/2026", "Ngày không hợp lệ"),
])
def test_a_requirement_end_is_refused_with_a_clear_message(office, db, last_day, message):
    response = _end(office, REQUIREMENT, {"action": "end", "last_day": last_day})
    assert response.status_code in (409, 422) and message in _text(response)
    assert db.scalar(select(Requirement.date_to)) == date(2026, 12, 31)
    assert _audit(db, "requirement.update") == []


def test_a_requirement_nothing_refers_to_is_removed_outright(office, db):
    page = _text(office.get(REQUIREMENT))
    assert "Xoá hẳn Chuyên mục Chuyển đổi số, 2 lần/tuần" in page
    response = _end(office, REQUIREMENT, {"action": "remove"})
    assert response.status_code == 302
    assert db.scalar(select(Requirement)) is None
    [deleted] = _audit(db, "requirement.delete")
    assert deleted.object_key == "tk-2026/tk-cds-weekly" and deleted.before == {"code": "tk-cds-weekly"}


def test_a_series_with_episodes_ends_by_ending_its_requirements(office, db):
    url = "/office/plans/tk-2026/series/cds/end"
    page = _text(office.get(url))
    assert "Không xoá được: tin, bài, yêu cầu tần suất, kịch bản còn tham chiếu tới mục này." in page
    refused = _end(office, url, {"action": "remove"})
    assert refused.status_code == 409 and "Hãy kết thúc thay vì xoá." in _text(refused)
    assert _end(office, url, {"action": "end", "last_day": "06/12/2026"}).status_code == 302
    assert db.scalar(select(Requirement.date_to)) == date(2026, 12, 6)
    again = _end(office, url, {"action": "end", "last_day": "06/12/2026"})
    assert again.status_code == 409 and "Không còn yêu cầu nào của chuyên mục này áp dụng sau ngày 06/12/2026." \
        in _text(again)


def test_a_new_series_nothing_refers_to_is_removed(office, db):
    assert post_form(office, "/office/plans/tk-2026/series/new", {"code": "thu", "title": "Thử"}).status_code == 302
    assert _end(office, "/office/plans/tk-2026/series/thu/end", {"action": "remove"}).status_code == 302
    assert db.scalar(select(Series).where(Series.code == "thu")) is None
    assert [a.object_key for a in _audit(db, "series.delete")] == ["tk-2026/thu"]


def test_a_device_is_retired_its_token_revoked_and_expected_no_more(office, db, app):
    token = issue_token(db, None, "NO", now=MADE)
    url = "/office/plans/tk-2026/devices/NO/retire"
    assert "Xoá hẳn NO" in _text(office.get(url))  # nothing it reported yet
    assert _end(office, url, {"action": "end"}).status_code == 302
    device = db.scalar(select(Device).where(Device.code == "NO"))
    assert (device.retired_on, device.token_hash) == (TODAY, None)
    assert device_by_token(db, token) is None
    assert presence(device, datetime(2026, 11, 20, tzinfo=timezone.utc), 60) == "retired"
    assert station_devices(db, device.station_id) == []
    [retired] = _audit(db, "device.retire")
    assert retired.object_key == "NO" and retired.after == {"retired_on": "2026-11-20"}
    page = _text(office.get("/office/plans/tk-2026"))
    assert "đã ngừng dùng 20/11/2026" in page and "Cấp mã" not in page
    again = _end(office, url, {"action": "end"})
    assert again.status_code == 409 and "Thiết bị này đã ngừng dùng từ 20/11/2026." in _text(again)
    reissued = post_form(office, "/office/plans/tk-2026/devices/NO/token", {"action": "issue"},
                         page="/office/plans/tk-2026")
    assert reissued.status_code == 302 and db.scalar(select(Device.token_hash)) is None


def test_a_device_that_reported_is_not_removed_but_a_new_one_is(office, db):
    device = db.scalar(select(Device).where(Device.code == "NO"))
    db.add(PlayLog(client_uuid=uuid.uuid4(), device_id=device.id, started_at=MADE, status="played", received_at=MADE))
    db.flush()
    refused = _end(office, "/office/plans/tk-2026/devices/NO/retire", {"action": "remove"})
    assert refused.status_code == 409 and "Không xoá được: nhật ký phát còn tham chiếu" in _text(refused)
    assert db.scalar(select(Device).where(Device.code == "NO")) is not None
    assert post_form(office, "/office/plans/tk-2026/devices/new",
                     {"code": "loa-thu", "area": "01", "station": "thanhky"}).status_code == 302
    assert _end(office, "/office/plans/tk-2026/devices/loa-thu/retire", {"action": "remove"}).status_code == 302
    assert db.scalar(select(Device).where(Device.code == "loa-thu")) is None
    assert [a.object_key for a in _audit(db, "device.delete")] == ["loa-thu"]


def test_a_village_with_devices_ends_and_retires_them(office, db):
    url = "/office/plans/tk-2026/villages/01/end"
    page = _text(office.get(url))
    assert "Không xoá được: thiết bị, nhật ký thao tác còn tham chiếu tới mục này." in page
    assert _end(office, url, {"action": "end"}).status_code == 302
    village = _area(db, "01")
    assert village.ended_on == TODAY
    assert db.scalar(select(Device.retired_on).where(Device.code == "NO")) == TODAY
    [ended] = _audit(db, "area.update")
    assert (ended.object_key, ended.after) == ("01", {"ended_on": "2026-11-20"})
    assert [a.object_key for a in _audit(db, "device.retire")] == ["NO"]
    # an ended village is offered to no new device
    assert 'value="01"' not in _text(office.get("/office/plans/tk-2026/devices/new"))
    again = _end(office, url, {"action": "end"})
    assert again.status_code == 409 and "Thôn này đã kết thúc từ 20/11/2026." in _text(again)


def test_a_new_village_nothing_refers_to_is_removed(office, db):
    assert post_form(office, "/office/plans/tk-2026/villages/new",
                     {"code": "TK-09", "name": "Thôn 9", "parent": "TH-NT-TK"}).status_code == 302
    assert _end(office, "/office/plans/tk-2026/villages/TK-09/end", {"action": "remove"}).status_code == 302
    assert _area(db, "TK-09") is None
    [deleted] = _audit(db, "area.delete")
    assert deleted.object_key == "TK-09" and deleted.area_id == _area(db, "TH-NT-TK").id


def test_each_end_asks_first_and_needs_its_token(office, db):
    for url in (REQUIREMENT, "/office/plans/tk-2026/series/cds/end", "/office/plans/tk-2026/devices/NO/retire",
                "/office/plans/tk-2026/villages/01/end"):
        page = office.get(url)
        assert page.status_code == 200 and 'value="end"' in _text(page), url  # the confirm step
        assert office.post(url, data={"action": "end", "last_day": "30/11/2026"}).status_code == 400, url
        assert office.post(url, data={"action": "remove"}).status_code == 400, url
    token = csrf_from(office, REQUIREMENT)
    assert office.post(REQUIREMENT, data={"csrf_token": token, "action": "drop"}).status_code == 400
    assert db.scalar(select(Requirement.date_to)) == date(2026, 12, 31)
    assert db.scalar(select(Device.retired_on)) is None and _area(db, "01").ended_on is None


def test_another_district_office_can_end_and_remove_nothing_here(other_office, db):
    token = csrf_from(other_office, "/office/plans")
    for url in ("/office/plans/new", "/office/plans/tk-2026/edit", REQUIREMENT,
                "/office/plans/tk-2026/series/cds/end", "/office/plans/tk-2026/devices/NO/retire",
                "/office/plans/tk-2026/villages/01/end"):
        if url != "/office/plans/new":
            refused = other_office.get(url)
            assert refused.status_code == 403 and "Không có quyền" in _text(refused), url
        for action in ("end", "remove"):
            assert other_office.post(url, data={"csrf_token": token, "action": action, "last_day": "30/11/2026",
                                                "title": "x", "issued_by": "TH-NT-TK"}).status_code == 403, url
    assert db.scalar(select(Requirement.date_to)) == date(2026, 12, 31)
    assert db.scalar(select(Device.retired_on)) is None and _area(db, "01").ended_on is None


# -- the ended state survives export and import ---------------------------------------------------

def test_export_then_import_keeps_what_ended(office, db, tmp_path):
    from radio import db as radio_db
    from tests.factories.apps import separate_app
    from tests.factories.servers import throwaway_database

    _end(office, REQUIREMENT, {"action": "end", "last_day": "06/12/2026"})
    _end(office, "/office/plans/tk-2026/villages/01/end", {"action": "end"})
    exported = tmp_path / "out" / "tk-2026.yaml"
    exported.parent.mkdir()
    exported.write_bytes(office.get("/office/plans/tk-2026/export").data)
    text = exported.read_text(encoding="utf-8")
    assert 'ended: "2026-11-20"' in text and 'retired: "2026-11-20"' in text and 'to: "2026-12-06"' in text
    with throwaway_database(tmp_path) as url, separate_app(tmp_path / "instance", DATABASE_URL=url) as fresh:
        with fresh.app_context():
            session = radio_db.session()
            import_plan(session, exported, None, now=MADE)
            assert session.scalar(select(Area.ended_on).where(Area.code == "01")) == TODAY
            assert session.scalar(select(Device.retired_on).where(Device.code == "NO")) == TODAY
            assert session.scalar(select(Requirement.date_to)) == date(2026, 12, 6)


def test_the_original_file_imported_again_does_not_undo_a_retirement(office, db, tmp_path):
    """Devices and areas are shared between plans: a file that says nothing of `retired` or `ended`
    leaves them be. A requirement is the plan's own: the file's `to` is its `to`."""
    _end(office, "/office/plans/tk-2026/villages/01/end", {"action": "end"})
    _end(office, REQUIREMENT, {"action": "end", "last_day": "06/12/2026"})
    import_plan(db, write_plan(tmp_path, PLAN, "again.yaml"), None, now=MADE)
    assert _area(db, "01").ended_on == TODAY
    assert db.scalar(select(Device.retired_on).where(Device.code == "NO")) == TODAY
    assert db.scalar(select(Requirement.date_to)) == date(2026, 12, 31)


def _tz(app):
    from zoneinfo import ZoneInfo

    return ZoneInfo(app.config["TIMEZONE"])


def _planned_days(db, requirement) -> list[date]:
    return sorted({day for day in db.scalars(select(ScheduleEntry.local_date).where(
        ScheduleEntry.requirement_id == requirement.id, ScheduleEntry.status == "planned"))})
