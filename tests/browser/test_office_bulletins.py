"""Bulletins in a real browser: an emergency bulletin issued from the page is on a device's next
poll (the device API with the device's token), and the page then shows that device fetched it."""
from __future__ import annotations

from playwright.sync_api import expect

from .conftest import shoot
from .office_world import world  # noqa: F401  (fixture)


def poll(page, device: str, token: str) -> list[str]:
    response = page.request.get(f"/api/v1/devices/{device}/bulletins", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 200
    return [b["title"] for b in response.json()["bulletins"]]


def test_an_emergency_bulletin_from_the_page_reaches_the_next_poll(page, log_in, world):
    token = world.tokens["loa-ngason-02"]
    assert "Cảnh báo lũ quét" not in poll(page, "loa-ngason-02", token)
    log_in(world.office)
    page.get_by_role("link", name="Bản tin").click()
    page.get_by_label("Bản tin (tin đã duyệt, có âm thanh)").select_option("ns-2026/cds/ns-2026-w47")
    page.get_by_label("Gửi tới các địa bàn").select_option("TH-NS")
    page.get_by_label("Khẩn cấp").check()
    page.get_by_label("Tiêu đề (để trống: tên bản tin)").fill("Cảnh báo lũ quét")
    page.get_by_role("button", name="Phát hành").click()
    assert "Cảnh báo lũ quét" not in poll(page, "loa-ngason-02", token)  # it asks first
    page.get_by_role("button", name="Phát khẩn cấp ngay").click()
    expect(page.locator("h1")).to_have_text("Cảnh báo lũ quét")
    assert poll(page, "loa-ngason-02", token) == ["Cảnh báo lũ quét"]
    page.reload()
    row = page.locator("#deliveries tr", has_text="loa-ngason-02").inner_text()
    assert row.split("\t")[1].strip() != "—" and row.split("\t")[2].strip() == "—"  # fetched, not yet played
    shoot(page, "office-bulletin")
