"""Scripts in a real browser: a writer hears and submits, an approver hears the same and approves,
it becomes an episode."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from radio import db
from radio.models import Episode, Script

from .conftest import PHONE, horizontal_overflow, shoot

TEXT = "Ngày 25/11/2026, UBND xã tổ chức tập huấn chuyển đổi số cho 120 hộ dân."


def episodes_of_script(site, title: str) -> list[tuple[str, str, bool]]:
    with site[2].app_context():
        rows = db.session().execute(select(Episode.title, Episode.code, Episode.media_sha256.is_not(None))
                                    .join(Script, Script.id == Episode.script_id).where(Script.title == title)).all()
    return [tuple(r) for r in rows]


def test_writer_submits_approver_approves_and_it_becomes_an_episode(page, browser, base_url, log_in, site):
    log_in("writer")
    page.get_by_role("link", name="Kịch bản", exact=True).click()
    page.get_by_role("link", name="Viết kịch bản mới").click()
    page.get_by_label("Chuyên mục Chuyển đổi số (Kế hoạch tuyên truyền xã Thanh Kỳ 2026)", exact=True).check()
    page.get_by_label("Tiêu đề").fill("Tập huấn chuyển đổi số tháng 11")
    page.get_by_label("Nội dung kịch bản").fill(TEXT)
    page.get_by_role("button", name="Nghe thử").click()
    normalised = page.locator("#normalised").text_content()  # folded away under the reading
    assert "hai mươi lăm tháng mười một" in normalised and "ủy ban nhân dân xã" in normalised
    audio = page.locator("audio")
    page.wait_for_function("a => a.readyState >= 1 && a.duration > 1", arg=audio.element_handle())
    assert page.get_by_label("Nội dung kịch bản").input_value() == TEXT  # nothing typed is lost
    heard_by_writer = page.request.get(audio.get_attribute("src")).body()
    shoot(page, "script-preview")
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.locator(".badge", has_text="Chờ duyệt").first).to_be_visible()

    approver = browser.new_context(base_url=base_url, viewport=page.viewport_size).new_page()
    approver.goto("/login")
    approver.get_by_label("Tên đăng nhập").fill("duyet-tk")
    approver.get_by_label("Mật khẩu").fill("mat-khau-123")
    approver.get_by_role("button", name="Đăng nhập").click()
    approver.get_by_role("link", name="Duyệt kịch bản").click()
    approver.get_by_role("link", name="Tập huấn chuyển đổi số tháng 11").click()
    preview = approver.get_by_label("Nghe thử kịch bản")  # before deciding, the approver hears the version
    preview.evaluate("a => a.load()")  # preload="none": what pressing play starts
    approver.wait_for_function("a => a.readyState >= 1 && a.duration > 1", arg=preview.element_handle())
    served = approver.request.get(preview.get_attribute("src"))
    assert (served.status, served.headers["content-type"]) == (200, "audio/mpeg")
    assert served.body() == heard_by_writer  # the same audio the writer heard
    shoot(approver, "script-review")
    approver.get_by_role("button", name="Duyệt kịch bản").click()
    expect(approver.get_by_role("status").first).to_contain_text("Bản đọc đã sẵn sàng")
    assert approver.locator("audio").count() == 1
    approver.context.close()
    [(title, code, has_audio)] = episodes_of_script(site, "Tập huấn chuyển đổi số tháng 11")
    assert title == "Tập huấn chuyển đổi số tháng 11" and code.startswith("script-") and has_audio


def test_the_preview_shows_the_reading_highlighted_on_a_phone(page, log_in):
    page.set_viewport_size(PHONE)
    log_in("writer")
    page.goto("/scripts/new")
    page.get_by_label("Chuyên mục Chuyển đổi số (Kế hoạch tuyên truyền xã Thanh Kỳ 2026)", exact=True).check()
    page.get_by_label("Tiêu đề").fill("Họp dân")
    page.get_by_label("Nội dung kịch bản").fill(TEXT)
    page.get_by_role("button", name="Nghe thử").click()
    reading = page.locator("#reading")
    assert "hai mươi lăm tháng mười một" in reading.inner_text()
    marked = reading.locator("mark[title='UBND']")
    assert marked.inner_text().startswith("ủy ban nhân dân") and marked.is_visible()
    marked.focus()  # a tap shows what was written
    after = marked.evaluate("m => getComputedStyle(m, '::after').content")
    assert "UBND" in after
    assert horizontal_overflow(page) == 0
    shoot(page, "script-reading")
