"""An operator edits the day by hand in a real browser, on a phone and on a desktop: moves an item
to a free time, pins one, fills a slot waiting for content, cancels one, adds a spot and records
an airing made off the schedule.

A commune of its own (in a province of its own) is added to the served app once, so nothing
another test looks at changes; each test edits a different day of it.
"""
from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from radio import db, lookups
from radio.auth.operations import add_user
from radio.auth.web import limiter
from radio.media.library import add_episode_audio
from radio.models import Area, BroadcastWindow, FixedBlock, Plan, PlayLog, Requirement, ScheduleEntry, Series, Station
from radio.schedule.operations import build_schedule

from .conftest import DESKTOP, PHONE, horizontal_overflow, shoot
from .seed import EVERY_DAY, NOW, PASSWORD, TODAY, TZ, _tone

OPERATOR = "op-donglinh"
STATION = "donglinh"
SECURITY = "Chuyên mục An ninh trật tự"


@pytest.fixture(scope="module")
def commune(site, tmp_path_factory):
    """Xã Đông Lĩnh airs 06:00–06:30 and 17:00–17:30 (a relay of the province from 17:00 to 17:05);
    it must air the digital-transformation series every afternoon, and the security series too,
    whose first item was uploaded after the schedule was built: its airings wait for content."""
    app, folder = site[2], tmp_path_factory.mktemp("day-edits")
    with app.app_context():
        session = db.session()
        province = Area(code="HTI", name="Hà Tĩnh", level="province")
        area = Area(code="HTI-DL", name="Xã Đông Lĩnh", level="commune", parent=province)
        station = Station(code=STATION, name="Đài truyền thanh xã Đông Lĩnh", area=area)
        afternoon = BroadcastWindow(name="Chiều", days=EVERY_DAY, start_time=time(17, 0), end_time=time(17, 30))
        station.windows += [BroadcastWindow(name="Sáng", days=EVERY_DAY, start_time=time(6, 0), end_time=time(6, 30)),
                            afternoon]
        station.blocks.append(FixedBlock(window=afternoon, at=time(17, 0), kind="relay", title="Tiếp sóng Đài Hà Tĩnh",
                                         duration_s=300))
        plan = Plan(code="dl-2026", title="Kế hoạch tuyên truyền xã Đông Lĩnh 2026", issued_by=area,
                    report_due=date(2026, 12, 31))
        digital = Series(plan=plan, code="cds", title="Chuyên mục Chuyển đổi số")
        security = Series(plan=plan, code="antt", title=SECURITY)
        session.add_all([province, area, station, plan, digital, security])
        add_user(session, None, OPERATOR, PASSWORD, "operator", area.code, "Đỗ Thị Lan", now=NOW)
        session.flush()
        operator = lookups.user(session, OPERATOR)
        for n, title in enumerate(("Chuyển đổi số: dịch vụ công trực tuyến", "Khẩu hiệu ngày chuyển đổi số")):
            add_episode_audio(session, operator, digital, _tone(folder, f"cds{n}", 2 + n, 500 + 100 * n),
                              title=title, code=f"cds-{n + 1}", now=NOW)
        for series, code in ((digital, "cds-ngay"), (security, "antt-ngay")):
            session.add(Requirement(
                plan=plan, series=series, stations=[station], code=code, period="day", min_airings=1,
                max_airings=1, new_episodes=0, days=EVERY_DAY, windows=("Chiều",), levels=(), min_gap_days=0,
                date_from=TODAY, date_to=TODAY + timedelta(days=10), priority="normal"))
        session.flush()
        build_schedule(session, None, TODAY, TODAY + timedelta(days=7), now=NOW, tz=TZ, stations={STATION})
        add_episode_audio(session, operator, security, _tone(folder, "antt", 2, 880),
                          title="An ninh trật tự: cảnh giác lừa đảo", code="antt-1", now=NOW)
        session.commit()
    return app


@pytest.fixture
def operator(commune, page: Page, log_in) -> Page:
    """The page, logged in as the commune's operator (the login limit cleared around it)."""
    limiter.reset()
    log_in(OPERATOR)
    yield page
    limiter.reset()


def stored(app, day: date) -> list[ScheduleEntry]:
    with app.app_context():
        return db.session().scalars(select(ScheduleEntry).join(Station).where(
            Station.code == STATION, ScheduleEntry.local_date == day).order_by(ScheduleEntry.start_at)).all()


def item(page: Page, text: str):
    return page.locator("li.item").filter(has_text=text)


def open_day(page: Page, day: date) -> None:
    page.goto(f"/stations/{STATION}/on/{day.isoformat()}")


