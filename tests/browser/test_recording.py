"""Recording a spot with the microphone in a real browser: Chromium's fake microphone records
about two seconds, the upload waits for approval as canonical audio, the approver hears and
approves it, and the bulletin form then offers it. Where the browser cannot record, the page
says so and still takes a recording file.

The recordings go into a series of their own (a plan with no requirements), so no other test's
schedule or lists change.
"""
from __future__ import annotations

import json
import re
import subprocess

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from radio import db
from radio.models import Area, Plan, Recording, Series
from radio.stores import media_store

from .conftest import CHROMIUM, DESKTOP, PHONE, horizontal_overflow, shoot

SERIES = "Tin ghi âm cơ sở"
CHOICE = f"{SERIES} (Kế hoạch tin ghi âm xã Thanh Kỳ)"


@pytest.fixture(scope="module")
def series(site) -> str:
    with site[2].app_context():
        session = db.session()
        commune = session.scalar(select(Area).where(Area.code == "TH-TK"))
        plan = Plan(code="ghi-am-tk", title="Kế hoạch tin ghi âm xã Thanh Kỳ", issued_by=commune)
        session.add_all([plan, Series(plan=plan, code="tgacs", title=SERIES)])
        session.commit()
    return CHOICE


@pytest.fixture(scope="module")
def mic_browser(browser: Browser):
    """A second chromium (same Playwright) whose microphone is Chromium's fake one, allowed without asking."""
    with_mic = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
    yield with_mic
    with_mic.close()


@pytest.fixture
def page(mic_browser: Browser, base_url: str):
    context = mic_browser.new_context(base_url=base_url, viewport=DESKTOP, locale="vi-VN",
                                      permissions=["microphone"])
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def recording(site, title: str) -> tuple[str, float, bool, str | None]:
    """(status, duration measured by ffprobe on the stored file, canonical?, episode title)."""
    with site[2].app_context():
        found = db.session().scalars(select(Recording).where(Recording.title == title)).one()
        path = media_store().path_for(found.media_sha256)
        probed = json.loads(subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
                                            "-show_streams", str(path)], check=True, capture_output=True).stdout)
        stream = probed["streams"][0]
        canonical = (stream["codec_name"], stream["sample_rate"], stream["channels"]) == ("mp3", "44100", 1)
        return (found.status, float(probed["format"]["duration"]), canonical and found.media.is_canonical,
                found.episode.title if found.episode else None)


def test_a_spot_recorded_on_the_phone_waits_is_approved_and_is_offered_as_a_bulletin(page, log_in, site, series,
                                                                                      browser, base_url):
    log_in("writer")
    page.get_by_role("link", name="Kịch bản", exact=True).click()
    page.get_by_role("link", name="Ghi âm tin bằng micrô").click()
    page.get_by_label(series, exact=True).check()
    page.get_by_role("button", name="Ghi âm", exact=True).click()
    status = page.locator("#recorder-status")
    page.wait_for_function("s => s.textContent.startsWith('Đang ghi âm')", arg=status.element_handle())
    page.wait_for_timeout(2000)
    page.get_by_role("button", name="Dừng").click()
    page.wait_for_function("s => s.textContent.startsWith('Đã ghi ')", arg=status.element_handle())
    assert re.match(r"Đã ghi 0:0[23]\. Nghe lại", status.inner_text())  # about two seconds, as long as it ran
    playback = page.get_by_label("Nghe lại bản ghi")
    page.wait_for_function("a => !a.hidden && a.readyState >= 1", arg=playback.element_handle())
    assert page.get_by_label("Bản ghi âm").evaluate("input => input.files[0].type").startswith("audio/webm")
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    shoot(page, "record-spot")
    page.get_by_role("button", name="Gửi bản ghi").click()  # without a title: refused, the recording kept
    page.locator("#title-error").wait_for()
    assert page.locator("#title-error").inner_text() == "Nhập tiêu đề tin."
    assert page.get_by_label("Bản ghi âm").evaluate("input => input.files[0].name") == "ghi-am.webm"
    assert page.get_by_label("Nghe lại bản ghi").is_visible()
    page.get_by_label("Tiêu đề tin").fill("Thông báo lịch tiêm phòng dại")
    page.get_by_role("button", name="Gửi bản ghi").click()
    flash = page.locator(".flash")
    flash.wait_for()
    said = re.fullmatch(r"Đã gửi bản ghi “Thông báo lịch tiêm phòng dại” \(([23]) giây\) để duyệt\. "
                        r"Tin được phát sau khi người duyệt đồng ý\.", flash.inner_text())
    assert said
    state, seconds, canonical, episode = recording(site, "Thông báo lịch tiêm phòng dại")
    assert (state, canonical, episode) == ("submitted", True, None)
    # as long as it ran between the two clicks (two seconds, more on a busy machine), as the page said
    assert seconds == pytest.approx(int(said.group(1)), abs=0.5)

    approver = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="vi-VN").new_page()
    approver.goto("/login")
    approver.get_by_label("Tên đăng nhập").fill("duyet-tk")
    approver.get_by_label("Mật khẩu").fill("mat-khau-123")
    approver.get_by_role("button", name="Đăng nhập").click()
    approver.get_by_role("link", name="Duyệt kịch bản").click()
    approver.get_by_role("link", name="Tin ghi âm chờ duyệt").click()
    approver.get_by_role("link", name="Thông báo lịch tiêm phòng dại").click()
    heard = approver.get_by_label("Nghe bản ghi: Thông báo lịch tiêm phòng dại")
    heard.evaluate("a => a.play()")  # the approver hears it before deciding
    approver.wait_for_function("a => a.currentTime > 0.2", arg=heard.element_handle())
    shoot(approver, "recording-review")
    approver.get_by_role("button", name="Duyệt bản ghi").click()
    assert approver.locator(".flash").inner_text().startswith("Đã duyệt: tin “Thông báo lịch tiêm phòng dại”")
    approver.context.close()
    assert recording(site, "Thông báo lịch tiêm phòng dại")[::3] == ("approved", "Thông báo lịch tiêm phòng dại")

    page.goto("/office/bulletins")  # the writer is an operator: operators issue bulletins
    offered = page.get_by_label("Bản tin (tin đã duyệt, có âm thanh)").locator("option").all_inner_texts()
    assert "Thông báo lịch tiêm phòng dại (Tin ghi âm cơ sở)" in offered


