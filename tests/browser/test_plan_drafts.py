"""Plan drafts in a real browser, on a phone: the office uploads a seed plan document, answers the
draft's question beside the sentence it came from, edits its dates, imports it, and the
schedules build."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from .conftest import PHONE, horizontal_overflow, shoot
from .office_world import world  # noqa: F401  (fixture)

SEED = Path(__file__).resolve().parents[1] / "schedules" / "drafting" / "seeds" / "002-thanh-ky.txt"


def test_the_office_drafts_a_plan_from_its_document_answers_imports_and_builds(page, log_in, world):
    page.set_viewport_size(PHONE)
    log_in(world.office)
    page.get_by_role("link", name="Kế hoạch").first.click()
    page.get_by_label("Văn bản kế hoạch (.docx, .pdf hoặc .txt)").set_input_files(str(SEED))
    page.get_by_label("Đơn vị ban hành (khi văn bản không nêu đơn vị trong phạm vi của bạn)").select_option(
        label="xã trung tâm huyện Nga Sơn")  # the document's xã Thanh Kỳ is none of this office's
    page.get_by_role("button", name="Đọc văn bản").click()

    assert page.locator("h1").inner_text() == "Bản nháp kế hoạch: 002-thanh-ky.txt"
    assert page.locator("#open-questions").inner_text().startswith("Còn 1 câu hỏi chưa trả lời")
    record = page.locator("#record-thanh-ky-2023-1")
    row = page.locator(".draft__row", has=record)
    assert "1 tin/tuần và phát sóng vào Thứ 3 và Thứ 5 hằng tuần" in row.locator(".draft__sentence").inner_text()
    assert "độ tin cậy 70%" in record.inner_text()
    sentence, card = row.locator(".draft__sentence").bounding_box(), record.bounding_box()
    assert card["y"] >= sentence["y"] + sentence["height"]  # on a phone, the record under its sentence
    assert horizontal_overflow(page) == 0

    record.get_by_label("Xã", exact=True).check()
    record.get_by_text("Các trường của mục").click()
    record.locator("input[name='f-from']").fill("30/11/2026")  # the 2023 plan, moved to this season
    record.locator("input[name='f-to']").fill("27/12/2026")
    record.get_by_role("button", name="Lưu mục này").click()
    assert page.locator("#open-questions").get_attribute("data-count") == "0"
    assert page.locator("#open-questions").inner_text() == "Đã trả lời mọi câu hỏi: có thể kiểm tra và nhập."
    assert horizontal_overflow(page) == 0
    shoot(page, "office-plan-draft")

    page.get_by_role("button", name="Kiểm tra và nhập kế hoạch").click()
    expect(page.locator("h1")).to_have_text("Kế hoạch tuyên truyền về chuyển đổi số trên địa bàn xã Thanh Kỳ năm 2023")
    assert page.get_by_role("status").first.inner_text().startswith("Đã nhập 002-thanh-ky.txt")
    page.get_by_label("Từ ngày").fill("30/11/2026")
    page.get_by_label("Đến ngày").fill("13/12/2026")
    page.get_by_role("button", name="Lập lịch").click()
    page.wait_for_selector("#job-state[data-state='finished']")
    assert "1/1 đài" in page.locator("#job-state").inner_text()
    created = re.search(r"(\d+) mục mới", page.locator("main").inner_text())
    assert int(created[1]) >= 4  # the draft's Tuesday and Thursday of two weeks, at least
    warnings = page.locator("#job-warnings").inner_text()
    assert "Chuyên mục Chuyển đổi số, 2 lần mỗi tuần\n30/11/2026–06/12/2026" in warnings  # the draft's requirement

    page.get_by_role("link", name="Kế hoạch").first.click()
    page.wait_for_url("**/office/plans")
    assert page.locator("#draft-list").count() == 0  # imported: no longer listed
