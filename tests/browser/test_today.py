"""The operator's day in a real browser: running order, playing an item, downloads, scope refusals."""
from __future__ import annotations

import re
import subprocess
import zipfile
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from radio import db, lookups
from radio.models import Episode, PlayLog, ScheduleEntry, User

from .conftest import PHONE, horizontal_overflow, shoot
from .seed import NOW, TODAY, TZ


def confirmations(site) -> list[tuple[str, str]]:
    """(who, what) of the operator confirmations stored by the served app."""
    app = site[2]
    with app.app_context():
        rows = db.session().execute(select(User.username, Episode.title).join(PlayLog, PlayLog.user_id == User.id)
                                    .join(Episode, Episode.id == PlayLog.episode_id)
                                    .where(PlayLog.entry_id.is_not(None))).all()  # not airings off the schedule
    return [tuple(row) for row in rows]


def test_operator_opens_today_plays_an_item_ticks_it_and_downloads_the_day_pack(page, log_in, seeded, site,
                                                                                tmp_path):
    log_in("operator")  # one station: the home page is its day
    assert page.url.endswith(f"/stations/{seeded.station}/today")
    assert page.get_by_role("heading", level=1).inner_text() == "Hôm nay, Thứ 3, 24/11/2026"
    items = page.locator("li.item")
    assert items.count() == 3  # twice a day, and a reservation for the series without audio
    audio = items.first.locator("audio")
    audio.evaluate("a => a.play()")
    page.wait_for_function("a => a.currentTime > 0.2", arg=audio.element_handle())
    assert audio.evaluate("a => a.error") is None
    with page.expect_download() as info:
        page.get_by_role("link", name="Gói cả ngày (ZIP)").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name.endswith("24-11-2026.zip")
    with zipfile.ZipFile(saved) as pack:
        names = pack.namelist()
    assert any(n.endswith(".m3u8") for n in names) and sum(n.endswith(".mp3") for n in names) >= 2
    first = items.first
    first.get_by_role("button", name="Đánh dấu đã phát").click()
    expect(page.get_by_role("status").filter(has_text="Đã ghi nhận")).to_be_visible()
    assert items.first.locator(".badge--ok").inner_text() == "✓ đã phát"
    assert items.nth(2).get_by_role("button", name="Đánh dấu đã phát").count() == 0  # 17:00 has not come yet
    assert confirmations(site) == [("op-tk", "Bản tin chuyển đổi số số 1")]
    shoot(page, "today")


def test_tomorrow_and_the_week_are_one_click_away(page, log_in, seeded):
    log_in("operator")
    heading = page.get_by_role("heading", level=1)
    page.get_by_role("link", name="Ngày mai →").click()
    expect(heading).to_have_text("Thứ 4, 25/11/2026")  # each waits for the page it asks for
    page.get_by_role("link", name="Cả tuần").click()
    expect(heading).to_have_text("Tuần 23/11/2026 – 29/11/2026")
    assert page.locator(".calendar__day").count() == 7
    shoot(page, "week")
    page.get_by_role("link", name="Xem theo tháng").click()
    expect(heading).to_have_text("Tháng 11/2026")
    assert page.locator(".calendar__day").count() % 7 == 0
    page.get_by_role("button", name="Tạo đường dẫn lịch").click()
    link = page.locator("#feed-url").input_value()
    assert f"/stations/{seeded.station}/calendar.ics?token=" in link
    response = page.request.get(link)
    assert response.ok and b"BEGIN:VCALENDAR" in response.body()


def test_operator_is_refused_another_communes_pages_and_downloads(page, log_in, seeded):
    log_in("operator")
    other = seeded.other_station
    for path in (f"/stations/{other}/today", f"/stations/{other}/calendar",
                 f"/stations/{other}/on/{TODAY.isoformat()}"):
        assert page.goto(path).status == 403, path
    for ext in ("zip", "m3u8", "pdf"):
        response = page.request.get(f"/stations/{other}/days/{TODAY.isoformat()}.{ext}")
        assert response.status == 403, ext


def test_the_day_at_phone_width_has_no_horizontal_scroll(page, log_in):
    page.set_viewport_size(PHONE)
    log_in("operator")
    assert horizontal_overflow(page) == 0


