"""The shared layout in a real browser: login, language switch, phone width, CSRF."""
from __future__ import annotations

from playwright.sync_api import expect

from .conftest import PHONE, horizontal_overflow, shoot


def test_login_page_in_vietnamese_then_english_remembered(page):
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("button", name="English").click()
    assert page.get_by_label("Password").is_visible()
    page.goto("/login")  # remembered
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Tiếng Việt").click()
    assert page.get_by_label("Mật khẩu").is_visible()


def test_refused_login_says_why_next_to_the_field_and_keeps_the_username(page):
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill("op-tk")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#password-error")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    assert page.get_by_label("Mật khẩu").get_attribute("aria-describedby") == "password-error"
    assert page.get_by_label("Tên đăng nhập").input_value() == "op-tk"


def test_login_works_from_the_keyboard_alone(page, seeded):
    page.goto("/login")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Bỏ qua, tới nội dung"
    page.get_by_label("Tên đăng nhập").focus()
    page.keyboard.type(seeded.users["operator"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type("mat-khau-123")
    page.keyboard.press("Enter")
    page.wait_for_url("**/stations/*/today")


def test_home_at_phone_width_has_no_horizontal_scroll(page, log_in, seeded):
    page.set_viewport_size(PHONE)
    log_in("operator")
    page.goto("/")
    assert horizontal_overflow(page) == 0
    shoot(page, "home")


def test_a_post_without_its_csrf_token_is_refused(page, log_in, seeded):
    log_in("operator")
    page.goto(f"/stations/{seeded.station}/calendar")
    form = page.locator("form", has=page.get_by_role("button", name="Tạo đường dẫn lịch"))
    form.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    form.get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phiên làm việc đã hết hạn")
    assert page.locator("#feed-url").count() == 0  # no link was made
    entry = page.request.post(f"/stations/{seeded.station}/on/2026-11-24/aired", form={"entry": "x"})
    assert entry.status == 400


def test_main_pages_at_phone_width_have_no_horizontal_scroll(page, log_in, seeded):
    page.set_viewport_size(PHONE)
    log_in("approver")
    for name, path in (("approver-today", f"/stations/{seeded.station}/today"),
                       ("month", f"/stations/{seeded.station}/calendar?view=month"),
                       ("scripts", "/scripts/"), ("script-new", "/scripts/new"), ("library-approver", "/library/")):
        page.goto(path)
        assert horizontal_overflow(page) == 0, path
        shoot(page, name)
