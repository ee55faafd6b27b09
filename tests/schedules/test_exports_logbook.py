"""The printed running order (sổ nhật ký phát thanh) as HTML and PDF; the PDF is read
back with pypdf and, where poppler's pdftoppm is installed, rendered to an image."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from schedules.exports.logbook import LogRow, logbook_html, logbook_pdf, logbook_sections
from schedules.exports.model import Tick, WindowInfo
from tests.exports_kit import TRICKY_TITLE, at, item, sample_day

TONES = [Path("/srv/media/a.mp3"), Path("/srv/media/b.mp3"), Path("/srv/media/c.mp3")]


@pytest.fixture(scope="module")
def day():
    return sample_day(TONES, [2.0, 3.0, 1.5], "http://vov.invalid/vov1.mp3")


def test_rows_per_window_with_missing_content_marked(day):
    sang, chieu = logbook_sections(day)
    assert sang.title == "sang (05:30–05:31)"
    assert sang.rows == (
        LogRow("05:30", "Tiếp sóng VOV1: 05:30:00–05:30:04 (4 giây), chuyển sang nguồn tiếp sóng "
               "http://vov.invalid/vov1.mp3", "4 giây", "", False),
        LogRow("05:30:05", f"Chuyển đổi số – {TRICKY_TITLE}", "2 giây", "CDS-TUAN (thường)", False),
        LogRow("05:30:08", "Chuyển đổi số – Dành chỗ: Chuyển đổi số – thiếu nội dung", "2 giây",
               "CDS-TUAN (thường)", True),
        LogRow("05:30:11", "Chuyển đổi số – Tin số 4", "3 giây", "CDS-TUAN (ưu tiên)", False),
        LogRow("05:30:16", "Thông báo tiêm chủng", "2 giây", "", False),
    )
    assert sang.total == "12 giây"
    assert chieu.title == "chieu (17:00–17:01)"
    assert [row.item for row in chieu.rows][1] == (
        "Trực tiếp – Chủ tịch xã phát biểu: 17:00:03–17:00:05 (2 giây), phát trực tiếp tại micro")
    assert not any(row.is_missing for row in chieu.rows)
    assert sang.how == (sang.rows[0].item, "05:30:04–05:30:17: phát tệp sang.mp3")
    assert chieu.how == (
        "17:00:00–17:00:03: phát tệp chieu-1.mp3 (phần 1/2)", chieu.rows[1].item,
        "17:00:05–17:00:09: phát tệp chieu-2.mp3 (phần 2/2)")


def test_ticked_items_are_printed_ticked_with_who_and_when(day, tmp_path):
    """The PDF downloaded after the operator ticked shows the ticks, as poppler reads it."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    ticks = {day.items[1].id: Tick("Nguyễn Văn Trực", at(5, 41)), day.items[0].id: Tick("Lê Thị Ca", at(5, 42))}
    sang, _ = logbook_sections(day, ticks)
    assert [(row.tick, row.note) for row in sang.rows[:3]] == [
        ("☑", "Lê Thị Ca 05:42 14/05"), ("☑", "Nguyễn Văn Trực 05:41 14/05"), ("☐", "")]
    assert logbook_html(day, ticks).count('<td class="tick">☑</td>') == 2
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(logbook_pdf(day, ticks=ticks))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert text.count("☑") == 2 and text.count("☐") == 6
    assert "Nguyễn Văn" in text and "05:41 14/05" in text and "Lê Thị Ca" in text


def test_items_outside_every_window_get_their_own_section(day):
    late = item(20, at(21, 0), 65, window=None, title="Thông báo khẩn", media_url="https://x/1.mp3")
    sections = logbook_sections(replace(day, items=(*day.items, late)))
    assert sections[-1].title == "Ngoài khung giờ"
    assert sections[-1].rows == (LogRow("21:00", "Chuyển đổi số – Thông báo khẩn", "1 phút 5 giây",
                                        "CDS-TUAN (thường)", False),)


