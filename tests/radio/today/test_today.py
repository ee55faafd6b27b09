"""The operator's day and calendar pages through the test client: scope, the "đã phát" tick."""
from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from radio.models import AuditLog, PlayLog, ScheduleEntry
from tests.radio.web_kit import csrf_token, log_in, web  # noqa: F401  (fixture)
from tests.radio.web_scene import DAY, scene  # noqa: F401  (fixture)


def _entry(db, station) -> ScheduleEntry:
    return db.scalar(select(ScheduleEntry).where(ScheduleEntry.station_id == station.id,
                                                 ScheduleEntry.local_date == DAY))


def test_an_operator_of_one_station_lands_on_its_day(web, scene):
    log_in(web, "op-tk")
    response = web.get("/")
    assert response.headers["Location"] == "/stations/thanhky/today"
    page = web.get("/stations/thanhky/today").get_data(as_text=True)
    assert "Hôm nay, Thứ 3, 24/11/2026" in page and "Bản tin tin-1" in page
    assert "/stations/thanhky/days/2026-11-24.zip" in page and "window=sang" in page
    # The factory's episode has a media row but no file in the store: nothing to play, and said so.
    assert "1 mục chưa có nội dung để phát:" in page and "<audio" not in page


@pytest.mark.parametrize("path", [
    "/stations/xuanan/today", "/stations/xuanan/on/2026-11-24", "/stations/xuanan/calendar",
    "/stations/xuanan/calendar?view=month", "/stations/xuanan/days/2026-11-24.zip",
    "/stations/xuanan/days/2026-11-24.pdf",
])
def test_another_communes_pages_and_downloads_are_refused(web, scene, path):
    log_in(web, "op-tk")
    assert web.get(path).status_code == 403


def test_another_communes_tick_and_calendar_link_are_refused(web, db, scene):
    log_in(web, "op-tk")
    token = csrf_token(web.get("/stations/thanhky/today").get_data(as_text=True))
    assert web.post("/stations/xuanan/on/2026-11-24/aired", data={"csrf_token": token, "entry": "x"}).status_code == 403
    assert web.post("/stations/xuanan/calendar/link", data={"csrf_token": token}).status_code == 403


def test_unknown_station_or_day_is_not_found(web, scene):
    log_in(web, "op-tk")
    assert web.get("/stations/nowhere/today").status_code == 404
    assert web.get("/stations/thanhky/on/24-11-2026").status_code == 404
    assert web.get("/stations/thanhky/calendar?view=year").status_code == 404


def test_pages_need_a_login(web, scene):
    response = web.get("/stations/thanhky/today")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_tick_records_who_confirmed_once(web, db, scene):
    log_in(web, "op-tk")
    entry = _entry(db, scene["ours"])
    page = web.get("/stations/thanhky/today").get_data(as_text=True)
    assert "Đánh dấu đã phát" in page
    for _ in range(2):  # a double click stores one confirmation
        response = web.post("/stations/thanhky/on/2026-11-24/aired",
                            data={"csrf_token": csrf_token(page), "entry": str(entry.uuid)})
        assert response.status_code == 302
    logs = db.scalars(select(PlayLog).where(PlayLog.entry_id == entry.id)).all()
    assert [(log.user_id, log.status) for log in logs] == [(scene["operator"].id, "played")]
    after = web.get("/stations/thanhky/today").get_data(as_text=True)
    assert "✓ đã phát" in after and "Đánh dấu đã phát" not in after


def test_a_tick_for_an_unknown_entry_says_why_and_stores_nothing(web, db, scene):
    log_in(web, "op-tk")
    page = web.get("/stations/thanhky/today").get_data(as_text=True)
    response = web.post("/stations/thanhky/on/2026-11-24/aired", data={"csrf_token": csrf_token(page), "entry": "abc"},
                        follow_redirects=True)
    assert "Không đánh dấu được" in response.get_data(as_text=True)
    assert db.scalars(select(PlayLog)).all() == []


def test_an_approver_sees_the_day_but_cannot_tick(web, db, scene):
    log_in(web, "duyet-tk")
    page = web.get("/stations/thanhky/today").get_data(as_text=True)
    assert "Đánh dấu đã phát" not in page
    response = web.post("/stations/thanhky/on/2026-11-24/aired",
                        data={"csrf_token": csrf_token(page), "entry": str(_entry(db, scene["ours"]).uuid)})
    assert response.status_code == 403


