"""On a phone (360 px), writing a script or adding audio asks which series it is for, each with
what it is for, the notice series chosen first; content joins a requirement's rotation only when
ticked."""
from __future__ import annotations

import subprocess

from playwright.sync_api import expect
from sqlalchemy import select

from radio import db
from radio.models import Episode, Script

from .conftest import PHONE, horizontal_overflow, shoot

WEEKLY = "Chuyên mục Chuyển đổi số (Kế hoạch tuyên truyền xã Thanh Kỳ 2026)"


def chosen_label(page) -> str:
    chosen = page.locator("input[name=series]:checked")
    expect(chosen).to_have_count(1)
    return page.locator(f"label[for='{chosen.get_attribute('id')}']").inner_text()


def test_a_script_asks_its_series_with_what_each_is_for(page, log_in, site):
    page.set_viewport_size(PHONE)
    log_in("writer")
    page.goto("/scripts/new")
    choice = page.get_by_role("group", name="Tin này thuộc chuyên mục nào?")
    expect(choice).to_be_visible()
    assert chosen_label(page).startswith("Thông báo (")  # a plan's notice series, whichever plan comes first
    weekly = page.get_by_label(WEEKLY, exact=True)
    purpose = page.locator("#" + weekly.get_attribute("aria-describedby"))
    expect(purpose).to_have_text("Phát theo yêu cầu: 2 lần mỗi ngày.")
    expect(purpose).to_be_visible()
    ticked = page.get_by_label("Xếp tin này vào các lượt phát theo yêu cầu của chuyên mục")
    expect(ticked).not_to_be_checked()
    assert horizontal_overflow(page) == 0
    shoot(page, "script-series-choice")
    weekly.check()
    ticked.check()
    page.get_by_label("Tiêu đề").fill("Chuyển đổi số: dịch vụ công trực tuyến")
    page.get_by_label("Nội dung kịch bản").fill("Bà con có thể nộp hồ sơ trực tuyến tại nhà.")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".flash").first).to_be_visible()
    with site[2].app_context():
        script = db.session().scalar(select(Script).where(Script.title == "Chuyển đổi số: dịch vụ công trực tuyến"))
        assert (script.series.code, script.for_requirements) == ("cds", True)


def test_an_upload_on_a_phone_goes_to_the_notice_series_by_default(page, log_in, site, tmp_path):
    tone = tmp_path / "tiem-phong.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=700:duration=3",
                    str(tone)], check=True)
    page.set_viewport_size(PHONE)
    log_in("operator")
    page.goto("/library/")
    assert chosen_label(page).startswith("Thông báo (")  # a plan's notice series, whichever plan comes first
    assert horizontal_overflow(page) == 0
    shoot(page, "upload-series-choice")
    page.get_by_label("Tệp âm thanh", exact=True).set_input_files(str(tone))
    page.get_by_label("Tiêu đề tin", exact=True).fill("Thông báo tiêm phòng dại")
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".flash").first).to_contain_text("Thông báo tiêm phòng dại")
    with site[2].app_context():
        episode = db.session().scalar(select(Episode).where(Episode.title == "Thông báo tiêm phòng dại"))
        assert (episode.series.code, episode.for_requirements) == ("thong-bao", False)
