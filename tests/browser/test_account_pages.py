"""Accounts and words in a real browser: changing one's own password on a phone, an admin's reset
that forces a change at the next login, adding a user with nothing chosen at first, the audit log
in words, and an area's glossary with the voice's preview.

A commune of their own (Xã Minh Khôi) with its own admin, approver and operators, so that these
tests change nothing the other tests read.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from radio import db
from radio.accounts.audit_words import ACTIONS
from radio.auth.operations import add_user
from radio.auth.web import limiter
from radio.models import Area

from .conftest import PHONE, horizontal_overflow, shoot
from .seed import NOW, PASSWORD

USERS = {"admin": "qt-mk", "approver": "duyet-mk", "own": "hoa-mk", "reset": "binh-mk"}
_MADE: set[int] = set()


@pytest.fixture
def commune(site):
    """Xã Minh Khôi and its people in the served app (once per session); the login limit is cleared
    around each test, as these tests log in often from one address."""
    app = site[2]
    if id(app) not in _MADE:
        with app.app_context():
            session = db.session()
            province = session.query(Area).filter_by(code="TH").one()
            session.add(Area(code="TH-MK", name="Xã Minh Khôi", level="commune", parent=province))
            session.flush()
            for (role, username), name in zip(USERS.items(), ("Quản trị xã Minh Khôi", "Đỗ Văn Duyệt",
                                                              "Lê Thị Hoa", "Vũ Văn Bình")):
                add_user(session, None, username, PASSWORD, "operator" if role in ("own", "reset") else role,
                         "TH-MK", name, now=NOW)
            session.commit()
        _MADE.add(id(app))
    limiter.reset()
    yield USERS
    limiter.reset()


def fill_change(page: Page, current: str, new: str, again: str | None = None) -> None:
    page.get_by_label("Mật khẩu hiện tại").fill(current)
    page.get_by_label("Mật khẩu mới", exact=True).fill(new)
    page.get_by_label("Nhập lại mật khẩu mới").fill(new if again is None else again)
    page.get_by_role("button", name="Đổi mật khẩu").click()


def test_a_user_changes_their_own_password_on_a_phone(page, log_in, commune):
    page.set_viewport_size(PHONE)
    log_in(commune["own"])
    page.get_by_role("link", name="Đổi mật khẩu").click()
    expect(page.locator("h1")).to_have_text("Đổi mật khẩu")
    fill_change(page, PASSWORD, "mat-khau-hoa-1", "mat-khau-hoa-2")
    assert page.locator("#again-error").inner_text() == "Hai lần nhập mật khẩu mới không khớp."
    fill_change(page, "sai-mat-khau", "mat-khau-hoa-1")
    assert page.locator("#current-error").inner_text() == "Mật khẩu hiện tại không đúng."
    assert horizontal_overflow(page) == 0
    shoot(page, "account-password")
    fill_change(page, PASSWORD, "mat-khau-hoa-1")
    assert "Đã đổi mật khẩu." in page.get_by_role("status").first.inner_text()

    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_label("Tên đăng nhập").fill(commune["own"])
    page.get_by_label("Mật khẩu").fill("mat-khau-hoa-1")
    page.get_by_role("button", name="Đăng nhập").click()
    assert "/login" not in page.url and "/account/password" not in page.url


def test_an_admins_reset_makes_the_user_change_the_password_at_the_next_login(page, browser, base_url, log_in,
                                                                              commune):
    log_in(commune["admin"])
    page.goto(f"/office/users/{commune['reset']}")
    page.get_by_label("Mật khẩu mới").fill("dat-lai-binh-1")
    page.get_by_role("button", name="Đặt lại").click()
    expect(page.get_by_role("status").first).to_contain_text("phải đổi mật khẩu")

    user = browser.new_context(base_url=base_url, viewport=PHONE, locale="vi-VN").new_page()
    user.goto("/login")
    user.get_by_label("Tên đăng nhập").fill(commune["reset"])
    user.get_by_label("Mật khẩu").fill("dat-lai-binh-1")
    user.get_by_role("button", name="Đăng nhập").click()
    assert "/account/password" in user.url
    assert "quản trị viên đặt lại" in user.get_by_role("alert").first.inner_text()
    user.goto("/scripts/")  # any other page sends them back
    assert "/account/password" in user.url
    shoot(user, "account-forced-change")
    fill_change(user, "dat-lai-binh-1", "mat-khau-binh-1")
    assert "Đã đổi mật khẩu." in user.get_by_role("status").first.inner_text()
    assert re.search(r"/scripts/$", user.url)  # where they were going
    user.context.close()


def test_an_admin_adds_a_user_choosing_the_role_and_the_area(page, log_in, commune):
    log_in(commune["admin"])
    page.get_by_role("link", name="Người dùng").click()
    assert page.get_by_label("Vai trò").input_value() == ""
    assert page.get_by_label("Địa bàn").input_value() == ""
    roles = page.get_by_label("Vai trò").locator("option").all_inner_texts()
    assert roles == ["— chọn vai trò —", "Người vận hành đài", "Người duyệt", "Phòng Văn hóa (giám sát)", "Quản trị"]
    page.get_by_label("Tên đăng nhập").fill("moi-mk")
    page.get_by_label("Họ tên").fill("Đinh Thị Mới")
    page.get_by_label("Mật khẩu").fill("mat-khau-moi-mk")
    page.get_by_role("button", name="Thêm").click()
    expect(page.locator("#role-error")).to_have_text("Chọn vai trò.")
    assert page.locator("#area-error").inner_text() == "Chọn địa bàn."
    shoot(page, "office-add-user")
    page.get_by_label("Mật khẩu").fill("mat-khau-moi-mk")
    page.get_by_label("Vai trò").select_option("operator")
    page.get_by_label("Địa bàn").select_option("TH-MK")
    page.get_by_role("button", name="Thêm").click()
    expect(page.locator("h1")).to_have_text("Đinh Thị Mới (moi-mk)")
    assert "Người vận hành đài — Xã Minh Khôi" in page.locator("main").inner_text()


def test_the_audit_log_reads_in_words(page, log_in, commune):
    log_in(commune["approver"])
    page.goto("/scripts/glossary/TH-MK")
    page.get_by_label("Từ viết tắt").fill("UBMK")
    page.get_by_label("Cách đọc").fill("ủy ban Minh Khôi")
    page.get_by_role("button", name="Lưu").click()
    expect(page).to_have_url(re.compile(r"try=UBMK"))  # the saved page has set its cookie
    page.context.clear_cookies()

    log_in(commune["admin"])
    page.get_by_role("link", name="Nhật ký", exact=True).click()
    rows = page.locator("#audit-rows").inner_text()
    assert "Cấp vai trò: Đỗ Văn Duyệt" in rows and "Vai trò: Người duyệt" in rows
    assert "Địa bàn: Xã Minh Khôi" in rows and "Người thực hiện: Hệ thống" in rows
    assert "Đặt cách đọc từ viết tắt: UBMK" in rows and "Cách đọc: ủy ban Minh Khôi" in rows
    text = page.locator("main").inner_text()
    assert "\\u" not in text
    assert [code for code in ACTIONS if code in text] == []
    assert horizontal_overflow(page) == 0
    shoot(page, "office-audit-words")


def test_an_approver_adds_a_term_and_hears_it(page, log_in, commune):
    page.set_viewport_size(PHONE)
    log_in(commune["approver"])
    page.get_by_role("link", name="Bảng từ viết tắt").click()
    expect(page.locator("h1")).to_have_text("Bảng từ viết tắt: Xã Minh Khôi")
    page.get_by_label("Từ viết tắt").fill("HTXMK")
    page.get_by_label("Cách đọc").fill("hợp tác xã Minh Khôi")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status").first).to_contain_text("“HTXMK” đọc là “hợp tác xã Minh Khôi”")
    assert "HTXMK → hợp tác xã Minh Khôi" in page.locator("#glossary-terms").inner_text()
    assert page.get_by_label("Câu nghe thử").input_value() == "HTXMK"
    page.get_by_label("Câu nghe thử").fill("HTXMK họp xã viên lúc 14h.")
    page.get_by_role("button", name="Nghe thử").click()
    expect(page.locator("#normalised")).to_contain_text("hợp tác xã Minh Khôi họp xã viên lúc mười bốn giờ")
    audio = page.get_by_label("Nghe thử câu")
    page.wait_for_function("a => a.readyState >= 1 && a.duration > 1", arg=audio.element_handle())
    assert horizontal_overflow(page) == 0
    shoot(page, "glossary")