def test_week_and_month_calendars_start_on_monday(web, scene):
    log_in(web, "op-tk")
    week = web.get("/stations/thanhky/calendar?day=2026-11-26").get_data(as_text=True)
    assert "Tuần 23/11/2026 – 29/11/2026" in week and week.count('class="calendar__day') == 7
    month = web.get("/stations/thanhky/calendar?view=month&day=2026-11-26").get_data(as_text=True)
    assert "Tháng 11/2026" in month and month.count('class="calendar__day') == 42  # Thứ 2 26/10 … Chủ nhật 06/12


def test_the_day_in_english_when_chosen(web, scene):
    log_in(web, "op-tk")
    page = web.get("/stations/thanhky/today").get_data(as_text=True)
    web.post("/language", data={"csrf_token": csrf_token(page), "language": "en", "next": "/stations/thanhky/today"})
    english = web.get("/stations/thanhky/today").get_data(as_text=True)
    assert "Today, Tuesday, 24/11/2026" in english and "Day pack (ZIP)" in english and "Mark as aired" in english
    assert "Gói cả ngày" not in english


def test_windows_are_shown_by_the_names_people_read(web, db, scene):
    log_in(web, "op-tk")
    page = web.get("/stations/thanhky/today").get_data(as_text=True)
    assert ">Buổi sáng\n" in page and "Tải MP3: Buổi sáng" in page and "Buổi sang" not in page
    scene["ours"].windows[0].title = "Chương trình buổi sớm"
    db.commit()
    assert "Tải MP3: Chương trình buổi sớm" in web.get("/stations/thanhky/today").get_data(as_text=True)
    scene["ours"].windows[0].title = None
    db.commit()
    web.set_cookie("lang", "en")
    english = web.get("/stations/thanhky/today").get_data(as_text=True)
    assert ">Morning\n" in english and "Download as MP3: Morning" in english


def _pdf_text(web, day="2026-11-24") -> tuple[str, str]:
    """The day's log book PDF as pdftotext reads it, and its ETag."""
    response = web.get(f"/stations/thanhky/days/{day}.pdf")
    assert response.status_code == 200
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.data, capture_output=True, check=True)
    return done.stdout.decode("utf-8"), response.headers["ETag"]


def test_the_whole_window_is_ticked_shown_with_who_and_when_printed_and_undone(web, db, scene):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    log_in(web, "op-tk")
    scene["operator"].display_name = "Nguyễn Văn Trực"
    db.commit()
    entry = _entry(db, scene["ours"])
    page = web.get("/stations/thanhky/today").get_data(as_text=True)
    empty, empty_tag = _pdf_text(web)
    assert "☑" not in empty and "☐" in empty
    done = web.post("/stations/thanhky/on/2026-11-24/aired", data={"csrf_token": csrf_token(page), "window": "sang"},
                    follow_redirects=True).get_data(as_text=True)
    assert "Đã ghi nhận: cả buổi đã phát." in done and "✓ đã phát" in done
    assert "Nguyễn Văn Trực đánh dấu lúc 07:00" in done and "Bỏ dấu" in done
    ticked, ticked_tag = _pdf_text(web)
    assert ticked_tag != empty_tag  # a browser holding the empty book gets the new one
    assert "☑" in ticked and "Nguyễn Văn Trực" in ticked and "07:00 24/11" in ticked
    undone = web.post("/stations/thanhky/on/2026-11-24/unaired",
                      data={"csrf_token": csrf_token(done), "entry": str(entry.uuid)}, follow_redirects=True)
    text = undone.get_data(as_text=True)
    assert "Đã bỏ dấu đã phát." in text and "Đánh dấu đã phát" in text and "✓ đã phát" not in text
    assert db.scalars(select(PlayLog)).all() == []
    [audited] = db.scalars(select(AuditLog).where(AuditLog.action == "playlog.unconfirm")).all()
    assert audited.before["by"] == "Nguyễn Văn Trực"
    assert "☑" not in _pdf_text(web)[0]


