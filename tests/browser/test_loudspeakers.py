"""The loudspeakers page in a real browser: an operator finds the silent village from the menu,
on a phone (cards, no sideways scrolling), the office's area page at desktop width, and the map
(Leaflet) drawn once a tile URL is set.

With RADIO_README_IMAGES=1 the desktop and phone views are also written to docs/img/ (the
README's pictures); otherwise they go with the other screenshots into artefacts/."""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, horizontal_overflow, shoot
from .loudspeakers_world import speakers  # noqa: F401  (fixture)

README_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"


def test_an_operator_sees_the_silent_village_on_a_phone(page, log_in, speakers):
    page.set_viewport_size(PHONE)
    log_in(speakers.operator)
    page.get_by_role("link", name="Loa thôn").click()
    expect(page.locator("h1")).to_have_text("Loa thôn: xã Quảng Bình")
    assert horizontal_overflow(page) == 0
    summary = page.locator("#summary").inner_text()
    assert "Đang hoạt động: 1" in summary and "Mất liên lạc: 1" in summary and "Chưa kết nối lần nào: 1" in summary
    assert "Đã thôi dùng: 1" in summary
    silent = page.locator("#silent-villages").inner_text()
    assert "Thôn Tây" in silent and "Thôn Nam" in silent and "Thôn Đông" not in silent
    west = page.locator('tr[data-device="loa-qb-02"]')
    assert west.locator("[data-state]").inner_text() == "Mất liên lạc"
    assert west.locator(".offline-periods li").count() == 2 and "vẫn chưa liên lạc lại" in west.inner_text()
    east = page.locator('tr[data-device="loa-qb-01"]').inner_text()
    assert "Bản tin sáng" in east and "3 ngày 5 giờ" in east and "sóng -87 dBm" in east
    assert "5,2 GB" in east and "Đồng hồ nhanh 0,8 giây" in east  # the Vietnamese decimal mark
    box = page.locator('tr[data-device="loa-qb-01"]').bounding_box()
    assert box["width"] <= PHONE["width"]  # a card, not a row running off the screen
    assert page.locator("#loudspeaker-map").count() == 0 and page.locator("script[src*=leaflet]").count() == 0
    shoot(page, "loudspeakers")
    if os.environ.get("RADIO_README_IMAGES"):
        _readme_images(page)


def test_the_office_sees_the_district_and_downloads_availability(page, log_in, speakers):
    log_in(speakers.office)
    page.goto(f"/loudspeakers/area/{speakers.district}")
    assert page.locator("h1").inner_text() == "Loa thôn: huyện Hoằng Hóa"
    assert page.locator("tr[data-device]").count() == 4
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải XLSX").click()
    assert download.value.suggested_filename.startswith("loa-TH-HH-") and download.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Loudspeakers: huyện Hoằng Hóa")


def _readme_images(page) -> None:
    README_IMAGES.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(README_IMAGES / "loudspeakers.png"))
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(README_IMAGES / "loudspeakers-phone.png"))


def test_with_a_tile_url_the_map_draws_each_receiver_coloured_by_its_state(page, log_in, speakers, site):
    app = site[2]
    # Tiles from the site itself (any image answers for every tile), so nothing leaves the machine.
    app.config["MAP_TILE_URL"] = "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    try:
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        log_in(speakers.office)
        page.goto(f"/loudspeakers/area/{speakers.district}")
        markers = page.locator("#loudspeaker-map path.leaflet-interactive")
        expect(markers).to_have_count(4)
        fills = [markers.nth(i).get_attribute("fill") for i in range(4)]
        assert sorted(fills) == sorted(["#2e7d32", "#b00020", "#6b7280", "#9ca3af"])  # online, silent, never, retired
        expect(page.locator("#loudspeaker-map img.leaflet-tile-loaded").first).to_be_attached()
        assert "layers.png?z=" in page.locator("#loudspeaker-map img.leaflet-tile").first.get_attribute("src")
        markers.nth(fills.index("#b00020")).hover()
        expect(page.locator(".leaflet-tooltip")).to_have_text("Thôn Tây — Mất liên lạc")
        assert errors == []
    finally:
        app.config["MAP_TILE_URL"] = None
