"""The availability export for the office's report: one row per device, as CSV or XLSX."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..downloads import CSV, XLSX

CONTENT_TYPES = {"csv": CSV, "xlsx": XLSX}


def availability_csv(headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """UTF-8 with a BOM, so that spreadsheet programs read Vietnamese right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def availability_xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    from openpyxl import Workbook  # here, not on top: every command would pay for it at start
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # the longest sheet name Excel takes
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for column, header in zip(sheet.columns, headers):
        sheet.column_dimensions[column[0].column_letter].width = max(12, len(header) + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
