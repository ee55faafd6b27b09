"""Printing the day and the week ("In"): chromium's own print to PDF (print media, A4), read back
by poppler's pdftotext. The running order is there (station, date, windows by their titles,
items and times); the menu, the buttons and the forms are not. A week prints a day to a page.

The station is this module's own (a commune of another province, imported from a plan file
whose afternoon window has a title), so no other test sees it or changes it.
"""
from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page

from radio import db
from radio.auth.operations import add_user
from radio.plans.operations import import_plan
from radio.schedule.operations import build_schedule

from .conftest import shoot
from .seed import NOW, PASSWORD, TODAY, TZ

DAY = TODAY + timedelta(days=1)  # not today: "Hôm nay" is then only the menu's and a button's word
STATION = "Đài truyền thanh xã Hải Thượng"
ITEMS = ("Bản tin xã Hải Thượng", "Giữ gìn an ninh thôn xóm", "Giá lúa giống vụ đông")
# Words of the menu, the top bar and the buttons of the day and week pages, none of which belongs on paper.
SCREEN_ONLY = ("Lịch phát thanh cơ sở", "Hôm nay", "Kịch bản", "Thư viện âm thanh", "Đăng xuất", "English",
               "Hôm trước", "Hôm sau", "Cả tuần", "Cả tháng", "Tải về", "Gói cả ngày", "Danh sách phát",
               "Tải MP3", "Đánh dấu đã phát", "Tuần trước", "Tuần sau", "Xem theo tháng", "Tạo đường dẫn lịch",
               "Lịch trên điện thoại", "Bỏ qua, tới nội dung")
PLAN = f"""\
version: 1
plan: {{code: "hai-thuong-2026", title: "Kế hoạch tuyên truyền xã Hải Thượng 2026", issued_by: "HTI-HT"}}
areas:
  - {{code: "HTI", name: "Hà Tĩnh", level: province}}
  - {{code: "HTI-HT", name: "xã Hải Thượng", level: commune, parent: "HTI"}}
stations:
  - code: "haithuong"
    name: "{STATION}"
    area: "HTI-HT"
    windows:
      - {{name: sang, days: [MO, TU, WE, TH, FR, SA, SU], start: "05:30", end: "06:00"}}
      - {{name: chieu-dong, title: "Buổi chiều (giờ mùa đông)", days: [MO, TU, WE, TH, FR, SA, SU],
         start: "16:30", end: "17:00"}}
series:
  - {{code: tin, title: "Tin tức xã"}}
  - {{code: an, title: "An ninh trật tự"}}
  - {{code: nong, title: "Khuyến nông"}}
episodes:
  - {{code: tin-1, series: tin, title: "{ITEMS[0]}", audio: tin-1.wav}}
  - {{code: an-1, series: an, title: "{ITEMS[1]}", audio: an-1.wav}}
  - {{code: nong-1, series: nong, title: "{ITEMS[2]}", audio: nong-1.wav}}
requirements:
  - {{code: tin-ngay, series: tin, stations: [haithuong], period: day, airings: {{min: 1, max: 1}},
     windows: [sang], min_gap_days: 0, from: "{TODAY}", to: "{TODAY + timedelta(days=13)}"}}
  - {{code: an-ngay, series: an, stations: [haithuong], period: day, airings: {{min: 1, max: 1}},
     windows: [sang], min_gap_days: 0, from: "{TODAY}", to: "{TODAY + timedelta(days=13)}"}}
  - {{code: nong-ngay, series: nong, stations: [haithuong], period: day, airings: {{min: 1, max: 1}},
     windows: [chieu-dong], min_gap_days: 0, from: "{TODAY}", to: "{TODAY + timedelta(days=13)}"}}
"""


@pytest.fixture(scope="module")
def haithuong(site, tmp_path_factory) -> str:
    """The station's plan imported and built for two weeks; its operator's username."""
    folder = tmp_path_factory.mktemp("print")
    for n, name in enumerate(("tin-1", "an-1", "nong-1")):
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"sine=frequency={330 + 110 * n}:duration={2 + n}", str(folder / f"{name}.wav")], check=True)
    (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    with site[2].app_context():
        session = db.session()
        import_plan(session, folder / "plan.yaml", None, now=NOW)
        add_user(session, None, "op-hai", PASSWORD, "operator", "HTI-HT", "Hồ Thị Hải", now=NOW)
        build_schedule(session, None, TODAY, TODAY + timedelta(days=13), now=NOW, tz=TZ, stations={"haithuong"})
        session.commit()
    return "op-hai"


def printed(page: Page, path: Path) -> list[str]:
    """The page printed by chromium as its print dialog would (print media, the CSS page size):
    the text of each sheet."""
    page.pdf(path=str(path), prefer_css_page_size=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info, info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(sheet.split()) for sheet in text.split("\f") if sheet.strip()]


def test_the_day_shows_windows_by_their_titles_and_prints_its_running_order(page, log_in, haithuong, tmp_path):
    log_in(haithuong)
    page.goto(f"/stations/haithuong/on/{DAY.isoformat()}")
    headings = page.locator("section.window h2")
    assert [h.inner_text().split("\n")[0] for h in headings.all()] == ["Buổi sáng 05:30–06:00",
                                                                        "Buổi chiều (giờ mùa đông) 16:30–17:00"]
    assert page.get_by_role("link", name="Tải MP3: Buổi chiều (giờ mùa đông)").count() == 1
    shoot(page, "day-window-titles")
    sheets = printed(page, tmp_path / "day.pdf")
    text = " ".join(sheets)
    assert STATION in text and "Thứ 4, 25/11/2026" in text
    assert "Buổi sáng 05:30–06:00" in text and "Buổi chiều (giờ mùa đông) 16:30–17:00" in text
    assert all(title in text for title in ITEMS)
    assert "05:30–" in text and "16:30–" in text  # each item's time
    assert [word for word in SCREEN_ONLY if word in text] == []
    assert len(sheets) == 1  # three items fit on one sheet


def test_the_week_prints_a_day_to_a_sheet(page, log_in, haithuong, tmp_path):
    log_in(haithuong)
    page.goto(f"/stations/haithuong/calendar?view=week&day={DAY.isoformat()}")
    sheets = printed(page, tmp_path / "week.pdf")
    text = " ".join(sheets)
    assert STATION in text and "Tuần 23/11/2026 – 29/11/2026" in text
    assert [word for word in SCREEN_ONLY if word in text] == []
    days = [("Thứ 2", "23/11/2026"), ("Thứ 3", "24/11/2026"), ("Thứ 4", "25/11/2026"), ("Thứ 5", "26/11/2026"),
            ("Thứ 6", "27/11/2026"), ("Thứ 7", "28/11/2026"), ("Chủ nhật", "29/11/2026")]
    sheet_of = {day: next(i for i, sheet in enumerate(sheets) if f"{weekday} {day}" in sheet) for weekday, day in days}
    assert list(sheet_of.values()) == list(range(7))  # a sheet for each day, in order
    wednesday = sheets[sheet_of["25/11/2026"]]
    assert all(title in wednesday for title in ITEMS) and "05:30" in wednesday and "16:30" in wednesday
    morning, afternoon = wednesday.index("Buổi sáng"), wednesday.index("Buổi chiều (giờ mùa đông)")
    assert morning < wednesday.index(ITEMS[0]) < afternoon < wednesday.index(ITEMS[2])  # items under their window
