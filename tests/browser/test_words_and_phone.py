"""Every word in the reader's language and the office pages on a phone, in a real browser: error
pages in the site's layout, the compliance dashboard without sideways scrolling, freezing and
emergency bulletins that ask first, an upload refused in Vietnamese (and in English); and the
guard that every browser test runs (words.py) catching what it should."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, shoot
from .office_world import world  # noqa: F401  (fixture)
from .words import assert_words, watch_words, wrong_words

DATES = "date_from=2026-11-02&date_to=2026-11-22"
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def switch_to_english(page):
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_refusals_and_missing_pages_are_pages_of_the_site_in_the_readers_language(page, log_in, seeded, size):
    page.set_viewport_size(size)
    log_in("operator")
    refused = page.goto(f"/stations/{seeded.other_station}/today")
    assert refused.status == 403
    assert page.locator("h1").inner_text() == "Không có quyền"
    assert page.locator("meta[name=viewport]").count() == 1 and page.locator("header.topbar").is_visible()
    assert page.get_by_role("link", name="Về trang chủ").is_visible() and page.evaluate(FITS)
    shoot(page, "error-403")
    assert page.goto("/khong-co-trang-nay").status == 404
    assert page.locator("h1").inner_text() == "Không tìm thấy"
    assert page.get_by_role("alert").inner_text() == "Không có trang hoặc bản ghi này trong phạm vi của bạn."
    assert page.evaluate(FITS)
    shoot(page, "error-404")
    switch_to_english(page)
    assert page.locator("h1").inner_text() == "Not found" and page.locator("html").get_attribute("lang") == "en"
    assert page.goto(f"/stations/{seeded.other_station}/today").status == 403
    assert page.locator("h1").inner_text() == "Not allowed"


def test_the_api_still_answers_json_for_an_unknown_url(page):
    response = page.request.get("/api/v1/khong-co")
    assert response.status == 404 and response.json()["error"] == "not_found"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_compliance_dashboard_fits_without_sideways_scrolling_and_labels_its_figures(page, log_in, world, size):
    page.set_viewport_size(size)
    log_in(world.office)
    page.goto(f"/office/compliance?area=TH-NS&{DATES}")
    assert page.evaluate(FITS)
    matrix = page.locator("#matrix")
    assert "2 kỳ đạt, 1 kỳ không đạt" in matrix.inner_text() and "ns-2026/cds-tuan" not in matrix.inner_text()
    assert "Cột “Kết quả các kỳ”" in page.locator("#matrix-legend").inner_text()
    freeze = page.get_by_role("link", name="Chốt báo cáo đã nộp…")
    assert freeze.is_visible() and freeze.bounding_box()["x"] + freeze.bounding_box()["width"] <= size["width"]
    if size == PHONE:  # a card per station, each figure saying what it is
        assert matrix.locator("thead").bounding_box()["height"] <= 1
        cell = matrix.locator("td.cell").first
        label = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert "Chuyên mục Chuyển đổi số, 2 lần mỗi tuần" in label
    shoot(page, "office-dashboard-words")

    page.locator('#matrix a[data-status="short"]').click()
    entries = page.locator("#entries").inner_text()  # waits for the cell's page: mid-navigation there is no document
    assert page.evaluate(FITS)
    assert "Tự động xếp" in entries and "planner" not in entries
    shoot(page, "office-cell-words")


def test_freezing_a_report_asks_first_and_says_what_it_does(page, log_in, world):
    page.set_viewport_size(PHONE)
    log_in(world.other_office)  # Hà Trung: its frozen reports are no other test's
    page.goto("/office/compliance")
    page.get_by_role("link", name="Chốt báo cáo đã nộp…").click()
    expect(page.locator("h1")).to_have_text("Chốt báo cáo đã nộp?")
    assert "không thay đổi theo nhật ký phát về sau" in page.locator("#freeze-warning").inner_text()
    assert "Kế hoạch tuyên truyền chuyển đổi số huyện Hà Trung 2026" in page.locator(".facts").inner_text()
    assert page.evaluate(FITS)
    shoot(page, "office-freeze-confirm")
    page.get_by_role("link", name="Quay lại, chưa chốt").click()
    assert page.locator("#deadlines").inner_text().count("chưa chốt") == 1  # nothing was frozen
    page.get_by_role("link", name="Chốt báo cáo đã nộp…").click()
    page.get_by_role("button", name="Chốt báo cáo").click()
    assert page.locator(".flash--success").inner_text().startswith(
        "Đã chốt báo cáo “Kế hoạch tuyên truyền chuyển đổi số huyện Hà Trung 2026” cho huyện Hà Trung")
    assert page.locator("#deadlines").inner_text().count("chưa chốt") == 0


def test_an_emergency_bulletin_asks_first_how_many_loudspeakers_it_interrupts(page, log_in, world):
    page.set_viewport_size(PHONE)
    log_in(world.other_office)
    page.goto("/office/bulletins")
    page.get_by_label("Bản tin (tin đã duyệt, có âm thanh)").select_option("ht-2026/cds/ht-2026-w48")
    page.get_by_label("Gửi tới các địa bàn").select_option("TH-HT")
    page.get_by_label("Khẩn cấp").check()
    page.get_by_label("Tiêu đề (để trống: tên bản tin)").fill("Thử cảnh báo khẩn")
    page.get_by_role("button", name="Phát hành").click()
    confirm = page.locator("#emergency-confirm")
    assert "phát ngay trên 2 loa thôn (huyện Hà Trung), ngắt mọi chương trình đang phát" in confirm.inner_text()
    assert page.get_by_label("Tiêu đề (để trống: tên bản tin)").input_value() == "Thử cảnh báo khẩn"
    assert "Thử cảnh báo khẩn" not in page.locator("main").inner_text().split("Đã phát hành")[-1]  # not issued
    assert page.evaluate(FITS)
    shoot(page, "office-emergency-confirm")


def test_an_upload_refused_says_why_in_vietnamese_then_in_english(page, log_in, tmp_path):
    fake = tmp_path / "ghi-chu.mp3"
    fake.write_text("đây không phải âm thanh")
    page.set_viewport_size(PHONE)
    log_in("operator")
    for language, expected in (("vi", "Tệp này không dùng được: “ghi-chu.mp3” không phải tệp âm thanh"),
                               ("en", "This file cannot be used: “ghi-chu.mp3” is not an audio file")):
        if language == "en":
            switch_to_english(page)
        page.goto("/library/")
        page.locator("#audio").set_input_files(str(fake))
        page.locator("#upload-form button[type=submit]").click()
        error = page.locator("#audio-error")
        error.wait_for()
        assert error.inner_text().startswith(expected)
        assert_words(page)  # the refusal came by script, after the page's own load
        shoot(page, f"library-refused-{language}")


def test_the_guard_finds_untranslated_words_and_raw_codes(browser, base_url):
    assert wrong_words("vi", "Nguồn: planner; 2026-11-24; chieu", "/office/compliance") == [
        "2026-11-24", "chieu", "planner"]
    assert wrong_words("vi", "Buổi chieu", "/stations/thanhky/today") == ["chieu"]  # no page is excused
    assert wrong_words("en", "Source: planner") == []  # an English word on an English page
    assert wrong_words("en", "Không có trang hoặc bản ghi này trong phạm vi của bạn.") != []
    assert wrong_words("vi", "Lỗi: no allowed day left in the period") == ["no allowed day left"]
    context = browser.new_context(base_url=base_url)
    problems = watch_words(context)
    page = context.new_page()
    page.goto("/login")
    page.evaluate("document.body.append('in_progress')")
    with pytest.raises(AssertionError, match="in_progress"):
        assert_words(page)
    page.route("**/guard-check", lambda route: route.fulfill(content_type="text/html", body=(
        '<html lang="vi"><body><p>Trạng thái: at_risk</p><code>in_progress</code></body></html>')))
    page.goto("/guard-check")
    page.evaluate("1")  # the load's report arrives
    context.close()
    assert problems == ["/guard-check (vi): 'at_risk'"]  # the page's text, not what a <code> shows