def test_a_whole_window_with_nothing_in_it_is_not_said_aired(web, db, scene):
    log_in(web, "op-tk")
    page = web.get("/stations/thanhky/on/2026-11-23").get_data(as_text=True)  # Monday: the window is empty
    response = web.post("/stations/thanhky/on/2026-11-23/aired",
                        data={"csrf_token": csrf_token(page), "window": "sang"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Không đánh dấu được: Buổi phát này không có mục nào để đánh dấu." in text
    assert "cả buổi đã phát" not in text and db.scalars(select(PlayLog)).all() == []


def test_an_undo_of_nothing_says_why(web, db, scene):
    log_in(web, "op-tk")
    page = web.get("/stations/thanhky/today").get_data(as_text=True)
    response = web.post("/stations/thanhky/on/2026-11-24/unaired",
                        data={"csrf_token": csrf_token(page), "entry": str(_entry(db, scene["ours"]).uuid)},
                        follow_redirects=True)
    assert "Mục này chưa được đánh dấu đã phát." in response.get_data(as_text=True)


def test_items_are_tickable_once_their_window_opens(web, db, scene, app, monkeypatch):
    log_in(web, "op-tk")
    opened = datetime(2026, 11, 24, 5, 31, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setitem(app.config, "CLOCK", lambda: opened)
    entry = _entry(db, scene["ours"])
    entry.start_at = opened + timedelta(minutes=20)  # later in the window
    entry.end_at = entry.start_at + timedelta(minutes=1)
    db.commit()
    page = web.get("/stations/thanhky/today").get_data(as_text=True)
    assert "Đánh dấu đã phát" in page
    monkeypatch.setitem(app.config, "CLOCK", lambda: opened - timedelta(minutes=2))
    assert "Đánh dấu đã phát" not in web.get("/stations/thanhky/today").get_data(as_text=True)


@pytest.mark.parametrize("season", [{"valid_to": DAY - timedelta(days=1)}, {"days": ("MO", "WE")}])
def test_a_whole_window_is_not_ticked_on_a_day_it_is_not_on_air(web, db, scene, season):
    log_in(web, "op-tk")
    page = web.get("/stations/thanhky/today").get_data(as_text=True)
    for name, value in season.items():  # the day's schedule was built before the window's season changed
        setattr(scene["ours"].windows[0], name, value)
    db.commit()
    text = web.post("/stations/thanhky/on/2026-11-24/aired", data={"csrf_token": csrf_token(page), "window": "sang"},
                    follow_redirects=True).get_data(as_text=True)
    assert "Không đánh dấu được: “Buổi sáng” không phát vào ngày 24/11/2026." in text
    assert db.scalars(select(PlayLog)).all() == []
    assert db.scalars(select(AuditLog).where(AuditLog.action == "playlog.confirm")).all() == []
    web.set_cookie("lang", "en")
    english = web.post("/stations/thanhky/on/2026-11-24/aired", data={"csrf_token": csrf_token(page), "window": "sang"},
                       follow_redirects=True).get_data(as_text=True)
    assert "“Morning” is not on air on 24/11/2026." in english and db.scalars(select(PlayLog)).all() == []


@pytest.mark.parametrize(("ticked_at", "said", "in_english"), [
    # 06:30 on 25/11 in Hà Nội, still 24/11 in UTC: the next morning, so its date is written
    (datetime(2026, 11, 24, 23, 30, tzinfo=ZoneInfo("UTC")), "op-tk đánh dấu lúc 06:30 ngày 25/11/2026<",
     "ticked by op-tk at 06:30 on 25/11/2026<"),
    # 06:30 on 24/11 in Hà Nội, 23/11 in UTC: the page's own day, the time alone
    (datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("UTC")), "op-tk đánh dấu lúc 06:30<", "ticked by op-tk at 06:30<"),
])
def test_a_tick_made_on_another_day_shows_its_date(web, db, scene, app, monkeypatch, ticked_at, said, in_english):
    log_in(web, "op-tk")
    page = web.get("/stations/thanhky/on/2026-11-24").get_data(as_text=True)
    monkeypatch.setitem(app.config, "CLOCK", lambda: ticked_at)
    response = web.post("/stations/thanhky/on/2026-11-24/aired",
                        data={"csrf_token": csrf_token(page), "entry": str(_entry(db, scene["ours"]).uuid)})
    assert response.status_code == 302
    assert said in web.get("/stations/thanhky/on/2026-11-24").get_data(as_text=True)
    web.set_cookie("lang", "en")
    assert in_english in web.get("/stations/thanhky/on/2026-11-24").get_data(as_text=True)
