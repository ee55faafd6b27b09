"""Plans without files in a real browser, as a district culture office on a phone: create a plan,
add a series and a requirement, edit the plan's header, end the requirement, retire a device.

The district (huyện Hậu Lộc), its station, village, device and office are this test's own, added
once beside the other tests' data, so nothing it ends is seen by another test.
"""
from __future__ import annotations

from datetime import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from radio import db, lookups
from radio.auth.operations import add_user
from radio.auth.web import limiter
from radio.models import Area, BroadcastWindow, Device, Plan, Requirement, Station

from .conftest import PHONE, horizontal_overflow, shoot
from .seed import NOW, PASSWORD

STATION_NAME = "Đài truyền thanh xã Hoa Lộc"
DEVICE_NAME = "Loa thôn Hòa Bình"


@pytest.fixture
def hauloc(site):
    """The office's username; its district is added the first time."""
    app = site[2]
    limiter.reset()
    with app.app_context():
        session = db.session()
        if session.scalar(select(Area).where(Area.code == "TH-HL")) is None:
            district = Area(code="TH-HL", name="huyện Hậu Lộc", level="district", parent=lookups.area(session, "TH"))
            commune = Area(code="TH-HL-X", name="xã Hoa Lộc", level="commune", parent=district)
            village = Area(code="TH-HL-X-01", name="Thôn Hòa Bình", level="village", parent=commune)
            station = Station(code="hoaloc", name=STATION_NAME, area=commune)
            station.windows.append(BroadcastWindow(name="sang", days=("MO", "TU", "WE", "TH", "FR", "SA"),
                                                   start_time=time(5, 30), end_time=time(6, 0)))
            session.add_all([district, commune, village, station,
                             Device(code="loa-hoaloc-01", name=DEVICE_NAME, station=station, area=village)])
            add_user(session, None, "vanhoa-hl", PASSWORD, "oversight", "TH-HL", "Phòng Văn hóa huyện Hậu Lộc",
                     now=NOW)
            session.commit()
    yield "vanhoa-hl"
    limiter.reset()


def _fits_a_phone(page, name: str) -> None:
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0, page.url
    shoot(page, name)


def test_an_office_starts_a_plan_without_a_file_and_ends_what_it_no_longer_needs(page, log_in, hauloc, site):
    page.set_viewport_size(PHONE)
    log_in(hauloc)
    page.get_by_role("link", name="Kế hoạch").click()
    page.get_by_role("link", name="+ Lập kế hoạch mới").click()
    page.get_by_label("Mã kế hoạch").fill("hl-2027")
    page.get_by_label("Tên kế hoạch").fill("Kế hoạch tuyên truyền chuyển đổi số huyện Hậu Lộc")
    page.get_by_label("Số văn bản (ví dụ 12/KH-UBND)").fill("7/KH-UBND")
    page.get_by_label("Đơn vị ban hành").select_option(label="huyện Hậu Lộc")
    page.get_by_label("Hạn báo cáo").fill("15/01/2027")
    _fits_a_phone(page, "office-plan-new")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_have_text("Kế hoạch tuyên truyền chuyển đổi số huyện Hậu Lộc")
    assert page.get_by_role("status").first.inner_text().startswith("Đã lập kế hoạch.")
    assert "Số 7/KH-UBND · huyện Hậu Lộc · hạn báo cáo 15/01/2027" in page.locator("#plan-header").inner_text()

    page.get_by_role("link", name="+ Thêm chuyên mục").click()
    page.get_by_label("Mã chuyên mục").fill("cds")
    page.get_by_label("Tên chuyên mục").fill("Chuyên mục Chuyển đổi số")
    page.get_by_role("button", name="Lưu").click()

    page.get_by_role("link", name="+ Thêm yêu cầu").click()
    page.get_by_label("Mã yêu cầu").fill("cds-tuan")
    page.get_by_label("Chuyên mục", exact=True).select_option(label="Chuyên mục Chuyển đổi số")
    page.get_by_label(STATION_NAME).check()  # stations by name, not by code
    page.get_by_label("Chu kỳ", exact=True).select_option(label="tuần")
    page.get_by_label("tối thiểu").first.fill("1")
    page.get_by_label("Từ ngày").fill("24/11/2026")
    page.get_by_label("Đến ngày").fill("31/12/2026")
    _fits_a_phone(page, "office-requirement-form")
    page.get_by_role("button", name="Lưu").click()
    requirement = page.locator("[data-requirement='cds-tuan']")
    assert "1 lần mỗi tuần · 24/11/2026–31/12/2026" in requirement.inner_text()

    page.get_by_role("link", name="Sửa thông tin kế hoạch").click()
    assert page.get_by_label("Hạn báo cáo").input_value() == "15/01/2027"
    page.get_by_label("Số văn bản (ví dụ 12/KH-UBND)").fill("7/KH-UBND (sửa đổi)")
    page.get_by_label("Hạn báo cáo").fill("20/01/2027")
    _fits_a_phone(page, "office-plan-header")
    page.get_by_role("button", name="Lưu").click()
    assert "Số 7/KH-UBND (sửa đổi) · huyện Hậu Lộc · hạn báo cáo 20/01/2027" in \
        page.locator("#plan-header").inner_text()
    _fits_a_phone(page, "office-plan-without-file")

    requirement.get_by_role("link", name="Kết thúc hoặc xoá…").click()
    expect(page.locator("h1")).to_have_text("Kết thúc yêu cầu tần suất: Chuyên mục Chuyển đổi số, 1 lần/tuần")
    assert page.get_by_label("Ngày cuối cùng áp dụng").input_value() == "24/11/2026"  # today
    page.get_by_label("Ngày cuối cùng áp dụng").fill("23/11/2026")
    page.get_by_role("button", name="Kết thúc yêu cầu").click()
    expect(page.locator("#refusal")).to_contain_text("không thể trước hôm nay (24/11/2026)")
    page.get_by_label("Ngày cuối cùng áp dụng").fill("30/11/2026")
    _fits_a_phone(page, "office-requirement-end")
    page.get_by_role("button", name="Kết thúc yêu cầu").click()
    expect(page.get_by_role("status").first).to_contain_text("áp dụng đến hết ngày 30/11/2026")
    assert "24/11/2026–30/11/2026" in requirement.inner_text()

    device = page.locator("[data-device='loa-hoaloc-01']")
    device.get_by_role("link", name="Ngừng dùng hoặc xoá…").click()
    expect(page.locator("h1")).to_have_text(f"Ngừng dùng thiết bị loa thôn: {DEVICE_NAME}")
    _fits_a_phone(page, "office-device-retire")
    page.get_by_role("button", name="Ngừng dùng thiết bị").click()
    assert page.get_by_role("status").first.inner_text().startswith(f"Đã ngừng dùng thiết bị {DEVICE_NAME}")
    assert "đã ngừng dùng 24/11/2026" in device.inner_text()
    assert device.get_by_role("button", name="Cấp mã").count() == 0

    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    with site[2].app_context():
        session = db.session()
        ended = select(Requirement.date_to).join(Plan).where(Plan.code == "hl-2027", Requirement.code == "cds-tuan")
        assert session.scalar(ended).isoformat() == "2026-11-30"
        assert session.scalar(select(Device.retired_on).where(Device.code == "loa-hoaloc-01")).isoformat() \
            == "2026-11-24"
