"""The audio library in a real browser: upload with progress, facts shown, listen, clear errors."""
from __future__ import annotations

import subprocess

from .conftest import shoot


def test_upload_shows_duration_and_loudness_and_plays(page, log_in, tmp_path):
    tone = tmp_path / "Bản tin môi trường.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=500:duration=5",
                    str(tone)], check=True)
    log_in("operator")
    page.get_by_role("link", name="Thư viện âm thanh").click()
    page.get_by_label("Thông báo (Kế hoạch tuyên truyền xã Thanh Kỳ 2026)", exact=True).check()
    page.get_by_label("Tệp âm thanh", exact=True).set_input_files(str(tone))
    page.get_by_label("Tiêu đề tin", exact=True).fill("Bản tin môi trường tháng 11")
    page.get_by_label("Hết hạn sau ngày", exact=True).fill("31/12/2026")
    page.evaluate("window.stayedOnPage = true")
    page.evaluate("""() => { window.progressSeen = [];
        new MutationObserver(() => window.progressSeen.push(document.getElementById("upload-progress")?.value))
          .observe(document.getElementById("upload-progress"), {attributes: true}); }""")
    page.get_by_role("button", name="Tải lên").click()
    flash = page.locator(".flash")
    flash.wait_for()
    assert page.evaluate("window.stayedOnPage")  # sent by the progress-bar script, not a page load
    assert 100 in page.evaluate("window.progressSeen")  # the bar was shown and filled
    assert flash.inner_text() == "Đã thêm tin “Bản tin môi trường tháng 11” (5 giây)."
    card = page.locator("li.card", has_text="Bản tin môi trường tháng 11")
    assert "LUFS" in card.inner_text() and "đến hết 31/12/2026" in card.inner_text()
    audio = card.locator("audio")
    audio.evaluate("a => a.play()")
    page.wait_for_function("a => a.currentTime > 0.2", arg=audio.element_handle())
    shoot(page, "library")


def test_a_file_that_is_not_audio_is_refused_next_to_the_field_and_the_title_kept(page, log_in, tmp_path):
    fake = tmp_path / "ghi-chu.mp3"
    fake.write_text("đây không phải âm thanh")
    log_in("operator")
    page.goto("/library/")
    page.get_by_label("Thông báo (Kế hoạch tuyên truyền xã Thanh Kỳ 2026)", exact=True).check()
    page.get_by_label("Tệp âm thanh", exact=True).set_input_files(str(fake))
    page.get_by_label("Tiêu đề tin", exact=True).fill("Tin không có tiếng")
    page.get_by_role("button", name="Tải lên").click()
    error = page.locator("#audio-error")
    error.wait_for()
    assert error.inner_text().startswith("Tệp này không dùng được:")
    assert page.get_by_label("Tệp âm thanh", exact=True).get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Tiêu đề tin", exact=True).input_value() == "Tin không có tiếng"
