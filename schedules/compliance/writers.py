"""Compliance rows and the hand-in document as CSV, XLSX (openpyxl) and PDF (fpdf2 + DejaVu,
the day pack's engine and fonts)."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from ..exports.logbook import DEFAULT_FONT_DIR, add_dejavu, pdf_signature

CSV_COLUMNS = ("requirement", "station", "period_start", "period_end", "partial", "required_min", "required_max",
               "planned", "aired", "new_required", "new_aired", "status", "reasons", "unscheduled",
               "duration_violations", "missing_dates")
SECTIONS = (
    ("summary", "Tổng hợp theo đài", (("station", "Đài"), ("met", "Đạt"), ("short", "Không đạt"),
                                       ("over", "Vượt mức"), ("open", "Chưa kết thúc"), ("total", "Tổng"))),
    ("detail", "Chi tiết theo yêu cầu", (("station", "Đài"), ("requirement", "Yêu cầu"), ("period", "Kỳ"),
                                          ("required", "Yêu cầu (lần)"), ("planned", "Kế hoạch"),
                                          ("aired", "Đã phát"), ("new", "Tin mới"), ("status", "Kết quả"),
                                          ("notes", "Ghi chú"))),
    ("shortfalls", "Các kỳ không đạt", (("station", "Đài"), ("requirement", "Yêu cầu"), ("period", "Kỳ"),
                                         ("aired", "Đã phát/yêu cầu"), ("new", "Tin mới"),
                                         ("missing_dates", "Ngày thiếu"))),
    ("unscheduled", "Phát ngoài lịch", (("station", "Đài"), ("episode", "Nội dung"), ("at", "Thời điểm"),
                                         ("window", "Khung giờ"))),
)
_PDF_WIDTHS = {"summary": (107, 16, 18, 16, 22, 14), "detail": (30, 42, 40, 18, 18, 16, 16, 28, 59),
               "shortfalls": (45, 55, 50, 25, 20, 72), "unscheduled": (70, 110, 45, 42)}


def rows_csv(rows: list[dict]) -> bytes:
    """The rows' JSON as CSV (UTF-8 with BOM so spreadsheet programs read Vietnamese right)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "reasons": "; ".join(row["reasons"]),
                         "missing_dates": " ".join(row["missing_dates"]),
                         "required_max": "" if row["required_max"] is None else row["required_max"]})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell_text(value) -> str:
    return ", ".join(value) if isinstance(value, list) else "" if value is None else str(value)


def _header_lines(document: dict) -> list[str]:
    lines = [f"{document['area']['name']} ({document['area']['code']})",
             f"Kỳ báo cáo: {document['period']['from']} – {document['period']['to']}",
             f"Số liệu tính đến {document['as_of']}"]
    if document.get("document"):
        lines.insert(0, f"Kế hoạch số {document['document']}")
    if document.get("report_due"):
        lines.append(f"Hạn báo cáo: {document['report_due']}")
    return lines


def handin_xlsx(document: dict) -> bytes:
    """One sheet per section, the title and header lines on the first."""
    from openpyxl import Workbook  # here, not on top: every command would pay for it at start
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for key, heading, columns in SECTIONS:
        sheet = book.create_sheet(heading[:31])
        lines = [document["title"], *_header_lines(document), ""] if key == "summary" else []
        for line in lines:
            sheet.append([line])
        if lines:
            sheet.cell(1, 1).font = Font(bold=True, size=13)
        sheet.append([label for _, label in columns])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for item in document[key]:
            sheet.append([item[name] if isinstance(item[name], int) else _cell_text(item[name])
                          for name, _ in columns])
        for index, (name, _) in enumerate(columns, start=1):
            width = max([len(_cell_text(item[name])) for item in document[key]] + [len(columns[index - 1][1]), 8])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width + 2, 60)
        for row in sheet.iter_rows(min_row=len(lines) + 1):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def handin_pdf(document: dict, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    """A4 landscape, DejaVu Sans (every Vietnamese letter), with a signature block."""
    from fpdf import FPDF  # here, not on top: every command would pay for it at start

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_margins(12, 12, 12)
    add_dejavu(pdf, font_dir)
    pdf.set_title(document["title"])
    pdf.set_creation_date(datetime.fromisoformat(document["as_of_iso"]))  # same document, same file
    pdf.set_lang("vi")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 7, document["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for line in _header_lines(document):
        pdf.cell(0, 5.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    for number, (key, heading, columns) in enumerate(SECTIONS, start=1):
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 11.5)
        pdf.cell(0, 7, f"{number}. {heading}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8.5)
        if not document[key]:
            pdf.cell(0, 6, "Không có.", new_x="LMARGIN", new_y="NEXT")
            continue
        widths = _PDF_WIDTHS[key]
        with pdf.table(col_widths=widths, width=sum(widths), text_align="LEFT", line_height=4.5,
                       padding=1) as table:
            table.row([label for _, label in columns])
            for item in document[key]:
                table.row([_cell_text(item[name]) for name, _ in columns])
    pdf_signature(pdf, "Người lập báo cáo (ký, ghi rõ họ tên)")
    return bytes(pdf.output())