class _Tags(HTMLParser):
    """Checks that every opened element is closed, in order, and collects the text."""

    VOID = frozenset({"meta", "br"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_a_balanced_vietnamese_log_book_page(day):
    page = logbook_html(day)
    parser = _Tags()
    parser.feed(page)
    assert parser.open == []
    text = " ".join(parser.text)
    for expected in ("SỔ NHẬT KÝ PHÁT THANH", "Đài truyền thanh xã Thanh Kỳ", "Thứ 3, 14/05/2024",
                     "Lịch phát phiên bản 7", "Giờ", "Nội dung", "Thời lượng", "Yêu cầu",
                     "Đã phát", "Người trực máy (ký, ghi rõ họ tên)", TRICKY_TITLE,
                     "Tổng thời lượng"):
        assert expected in text
    assert page.count("thiếu nội dung") == 1
    assert "Tin đã huỷ" not in page
    assert "&lt;số 20&gt;, A &amp; B" in page and '<html lang="vi">' in page
    assert page.count('<td class="tick">☐</td>') == 8


def test_pdf_holds_the_vietnamese_text(day):
    reader = PdfReader(io.BytesIO(logbook_pdf(day)))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for expected in ("SỔ NHẬT KÝ PHÁT THANH", "Đài truyền thanh xã Thanh Kỳ", "Thứ 3, 14/05/2024",
                     "Đã phát", "thiếu nội dung", "Người trực máy (ký, ghi rõ họ tên)",
                     "Trang 1/1", "Tiếp sóng VOV1"):
        assert expected in text
    assert reader.metadata.title == (
        "SỔ NHẬT KÝ PHÁT THANH – Đài truyền thanh xã Thanh Kỳ – 14/05/2024")


def test_a_long_day_runs_over_pages_and_signs_at_the_end(day):
    many = tuple(item(100 + n, at(5, 30) + timedelta(minutes=n), 50, media_url="https://x/a.mp3",
                      title=f"Tin số {n} về chuyển đổi số ở thôn") for n in range(70))
    long_day = replace(day, windows=(replace(day.windows[0], end=at(7, 0)),), items=many)
    pages = PdfReader(io.BytesIO(logbook_pdf(long_day))).pages
    assert len(pages) >= 2
    assert f"Trang {len(pages)}/{len(pages)}" in pages[-1].extract_text()
    assert "Người trực máy" in pages[-1].extract_text()
    assert "Giờ" in pages[1].extract_text()  # headings repeat on every page


def test_the_same_day_gives_the_same_files(day):
    assert logbook_pdf(day) == logbook_pdf(day)
    assert logbook_html(day) == logbook_html(day)


def test_pdf_renders_to_an_image_with_text(day, tmp_path):
    """With poppler installed, a real renderer draws the page: it must carry ink."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: the PDF text was checked "
                    "with pypdf only")
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(logbook_pdf(day))
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(pdf), str(tmp_path / "p")],
                   check=True, capture_output=True)
    page = Image.open(tmp_path / "p.png").convert("L")
    dark = sum(page.histogram()[:128]) / (page.width * page.height)
    assert 0.005 < dark < 0.3


def test_durations_read_as_durations_not_clock_times(day, tmp_path):
    """A ten-minute relay is "10 phút" in the book, not "10:00" (which reads as ten o'clock), and a
    23-second item "23 giây" — the words the day page uses."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    relay = replace(day.items[0], end=at(5, 40), duration_s=600)
    short = item(30, at(5, 40), 23, media_url="https://x/ngan.mp3", title="Tin ngắn")
    sang = WindowInfo("sang", at(5, 30), at(5, 41))
    ten_minutes = replace(day, windows=(sang,), items=(relay, short))
    rows = logbook_sections(ten_minutes)[0]
    assert [row.duration for row in rows.rows] == ["10 phút", "23 giây"] and rows.total == "10 phút 23 giây"
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(logbook_pdf(ten_minutes))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "10 phút" in text and "23 giây" in text
    assert "10:00" not in text and "0:23" not in text
