"""Office pages, plans: import with every problem by line, export, edits through the plan reader, scope."""
from __future__ import annotations

import io
import unicodedata
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from radio import jobs
from radio.models import Area, AuditLog, BroadcastWindow, Device, Requirement, Series, Station
from radio.plans.operations import import_plan
from tests.factories import MADE, create_area, create_user
from tests.radio.office_kit import client_as, csrf_from, post_form
from tests.radio.plan_text import PLAN, write_plan


@pytest.fixture
def imported(db, tmp_path):
    import_plan(db, write_plan(tmp_path), None, now=MADE)
    db.flush()
    return db.scalar(select(Station).where(Station.code == "thanhky"))


@pytest.fixture
def office(app, db, imported):
    """The district culture office of huyện Như Thanh."""
    return client_as(app, create_user(db, "vanhoa-nt", "oversight", db.scalar(select(Area).where(Area.code == "TH-NT"))))


@pytest.fixture
def other_office(app, db, imported):
    """A culture office of another district of the same province."""
    other = create_area(db, "TH-TX", "district", db.scalar(select(Area).where(Area.code == "TH")))
    return client_as(app, create_user(db, "vanhoa-tx", "oversight", other))


def upload(client, text: str, name: str = "plan.yaml"):
    token = csrf_from(client, "/office/plans")
    return client.post("/office/plans/import", data={"csrf_token": token, "plan_file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def test_a_refused_plan_lists_every_problem_by_line_and_changes_nothing(office, db):
    bad = PLAN.replace("parent: TH-NT}", "parent: TH-XX}").replace("    period: week\n", "    period: weak\n")
    before = db.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()))
    response = upload(office, bad.replace("tk-2026", "tk-2027"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<tr class="problem"><td>12</td><td><code>areas[2].parent</code></td><td>không có địa bàn cấp trên mã “TH-XX”' in html
    assert "<td>43</td><td><code>requirements[0].period</code></td><td>giá trị lạ “weak”" in html
    assert "2 lỗi" in html
    assert db.scalar(select(AuditLog.id).order_by(AuditLog.id.desc())) == before


@pytest.mark.parametrize(("name", "text"), [("sau.yaml", "version: 1\nplan: " + "[" * 5000 + "]" * 5000),
                                            ("sau.json", '{"version": 1,\n "plan": ' + "[" * 5000 + "]" * 5000 + "}")])
def test_5000_nested_brackets_are_refused_at_their_line_like_any_problem(office, db, name, text):
    before = db.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()))
    response = upload(office, text, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"{name}: không nhập — 1 lỗi" in html
    assert '<tr class="problem"><td>2</td><td><code></code></td><td>lồng nhau quá 32 cấp</td>' in html
    assert db.scalar(select(AuditLog.id).order_by(AuditLog.id.desc())) == before


def test_a_correct_plan_is_imported_and_shown(office, db):
    response = upload(office, PLAN.replace("tk-2026", "tk-2027"), "ke-hoach.yaml")
    assert response.status_code == 302 and response.location.endswith("/office/plans/tk-2027")
    page = office.get("/office/plans/tk-2027").get_data(as_text=True)
    assert "Đài truyền thanh xã Thanh Kỳ" in page and "tk-cds-weekly" in page
    created = db.scalar(select(AuditLog).where(AuditLog.action == "plan.create", AuditLog.object_key == "tk-2027"))
    assert created.actor == "vanhoa-nt"


NAME = "Kế hoạch tuyên truyền 2027.yaml"


@pytest.mark.parametrize("sent", [NAME, unicodedata.normalize("NFD", NAME), "C:\\\\Users\\\\Lan\\\\" + NAME,
                                  "../../" + NAME.replace(" 2027", "\u202e 2027\x07")],
                         ids=["as typed", "decomposed accents", "with its Windows folders", "with hidden characters"])
def test_the_plan_file_is_named_as_the_user_named_it(office, sent):
    """The accents stay (NFC); the folders a browser may send and characters nobody sees do not. (The
    header quotes a backslash as two: werkzeug's test client sends the name as it is given.)"""
    refused = upload(office, PLAN.replace("level: village", "level: thon"), sent).get_data(as_text=True)
    assert f"{NAME}: không nhập — 1 lỗi" in refused
    imported = upload(office, PLAN.replace("tk-2026", "tk-2027"), sent)
    assert imported.status_code == 302
    assert f"Đã nhập {NAME}:" in office.get(imported.location).get_data(as_text=True)


def test_a_long_file_name_is_cut_keeping_its_suffix(office):
    refused = upload(office, PLAN.replace("level: village", "level: thon"), "Kế hoạch " * 40 + ".yaml")
    html = refused.get_data(as_text=True)
    assert f"{('Kế hoạch ' * 40)[:250].rstrip()}.yaml: không nhập" in html


def test_not_a_plan_file_is_refused_by_the_form(office):
    response = upload(office, "hello", "plan.txt")
    assert response.status_code == 400
    assert "Tệp kế hoạch có đuôi .yaml, .yml hoặc .json." in response.get_data(as_text=True)


def test_export_reads_back_as_the_same_plan(office, tmp_path):
    from schedules.planfile import load_plan

    response = office.get("/office/plans/tk-2026/export")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    exported = tmp_path / "out" / "tk-2026.yaml"
    exported.parent.mkdir()
    exported.write_bytes(response.data)
    assert load_plan(exported) == load_plan(write_plan(tmp_path))


def station_form(window_end="06:00", closed="16/02/2027\n17/02/2027", block_at="05:30"):
    return {
        "name": "Đài truyền thanh xã Thanh Kỳ",
        "windows-0-name": "sang", "windows-0-days": ["MO", "TU", "WE", "TH", "FR", "SA"],
        "windows-0-start": "05:30", "windows-0-end": window_end,
        "windows-1-name": "", "windows-1-start": "", "windows-1-end": "",  # a spare row, left blank
        "windows-2-name": "chieu", "windows-2-days": ["MO", "TU"], "windows-2-start": "17:00",
        "windows-2-end": "17:30", "windows-2-from": "01/04/2026", "windows-2-to": "30/09/2026",
        "closed": closed,
        "blocks-0-window": "sang", "blocks-0-at": block_at, "blocks-0-kind": "relay",
        "blocks-0-title": "Tiếp sóng Đài tỉnh", "blocks-0-source": "http://example.invalid/stream",
        "blocks-0-duration": "600",
    }


URL = "/office/plans/tk-2026/stations/thanhky"


def test_station_edit_is_checked_by_the_plan_reader_next_to_each_field(office, db, imported):
    refused = post_form(office, URL, station_form(window_end="05:00", closed="16/02/2027\n30/02/2027"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    # a date that is none is refused by the form itself, next to its field, as typed
    assert html.index('name="closed"') < html.index("Ngày không hợp lệ: viết theo dạng ngày/tháng/năm")
    assert "16/02/2027\n30/02/2027</textarea>" in html
    response = post_form(office, URL, station_form(window_end="05:00", block_at="05:00"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    # the window problem sits next to the end field of the row the user filled in
    end_field = html.index('name="windows-0-end"')
    assert html.index("giờ kết thúc 05:00 không sau giờ bắt đầu 05:30") > end_field
    assert html.index("giờ kết thúc 05:00 không sau giờ bắt đầu 05:30") < html.index('name="windows-1-name"')
    assert 'value="05:00"' in html  # what was typed is kept
    db.refresh(imported)
    assert [w.end_time.strftime("%H:%M") for w in imported.windows] == ["06:00", "17:30"]


def test_a_problem_in_a_row_after_a_blank_one_is_shown_on_that_row(office):
    form = station_form()
    form["windows-2-end"] = "16:00"
    html = post_form(office, URL, form).get_data(as_text=True)
    message = html.index("giờ kết thúc 16:00 không sau giờ bắt đầu 17:00")
    assert html.index('name="windows-2-end"') < message < html.index('name="closed"')


def test_station_edit_saves_through_the_import_and_audits(office, db, imported):
    response = post_form(office, URL, station_form(closed="2027-02-16"))
    assert response.status_code == 302
    db.expire_all()
    station = db.scalar(select(Station).where(Station.code == "thanhky"))
    assert [c.day.isoformat() for c in station.closed_dates] == ["2027-02-16"]
    chieu = db.scalar(select(BroadcastWindow).where(BroadcastWindow.name == "chieu"))
    assert chieu.days == ("MO", "TU")
    actions = set(db.scalars(select(AuditLog.action).where(AuditLog.actor == "vanhoa-nt")))
    assert actions == {"closed_date.delete", "window.update"}
    shown = office.get(URL).get_data(as_text=True)  # dates as the pages write them
    assert "16/02/2027</textarea>" in shown and 'name="windows-1-from" type="text" value="01/04/2026"' in shown


def test_the_station_form_shows_and_keeps_a_window_title(office, db, imported):
    page = office.get(URL).get_data(as_text=True)
    assert 'name="windows-0-title"' in page and "Tên gọi trên trang và sổ nhật ký" in page
    form = station_form()
    form["windows-0-title"] = "Buổi sáng sớm"
    assert post_form(office, URL, form).status_code == 302
    db.expire_all()
    titles = {w.name: w.title for w in db.scalars(select(BroadcastWindow))}
    assert titles == {"sang": "Buổi sáng sớm", "chieu": None}
    assert 'value="Buổi sáng sớm"' in office.get(URL).get_data(as_text=True)
    form["windows-0-title"] = "  "
    refused = post_form(office, URL, form)
    assert refused.status_code == 422 and "không được để trống" in refused.get_data(as_text=True)


def test_the_station_form_chooses_the_voice_and_refuses_a_speed_out_of_range(office, db, imported):
    page = office.get(URL).get_data(as_text=True)
    assert 'name="voice"' in page and "Giọng miền Trung" in page and "Theo địa bàn" in page
    form = {**station_form(), "voice": "central", "voice_speed": "120", "voice_pause": ""}
    assert post_form(office, URL, form).status_code == 302
    db.expire_all()
    station = db.scalar(select(Station).where(Station.code == "thanhky"))
    assert (station.voice_region, station.voice_speed_wpm, station.voice_pause_ms) == ("central", 120, None)
    refused = post_form(office, URL, {**form, "voice_speed": "1000"})
    assert refused.status_code == 422 and "phải từ 80 đến 450, đang là 1000" in refused.get_data(as_text=True)
    assert post_form(office, URL, {**form, "voice": ""}).status_code == 302  # back to the area's voice
    db.expire_all()
    assert db.scalar(select(Station.voice_region)) is None


def test_requirement_form_refuses_min_over_max_and_unknown_window(office, db):
    url = "/office/plans/tk-2026/requirements/tk-cds-weekly"
    data = {"series": "cds", "stations": "thanhky", "period": "week", "airings-min": "3", "airings-max": "2",
            "new_episodes": "1", "days": ["TU", "TH"], "windows": "sang toi", "min_gap_days": "1",
            "from": "2026-11-23", "to": "2026-12-31", "priority": "normal"}
    html = post_form(office, url, data).get_data(as_text=True)
    assert "mức tối thiểu 3 lớn hơn mức tối đa 2" in html
    assert "không đài nào trong phạm vi có khung giờ “toi”" in html
    assert db.scalar(select(Requirement.min_airings)) == 2
    data.update({"airings-min": "1", "windows": "sang"})
    assert post_form(office, url, data).status_code == 302
    db.expire_all()
    assert db.scalar(select(Requirement.min_airings)) == 1


def test_series_village_and_device_are_added_through_the_forms(office, db):
    series = {"code": "khau-hieu", "title": "Khẩu hiệu"}
    assert post_form(office, "/office/plans/tk-2026/series/new", series).status_code == 302
    assert db.scalar(select(Series.title).where(Series.code == "khau-hieu")) == "Khẩu hiệu"
    assert post_form(office, "/office/plans/tk-2026/villages/new",
                     {"code": "TK-02", "name": "Thôn 2", "parent": "TH-NT-TK"}).status_code == 302
    assert post_form(office, "/office/plans/tk-2026/devices/new",
                     {"code": "loa-tk-02", "area": "TK-02", "station": "thanhky"}).status_code == 302
    device = db.scalar(select(Device).where(Device.code == "loa-tk-02"))
    assert device.area.code == "TK-02" and device.station.code == "thanhky"
    duplicate = post_form(office, "/office/plans/tk-2026/series/new", {"code": "", "title": "x"})
    assert duplicate.status_code == 422 and "bắt buộc phải có" in duplicate.get_data(as_text=True)


def test_device_tokens_are_issued_once_and_revoked(office, db):
    token_url = "/office/plans/tk-2026/devices/NO/token"
    response = post_form(office, token_url, {"action": "issue"}, page="/office/plans/tk-2026")
    token = response.get_data(as_text=True).split('id="device-token"')[1].split(">")[1].split("<")[0]
    from radio.devices.operations import device_by_token

    assert device_by_token(db, token).code == "NO"
    assert post_form(office, token_url, {"action": "revoke"}, page="/office/plans/tk-2026").status_code == 302
    assert device_by_token(db, token) is None


def test_another_district_office_is_refused_every_plan_page(other_office):
    assert "tk-2026" not in other_office.get("/office/plans").get_data(as_text=True)
    for url in ("/office/plans/tk-2026", "/office/plans/tk-2026/export", URL,
                "/office/plans/tk-2026/requirements/tk-cds-weekly", "/office/plans/tk-2026/devices/NO"):
        refused = other_office.get(url)
        assert refused.status_code == 403 and "Không có quyền" in refused.get_data(as_text=True), url
    token = csrf_from(other_office, "/office/plans")
    response = other_office.post(URL, data={"csrf_token": token, **station_form(closed="")})
    assert response.status_code == 403


def test_a_form_without_csrf_token_is_refused(office):
    assert office.post(URL, data=station_form()).status_code == 400


def test_an_operator_cannot_use_the_office_pages(app, db, imported):
    operator = client_as(app, create_user(db, "op-tk", "operator", db.scalar(select(Area).where(Area.code == "TH-NT-TK"))))
    assert operator.get("/office/plans/tk-2026").status_code == 403
    assert client_as(app, None).get("/office/plans").status_code == 302  # to the login page


def test_a_rebuild_runs_as_a_job_and_shows_progress_and_the_planners_warnings(office, app, db, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2026, 11, 20, tzinfo=timezone.utc))
    response = post_form(office, "/office/plans/tk-2026/rebuild", {"start": "23/11/2026", "end": "06/12/2026"},
                         page="/office/plans/tk-2026")
    assert response.status_code == 302 and "/office/jobs/" in response.location
    status = office.get(response.location + ".json").get_json()
    assert (status["state"], status["done"], status["total"]) == ("finished", 1, 1)
    # 12 relays (Monday–Saturday, two weeks) and 4 reservations (Tuesday and Thursday): no episode
    # has audio yet, so the planner reserves the slots and says what is needed
    assert status["counts"]["created"] == 16
    needs = [w["message"] for w in status["warnings"] if w["severity"] == "need"]
    assert needs == ["needs a new episode of Chuyên mục Chuyển đổi số by 2026-11-24",
                     "needs a new episode of Chuyên mục Chuyển đổi số by 2026-12-01"]
    assert [w["period"] for w in status["warnings"] if w["severity"] == "warning"] == [
        "23/11/2026–29/11/2026", "30/11/2026–06/12/2026"]
    page = office.get(response.location).get_data(as_text=True)
    assert '<progress id="job-progress" max="1" value="1">' in page and "đã xong" in page
    assert "cần một tin mới của Chuyên mục Chuyển đổi số, chậm nhất ngày 01/12/2026" in page
    other = client_as(app, create_user(db, "vanhoa-2", "oversight", db.scalar(select(Area).where(Area.code == "TH-NT"))))
    assert other.get(response.location).status_code == 404  # a job is its starter's
    assert office.get("/office/jobs/..%2F..%2Fsecret").status_code == 404


def test_a_rebuild_with_the_end_before_the_start_is_refused(office):
    response = post_form(office, "/office/plans/tk-2026/rebuild", {"start": "2026-12-06", "end": "2026-11-23"},
                         page="/office/plans/tk-2026")
    assert response.status_code == 302 and response.location.endswith("/office/plans/tk-2026")
    assert "Ngày kết thúc phải sau ngày bắt đầu." in office.get(response.location).get_data(as_text=True)


def test_the_office_pages_speak_english_when_chosen(office):
    office.set_cookie("lang", "en")
    page = office.get("/office/plans").get_data(as_text=True)
    assert "<h1>Communication plans</h1>" in page and "Check and import" in page and "Kiểm tra và nhập" not in page


def test_with_a_job_queue_the_page_shows_the_rebuild_waiting_then_done(tmp_path):
    """JOBS=huey: the page answers at once with the job queued (0 of 1, the page polls), and a
    worker's run moves it to finished."""
    from radio import db as radio_db
    from tests.factories.apps import separate_app
    from tests.factories.servers import throwaway_database

    with throwaway_database(tmp_path) as url, separate_app(tmp_path / "instance", DATABASE_URL=url,
                                                           JOBS="huey") as queued:
        with queued.app_context():
            session = radio_db.session()
            import_plan(session, write_plan(tmp_path), None, now=MADE)
            create_user(session, "vanhoa-q", "oversight", session.scalar(select(Area).where(Area.code == "TH-NT")))
            session.commit()
        client = client_as(queued, "vanhoa-q")
        location = post_form(client, "/office/plans/tk-2026/rebuild", {"start": "2026-11-23", "end": "2026-11-29"},
                             page="/office/plans/tk-2026").location
        waiting = client.get(location).get_data(as_text=True)
        assert 'data-state="queued"' in waiting and 'value="0"' in waiting and "job_status" not in waiting
        assert location + ".json" in waiting  # the page follows the job
        huey = jobs.queue(queued)
        huey.execute(huey.dequeue())
        status = client.get(location + ".json").get_json()
        assert (status["state"], status["done"], status["total"]) == ("finished", 1, 1)


def test_a_new_station_is_added_with_its_windows(office, db):
    form = station_form()
    form.update({"code": "thanhky-2", "area": "TH-NT-TK", "name": "Đài thứ hai", "blocks-0-window": "",
                 "blocks-0-at": "", "blocks-0-kind": "", "blocks-0-title": "", "blocks-0-source": "",
                 "blocks-0-duration": ""})
    assert post_form(office, "/office/plans/tk-2026/stations/new", form).status_code == 302
    station = db.scalar(select(Station).where(Station.code == "thanhky-2"))
    assert station.area.code == "TH-NT-TK" and [w.name for w in station.windows] == ["sang", "chieu"]
    elsewhere = post_form(office, "/office/plans/tk-2026/stations/new", {**form, "code": "x", "area": "TH"})
    assert elsewhere.status_code == 403