def test_without_a_recorder_the_page_says_so_and_takes_a_recording_file(page, log_in, site, series, tmp_path):
    recorded = tmp_path / "ghi-am-dien-thoai.webm"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=500:duration=3",
                    "-c:a", "libopus", str(recorded)], check=True)
    page.add_init_script("delete window.MediaRecorder")  # an old browser
    log_in("operator")
    page.get_by_role("link", name="Thư viện âm thanh").click()
    page.get_by_role("link", name="Ghi âm tin bằng micrô").click()
    # the page's script (deferred) says it once it has run: wait for it, then read it
    expect(page.locator("#recorder-status")).to_have_text(re.compile(r"^Trình duyệt này không ghi âm được trên trang"))
    assert not page.get_by_role("button", name="Ghi âm", exact=True).is_visible()
    page.get_by_label(series, exact=True).check()
    page.get_by_label("Tiêu đề tin").fill("Tin ghi bằng máy ghi âm")
    page.get_by_label("Bản ghi âm").set_input_files(str(recorded))
    assert page.locator("#recorder-status").is_visible()  # still said when a file is chosen
    shoot(page, "record-unsupported")
    page.get_by_role("button", name="Gửi bản ghi").click()
    page.locator(".flash").wait_for()
    state, seconds, canonical, _ = recording(site, "Tin ghi bằng máy ghi âm")
    assert (state, canonical) == ("submitted", True) and seconds == pytest.approx(3.0, abs=0.1)


def test_without_a_microphone_the_page_says_so(browser, base_url, series):
    context = browser.new_context(base_url=base_url, viewport=PHONE, locale="vi-VN", permissions=["microphone"])
    lone = context.new_page()
    lone.goto("/login")
    lone.get_by_label("Tên đăng nhập").fill("op-tk")
    lone.get_by_label("Mật khẩu").fill("mat-khau-123")
    lone.get_by_role("button", name="Đăng nhập").click()
    lone.goto("/library/record")
    lone.get_by_role("button", name="Ghi âm", exact=True).click()
    status = lone.locator("#recorder-status")
    lone.wait_for_function("s => s.textContent.length > 0", arg=status.element_handle())
    assert status.inner_text() == ("Không tìm thấy micrô trên thiết bị này. "
                                   "Bạn vẫn có thể chọn một tệp ghi âm có sẵn ở ô bên dưới.")
    assert lone.get_by_label("Bản ghi âm").is_visible() and horizontal_overflow(lone) == 0
    context.close()
