"""The printed running order, laid out as the station's broadcast log book.

The operator ticks "đã phát" beside each item as it airs and signs at the bottom; the
culture office may ask for the signed page. Items already ticked on the day page are
printed ticked, with who ticked them and when. HTML (to print from a browser) and PDF (to
print anywhere) come from the same rows, so both pages say the same thing. Items with
nothing to play are printed, marked "thiếu nội dung", so the gap is seen before airtime.
A window with a relay or live block says under its heading which MP3 part to play when
and when to switch to the block (``windows.window_steps``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .model import DayPlaylist, PlayItem, Tick
from .text import (
    MISSING, block_text, clock, day_text, duration_words, item_title, one_line, requirement_text, span_text,
)
from .windows import BLOCK_KINDS, WindowPart, part_file_name, window_steps

if TYPE_CHECKING:  # fpdf is imported where a PDF is made: every command would pay for it at start
    from fpdf import FPDF

HEADING = "SỔ NHẬT KÝ PHÁT THANH"
COLUMNS = ("Giờ", "Nội dung", "Thời lượng", "Yêu cầu", "Đã phát", "Ghi chú")
SIGNATURE = "Người trực máy (ký, ghi rõ họ tên)"
TICK_BOX = "☐"
TICKED_BOX = "☑"
DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# A4 portrait less 12 mm margins: 186 mm across the six columns.
_PDF_WIDTHS = (16, 70, 20, 34, 14, 32)


@dataclass(frozen=True)
class LogRow:
    """One line of the book: what to air when, as printed."""

    time: str
    item: str
    duration: str
    requirement: str
    is_missing: bool
    tick: str = TICK_BOX
    note: str = ""  # who ticked it and when


@dataclass(frozen=True)
class LogSection:
    """A window (or the items outside any) with its rows and their total length; ``how``
    says which MP3 part plays when, around the window's relay or live blocks."""

    title: str
    rows: tuple[LogRow, ...]
    total: str
    how: tuple[str, ...] = ()


def logbook_sections(playlist: DayPlaylist, ticks: Mapping[str, Tick] | None = None) -> tuple[LogSection, ...]:
    """Windows in the order they open, then anything scheduled outside them; ``ticks`` (by
    item id) are the items an operator has already marked aired."""
    sections = []
    zone = playlist.zone
    ticks = ticks or {}
    for window in sorted(playlist.windows, key=lambda w: (w.start, w.name)):
        span = f"{clock(window.start.astimezone(zone))}–{clock(window.end.astimezone(zone))}"
        sections.append(_section(f"{one_line(window.label)} ({span})", playlist, window.name, ticks))
    loose = [item for item in playlist.live_items() if item.window is None]
    if loose:
        sections.append(_section("Ngoài khung giờ", playlist, None, ticks, loose))
    return tuple(sections)


def how_to_air(playlist: DayPlaylist, window: str) -> tuple[str, ...]:
    """One line per part and block of a window cut at relay or live blocks (none otherwise)."""
    steps = window_steps(playlist, window)
    parts = [step for step in steps if isinstance(step, WindowPart)]
    if len(parts) == len(steps):  # no block: the window is one file, played at its opening
        return ()
    zone = playlist.zone
    count = len(parts)
    return tuple(
        f"{span_text(step.start, step.end, zone)}: phát tệp {part_file_name(window, step.number, count)}"
        + (f" (phần {step.number}/{count})" if count > 1 else "")
        if isinstance(step, WindowPart) else block_text(step, zone)
        for step in steps)


def logbook_html(playlist: DayPlaylist, ticks: Mapping[str, Tick] | None = None) -> str:
    """A standalone page (inline CSS, no scripts or fetches) that prints on A4."""
    parts = [_HTML_HEAD.format(title=_esc(f"{HEADING} – {playlist.station_name} – "
                                          f"{playlist.day:%d/%m/%Y}")),
             "<header>", f"<h1>{HEADING}</h1>",
             *(f"<p>{_esc(line)}</p>" for line in _header_lines(playlist)), "</header>"]
    for section in logbook_sections(playlist, ticks):
        parts += _html_section(section)
    parts += [f'<footer><p class="sign">{_esc(SIGNATURE)}</p></footer>', "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def logbook_pdf(playlist: DayPlaylist, font_dir: Path = DEFAULT_FONT_DIR,
                ticks: Mapping[str, Tick] | None = None) -> bytes:
    """The same book as a PDF, in DejaVu Sans, which has every Vietnamese letter.

    The creation date is the playlist's day, not the clock, so the same day gives the
    same file (cores never read the clock).
    """
    pdf = _log_book_pdf_class()(format="A4")
    pdf.set_margins(12, 12, 12)
    add_dejavu(pdf, font_dir)
    pdf.set_creation_date(datetime.combine(playlist.day, time(), playlist.zone))
    pdf.set_title(f"{HEADING} – {one_line(playlist.station_name)} – {playlist.day:%d/%m/%Y}")
    pdf.set_lang("vi")
    pdf.add_page()
    _pdf_header(pdf, playlist)
    for section in logbook_sections(playlist, ticks):
        _pdf_section(pdf, section)
    pdf_signature(pdf)
    return bytes(pdf.output())


def _section(title: str, playlist: DayPlaylist, window: str | None, ticks: Mapping[str, Tick],
             items: list[PlayItem] | None = None) -> LogSection:
    chosen = list(playlist.live_items(window)) if items is None else items
    rows = tuple(_row(item, playlist, ticks.get(item.id)) for item in chosen)
    return LogSection(title, rows, duration_words(sum(item.planned_s for item in chosen)),
                      how_to_air(playlist, window) if window is not None else ())


