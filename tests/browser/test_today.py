"""The operator's day in a real browser: running order, playing an item, downloads, scope refusals."""
from __future__ import annotations

import zipfile

from playwright.sync_api import expect
from sqlalchemy import select

from radio import db
from radio.models import Episode, PlayLog, User

from .conftest import PHONE, horizontal_overflow, shoot
from .seed import TODAY


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
    page.get_by_role("link", name="Ngày mai →").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Thứ 4, 25/11/2026"
    page.get_by_role("link", name="Cả tuần").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tuần 23/11/2026 – 29/11/2026"
    assert page.locator(".calendar__day").count() == 7
    shoot(page, "week")
    page.get_by_role("link", name="Xem theo tháng").click()
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
