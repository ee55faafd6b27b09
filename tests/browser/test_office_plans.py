"""Plans in a real browser: an admin imports a plan with errors and sees them by line, then a
correct one; a rebuild shows its progress and finishes with the planner's warnings."""
from __future__ import annotations

from playwright.sync_api import expect

from .conftest import shoot
from .office_world import plan_text, world  # noqa: F401  (fixture)


def test_an_admin_imports_a_plan_with_errors_then_a_correct_one_and_rebuilds(page, log_in, world, tmp_path):
    good = plan_text("TH-QX", "huyện Quảng Xương", "quangxuong", "qx-2026")
    bad = tmp_path / "qx-2026.yaml"
    bad.write_text(good.replace('parent: "TH"}', 'parent: "TH-ZZ"}').replace("period: week", "period: weak"),
                   encoding="utf-8")
    log_in(world.admin)
    page.get_by_role("link", name="Kế hoạch").click()
    page.get_by_label("Tệp kế hoạch (YAML hoặc JSON)").set_input_files(str(bad))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    problems = page.locator("#import-problems tr.problem")
    expect(problems).to_have_count(2)  # waits for the answer (count() does not wait)
    assert problems.nth(0).inner_text().split("\t")[:2] == ["6", "areas[1].parent"]
    assert problems.nth(1).inner_text().split("\t")[:2] == ["32", "requirements[0].period"]
    assert "không có gì thay đổi" in page.locator("#import-problems").inner_text()
    shoot(page, "office-plan-import-errors")

    bad.write_text(good, encoding="utf-8")
    page.get_by_label("Tệp kế hoạch (YAML hoặc JSON)").set_input_files(str(bad))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.locator("h1")).to_have_text("Kế hoạch tuyên truyền chuyển đổi số huyện Quảng Xương 2026")
    assert page.get_by_role("status").first.inner_text().startswith("Đã nhập qx-2026.yaml")
    shoot(page, "office-plan")

    page.get_by_label("Từ ngày").fill("30/11/2026")
    page.get_by_label("Đến ngày").fill("13/12/2026")
    page.get_by_role("button", name="Lập lịch").click()
    page.wait_for_selector("#job-state[data-state='finished']")
    progress = page.locator("#job-progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == "1"
    assert "1/1 đài" in page.locator("#job-state").inner_text()
    # Tuesday and Thursday of two weeks, reserved: the new plan's episodes have no audio yet
    assert "4 mục mới" in page.content()
    assert "cần một tin mới của Chuyên mục Chuyển đổi số, chậm nhất ngày 08/12/2026" in \
        page.locator("#job-warnings").inner_text()
    shoot(page, "office-rebuild")


def test_a_station_form_shows_the_plan_readers_problem_next_to_the_field(page, log_in, world):
    log_in(world.office)
    page.goto(f"/office/plans/{world.plan}")
    page.get_by_role("link", name="Đài truyền thanh xã trung tâm huyện Nga Sơn", exact=True).click()
    page.locator("#windows-0-end").fill("05:00")
    page.locator("#closed").fill("30/02/2026")
    page.get_by_role("button", name="Lưu").click()
    assert page.locator("#closed-error").inner_text().startswith("Ngày không hợp lệ")  # the form's own check first
    assert page.locator("#closed").input_value() == "30/02/2026"
    page.locator("#closed").fill("28/02/2026")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#windows-0-end-error")).to_have_text("giờ kết thúc 05:00 không sau giờ bắt đầu 05:30")
    assert page.locator("#windows-0-end").get_attribute("aria-invalid") == "true"
    assert page.locator("#windows-0-end").input_value() == "05:00"  # what was typed is kept
    shoot(page, "office-station-form")
    page.goto(page.url)
    assert page.locator("#windows-0-end").input_value() == "06:00"  # nothing was saved