def test_moving_an_item_and_pinning_another_on_a_phone(operator: Page, commune):
    page = operator
    page.set_viewport_size(PHONE)
    assert page.url.endswith(f"/stations/{STATION}/today")  # one station: the home page is its day
    assert horizontal_overflow(page) == 0
    item(page, "Chuyên mục Chuyển đổi số").get_by_role("link", name=re.compile("^Sửa")).click()
    assert page.get_by_role("heading", level=1).inner_text() in ("Chuyển đổi số: dịch vụ công trực tuyến",
                                                                  "Khẩu hiệu ngày chuyển đổi số")
    offered = page.get_by_label("Giờ mới", exact=True).locator("option").all_inner_texts()
    assert offered and all(text.startswith("17:") for text in offered)  # the morning is over, the relay busy
    assert not any(text.startswith("17:00") for text in offered)
    assert horizontal_overflow(page) == 0
    shoot(page, "day-edits-item")
    page.get_by_label("Giờ mới", exact=True).select_option(f"{TODAY.isoformat()}T17:20:00")
    page.get_by_role("button", name="Dời sang giờ này").click()
    expect(page.get_by_role("status").filter(has_text="Đã dời")).to_be_visible()
    moved = item(page, "Chuyên mục Chuyển đổi số")
    expect(moved.locator(".item__time")).to_have_text(re.compile("^17:20(:00)?–"))
    expect(moved).to_contain_text("Sửa tay")
    assert [e.origin for e in stored(commune, TODAY) if e.start_at.astimezone(TZ).time() == time(17, 20)] == ["manual"]

    item(page, "Tiếp sóng Đài Hà Tĩnh").get_by_role("link", name=re.compile("^Sửa")).click()
    page.get_by_role("button", name="Ghim mục này").click()
    expect(page.get_by_role("status").filter(has_text="Đã ghim")).to_be_visible()
    expect(page.get_by_role("button", name="Bỏ ghim")).to_be_visible()
    assert [e.is_pinned for e in stored(commune, TODAY) if e.kind == "relay"] == [True]
    shoot(page, "day-edits-pinned")


def test_filling_a_slot_and_cancelling_an_item_on_a_desktop(operator: Page, commune):
    page = operator
    page.set_viewport_size(DESKTOP)
    tomorrow = TODAY + timedelta(days=1)
    open_day(page, tomorrow)
    waiting = item(page, f"Chờ nội dung: {SECURITY}")
    waiting.get_by_role("link", name=re.compile("^Chọn tin")).click()
    page.get_by_label("Tin của chuyên mục", exact=True).select_option(
        label="An ninh trật tự: cảnh giác lừa đảo (2 giây)")
    shoot(page, "day-edits-fill")
    page.get_by_role("button", name="Đưa tin vào chỗ này").click()
    expect(page.get_by_role("status").filter(has_text="Đã đưa tin")).to_be_visible()
    expect(item(page, "An ninh trật tự: cảnh giác lừa đảo")).to_contain_text("Sửa tay")
    expect(page.locator("li.item").filter(has_text="Chờ nội dung")).to_have_count(0)

    item(page, "Chuyên mục Chuyển đổi số").get_by_role("link", name=re.compile("^Sửa")).click()
    page.get_by_role("button", name="Huỷ mục này").click()
    expect(page.get_by_role("status").filter(has_text="Đã huỷ")).to_be_visible()
    expect(item(page, "Chuyên mục Chuyển đổi số")).to_have_count(0)
    kinds = {(e.kind, e.status) for e in stored(commune, tomorrow)}
    assert ("reservation", "planned") not in kinds and ("episode", "cancelled") in kinds
    shoot(page, "day-edits-after-fill-and-cancel")


def test_adding_a_spot_into_free_airtime_on_a_phone(operator: Page, commune):
    page = operator
    page.set_viewport_size(PHONE)
    day = TODAY + timedelta(days=2)
    open_day(page, day)
    page.get_by_role("link", name="Thêm tin vào lịch").click()
    page.get_by_label("Tin hoặc khẩu hiệu", exact=True).select_option(label="Khẩu hiệu ngày chuyển đổi số (3 giây)")
    page.get_by_role("button", name="Xem giờ phát được").click()
    page.get_by_label("Giờ bắt đầu", exact=True).select_option(f"{day.isoformat()}T17:25:00")
    assert horizontal_overflow(page) == 0
    shoot(page, "day-edits-add")
    page.get_by_role("button", name="Thêm vào lịch").click()
    expect(page.get_by_role("status").filter(has_text="Đã thêm")).to_be_visible()
    added = item(page, "Khẩu hiệu ngày chuyển đổi số").filter(has_text="Sửa tay")
    expect(added.locator(".item__time")).to_have_text(re.compile("^17:25(:00)?–"))
    assert horizontal_overflow(page) == 0
    assert [(e.origin, e.is_pinned) for e in stored(commune, day) if e.origin == "manual"] == [("manual", True)]


def test_recording_an_airing_off_the_schedule(operator: Page, commune):
    page = operator
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Ghi nhận tin đã phát ngoài lịch").click()
    page.get_by_label("Tin đã phát", exact=True).select_option(label="Chuyển đổi số: dịch vụ công trực tuyến (2 giây)")
    page.get_by_label("Giờ bắt đầu phát", exact=True).fill("23:00")
    page.get_by_role("button", name="Ghi nhận đã phát").click()
    expect(page.get_by_role("alert").filter(has_text="chưa tới")).to_be_visible()  # 07:30 now
    page.get_by_label("Giờ bắt đầu phát", exact=True).fill("06:10")
    assert horizontal_overflow(page) == 0
    shoot(page, "day-edits-off-schedule-form")
    page.get_by_role("button", name="Ghi nhận đã phát").click()
    expect(page.get_by_role("status").filter(has_text="phát ngoài lịch")).to_be_visible()
    section = page.locator("#unscheduled")
    expect(section).to_contain_text("Chuyển đổi số: dịch vụ công trực tuyến")
    expect(section).to_contain_text("ghi nhận bởi Đỗ Thị Lan")
    expect(section.locator(".item__time")).to_have_text(re.compile("^06:10–"))
    with commune.app_context():
        logs = db.session().scalars(select(PlayLog).join(Station, Station.id == PlayLog.station_id)
                                    .where(Station.code == STATION)).all()
    assert [(log.entry_id, log.started_at.astimezone(TZ).time()) for log in logs] == [(None, time(6, 10))]
    shoot(page, "day-edits-off-schedule")