def _undo_every_tick(page) -> None:
    """Leave the shared day as the other tests expect it: nothing ticked."""
    while page.get_by_role("button", name="Bỏ dấu").count():
        page.get_by_role("button", name="Bỏ dấu").first.click()
        expect(page.get_by_role("status").filter(has_text="Đã bỏ dấu đã phát.")).to_be_visible()


@pytest.fixture
def relay(site, seeded):
    """A ten-minute relay in the morning window (06:10–06:20), removed after the test."""
    app = site[2]
    with app.app_context():
        session = db.session()
        start = datetime.combine(TODAY, time(6, 10), TZ)
        entry = ScheduleEntry(station=lookups.station(session, seeded.station), start_at=start,
                              end_at=start + timedelta(minutes=10), local_date=TODAY, window_name="Sáng",
                              kind="relay", title="Tiếp sóng Đài Phát thanh tỉnh",
                              source="http://radio.thanhhoa.invalid/live.mp3", origin="manual", created_at=NOW)
        session.add(entry)
        session.commit()
        key = entry.id
    yield
    with app.app_context():
        session = db.session()
        session.execute(delete(PlayLog).where(PlayLog.entry_id == key))
        session.execute(delete(ScheduleEntry).where(ScheduleEntry.id == key))
        session.commit()


def test_on_a_phone_the_running_order_comes_first_and_the_whole_window_is_ticked(page, log_in, seeded, relay):
    page.set_viewport_size(PHONE)
    log_in("operator")
    _undo_every_tick(page)
    warnings = page.locator("details.warnings")
    expect(warnings).to_be_visible()
    assert warnings.get_attribute("open") is None
    assert warnings.bounding_box()["height"] < 60  # one line, with its count
    assert "2 cảnh báo" in warnings.locator("summary").inner_text()
    # As the operator opens the day: from the top (an undo above left the page at the item's anchor,
    # scrolled, where every item is "on the first screen").
    page.goto(f"/stations/{seeded.station}/today")
    assert page.evaluate("window.scrollY") == 0
    opening = page.locator("section.window").first
    for part in (opening.get_by_role("heading", level=2), opening.locator("ol.steps > li").first):
        assert part.bounding_box()["y"] + part.bounding_box()["height"] < PHONE["height"]  # the running order first
    first = page.locator("li.item").first
    assert re.fullmatch(r"\d\d:\d\d:\d\d–\d\d:\d\d:\d\d", first.locator(".item__time").inner_text())
    assert "2 giây" in first.inner_text()  # a two-second item: its seconds, never "06:00–06:00"
    shoot(page, "day-phone-before-tick")
    warnings.locator("summary").click()
    expect(warnings.get_by_text("Loa thôn không liên lạc được:")).to_be_visible()
    warnings.locator("summary").click()
    morning = page.locator("section.window").first
    steps = morning.locator("ol.steps > li")
    expect(steps.nth(0)).to_contain_text("Phát tệp MP3 của buổi")
    expect(steps.nth(1)).to_contain_text("06:10–06:20 Chuyển sang tiếp sóng: Tiếp sóng Đài Phát thanh tỉnh")
    expect(steps.nth(1)).to_contain_text("nguồn http://radio.thanhhoa.invalid/live.mp3")
    expect(morning.locator("li.item").nth(1)).to_contain_text("10 phút")
    morning.get_by_role("button", name=re.compile("Đánh dấu cả buổi đã phát")).click()
    expect(page.get_by_role("status").filter(has_text="Đã ghi nhận: cả buổi đã phát.")).to_be_visible()
    ticked = page.locator("section.window").first.locator("li.item")
    for n in range(ticked.count()):
        expect(ticked.nth(n).locator(".badge--ok")).to_have_text("✓ đã phát")
        expect(ticked.nth(n).locator(".item__tick")).to_have_text("Nguyễn Thị Hoa đánh dấu lúc 07:30")
    assert horizontal_overflow(page) == 0
    shoot(page, "day-phone-after-tick")
    book = page.request.get(f"/stations/{seeded.station}/days/{TODAY.isoformat()}.pdf")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=book.body(), capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert text.count("☑") == ticked.count() and "Nguyễn Thị Hoa" in text
    _undo_every_tick(page)
    assert page.get_by_text("✓ đã phát").count() == 0