def _row(item: PlayItem, playlist: DayPlaylist, tick: Tick | None) -> LogRow:
    is_missing = item.needs_content and not item.has_content
    zone = playlist.zone
    text = block_text(item, zone) if item.kind in BLOCK_KINDS else item_title(item)
    return LogRow(
        time=clock(item.start.astimezone(zone)),
        item=f"{text} – {MISSING}" if is_missing else text,
        duration=duration_words(item.planned_s),
        requirement=requirement_text(item),
        is_missing=is_missing,
        tick=TICKED_BOX if tick else TICK_BOX,
        note=f"{one_line(tick.by)} {tick.at.astimezone(zone):%H:%M %d/%m}" if tick else "",
    )


def _header_lines(playlist: DayPlaylist) -> list[str]:
    return [one_line(playlist.station_name), day_text(playlist.day),
            f"Lịch phát phiên bản {playlist.schedule_version}"]


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


_HTML_HEAD = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
@page {{ size: A4; margin: 12mm; }}
body {{ font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt; }}
header {{ text-align: center; }}
h1 {{ font-size: 15pt; margin: 0 0 4pt; }}
header p {{ margin: 0 0 2pt; }}
h2 {{ font-size: 11.5pt; margin: 12pt 0 4pt; }}
table {{ width: 100%; border-collapse: collapse; }}
th, td {{ border: 1px solid #000; padding: 3pt 4pt; vertical-align: top; }}
th:nth-child(1) {{ width: 10%; }}
th:nth-child(2) {{ width: 40%; }}
th:nth-child(6) {{ width: 16%; }}
thead {{ display: table-header-group; }}
tr {{ page-break-inside: avoid; }}
td.tick {{ text-align: center; font-size: 13pt; }}
td.missing {{ font-weight: bold; color: #a00; }}
ol.how {{ margin: 0 0 4pt; padding-left: 16pt; }}
.sign {{ margin: 24pt 0 0 50%; text-align: center; font-weight: bold; min-height: 60pt; }}
</style>
</head>
<body>"""


def _html_section(section: LogSection) -> list[str]:
    head = "".join(f"<th>{_esc(column)}</th>" for column in COLUMNS)
    lines = ["<section>", f"<h2>{_esc(section.title)}</h2>"]
    if section.how:
        lines += ['<ol class="how">', *(f"<li>{_esc(line)}</li>" for line in section.how), "</ol>"]
    lines += ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row in section.rows:
        item_class = ' class="missing"' if row.is_missing else ""
        lines.append(
            f"<tr><td>{_esc(row.time)}</td><td{item_class}>{_esc(row.item)}</td>"
            f"<td>{_esc(row.duration)}</td><td>{_esc(row.requirement)}</td>"
            f'<td class="tick">{row.tick}</td><td>{_esc(row.note)}</td></tr>')
    lines += ["</tbody>",
              f'<tfoot><tr><td></td><td>Tổng thời lượng</td><td>{_esc(section.total)}</td>'
              '<td colspan="3"></td></tr></tfoot>',
              "</table>", "</section>"]
    return lines


@cache
def _log_book_pdf_class() -> type:
    """FPDF with the page number in the footer (a signed book must show no page is missing)."""
    from fpdf import FPDF

    class LogBookPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font("DejaVu", "", 8)
            self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")

    return LogBookPDF


def _pdf_header(pdf: FPDF, playlist: DayPlaylist) -> None:
    pdf.set_font("DejaVu", "B", 15)
    pdf.cell(0, 8, HEADING, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10.5)
    for line in _header_lines(playlist):
        pdf.cell(0, 5.5, line, align="C", new_x="LMARGIN", new_y="NEXT")


def _pdf_section(pdf: FPDF, section: LogSection) -> None:
    from fpdf.fonts import FontFace

    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 11.5)
    pdf.cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9.5)
    for number, line in enumerate(section.how, start=1):
        pdf.multi_cell(0, 5, f"{number}. {line}", new_x="LMARGIN", new_y="NEXT")
    missing_style = FontFace(emphasis="BOLD", color=(170, 0, 0))
    with pdf.table(col_widths=_PDF_WIDTHS, text_align="LEFT", line_height=5,
                   padding=1, width=sum(_PDF_WIDTHS)) as table:
        table.row(COLUMNS)
        for row in section.rows:
            cells = table.row()
            cells.cell(row.time)
            cells.cell(row.item, style=missing_style if row.is_missing else None)
            cells.cell(row.duration)
            cells.cell(row.requirement)
            cells.cell(row.tick, align="CENTER")
            cells.cell(row.note)
        total = table.row()
        total.cell("")
        total.cell("Tổng thời lượng")
        total.cell(section.total)
        total.cell("", colspan=3)


def add_dejavu(pdf: FPDF, font_dir: Path = DEFAULT_FONT_DIR) -> None:
    """DejaVu Sans, regular and bold, as "DejaVu": it has every Vietnamese letter."""
    pdf.add_font("DejaVu", "", Path(font_dir) / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", Path(font_dir) / "DejaVuSans-Bold.ttf")


def pdf_signature(pdf: FPDF, text: str = SIGNATURE) -> None:
    """Right-hand signature block, kept whole on one page with room to sign."""
    if pdf.get_y() > pdf.h - pdf.b_margin - 40:
        pdf.add_page()
    pdf.ln(10)
    pdf.set_font("DejaVu", "B", 10.5)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.set_x(pdf.l_margin + half)
    pdf.multi_cell(half, 6, text, align="C")
