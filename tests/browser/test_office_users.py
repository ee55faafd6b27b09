"""Users in a real browser: an admin adds a user with a role on an area, resets a password, and
finds both in the audit log filtered by user."""
from __future__ import annotations

from playwright.sync_api import expect

from .conftest import shoot
from .office_world import world  # noqa: F401  (fixture)


def test_an_admin_adds_a_user_and_finds_it_in_the_audit_log(page, log_in, world):
    log_in(world.admin)
    page.get_by_role("link", name="Người dùng").click()
    page.get_by_label("Tên đăng nhập").fill("dai-ns")
    page.get_by_label("Họ tên").fill("Trịnh Thị Nga")
    page.get_by_label("Mật khẩu").fill("ngan")
    page.get_by_label("Vai trò").select_option("operator")
    page.get_by_label("Địa bàn").select_option("TH-NS-X")
    page.get_by_role("button", name="Thêm").click()
    expect(page.locator("#password-error")).to_have_text("Mật khẩu phải có ít nhất 8 ký tự.")
    assert page.get_by_label("Họ tên").input_value() == "Trịnh Thị Nga"
    page.get_by_label("Mật khẩu").fill("mat-khau-dai-ns")
    page.get_by_role("button", name="Thêm").click()
    expect(page.locator("h1")).to_have_text("Trịnh Thị Nga (dai-ns)")
    assert "Người vận hành đài — xã trung tâm huyện Nga Sơn" in page.locator("main").inner_text()
    page.get_by_label("Mật khẩu mới").fill("mat-khau-moi-1")
    page.get_by_role("button", name="Đặt lại").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã đặt lại mật khẩu cho dai-ns")
    shoot(page, "office-user")

    page.get_by_role("link", name="Nhật ký", exact=True).click()
    page.get_by_label("Người dùng").fill(world.admin)
    page.get_by_role("button", name="Lọc").click()
    rows = page.locator("#audit-rows").inner_text()
    assert "Thêm người dùng: Trịnh Thị Nga" in rows and "Đặt lại mật khẩu: Trịnh Thị Nga" in rows
    assert "Cấp vai trò: Trịnh Thị Nga" in rows
    shoot(page, "office-audit")
