"""The hand-in document and its files: Vietnamese labels, shortfalls with dates, CSV/XLSX/PDF."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from schedules.compliance import evaluate, row_json
from schedules.compliance.handin import Names, handin_document
from schedules.compliance.writers import handin_pdf, handin_xlsx, rows_csv
from tests.schedules.compliance.test_compliance_engine import AFTER, STATION, THU, TUE, WEEK, count, weekly

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NAMES = Names(area_code="TH-NT-TK", area_name="xã Thanh Kỳ", plan_title="Kế hoạch tuyên truyền về chuyển đổi số",
              plan_document="12/KH-UBND", report_due=date(2027, 2, 5), stations={"tk": "Đài truyền thanh xã Thanh Kỳ"},
              requirements={"p/tk-weekly": "Chuyên mục Chuyển đổi số (2 lần/tuần)"})


def document():
    counts = [count(TUE), count(THU), count(TUE + timedelta(days=7)), count(THU + timedelta(days=7), "e2", duration=400.0)]
    rows = evaluate([weekly(duration_max=180)], {"tk": STATION}, counts,
                    start=WEEK, end=WEEK + timedelta(days=7), today=AFTER)
    return rows, handin_document(rows, NAMES, start=WEEK, end=WEEK + timedelta(days=13),
                                 as_of=datetime(2026, 11, 30, 10, 0, tzinfo=TZ),
                                 unscheduled=[("tk", "Bản tin tuần 47", datetime(2026, 11, 19, 17, 5, tzinfo=TZ),
                                               "chieu")])


def test_the_document_says_what_was_met_and_what_fell_short():
    _, doc = document()
    assert doc["title"] == "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH TUYÊN TRUYỀN VỀ CHUYỂN ĐỔI SỐ"
    assert doc["summary"] == [{"station": "Đài truyền thanh xã Thanh Kỳ", "met": 1, "short": 1, "over": 0,
                               "open": 0, "total": 2}]
    assert [d["status"] for d in doc["detail"]] == ["Đạt", "Không đạt"]
    assert doc["detail"][1]["notes"] == "thiếu ngày 26/11/2026; 1 lần phát sai thời lượng"
    assert doc["shortfalls"] == [{"station": "Đài truyền thanh xã Thanh Kỳ",
                                  "requirement": "Chuyên mục Chuyển đổi số (2 lần/tuần)",
                                  "period": "23/11/2026–29/11/2026", "missing_dates": ["26/11/2026"],
                                  "aired": "1/2", "new": "0/1"}]
    assert doc["unscheduled"][0]["at"] == "17:05 19/11/2026" and doc["report_due"] == "05/02/2027"


def test_csv_xlsx_and_pdf_carry_the_same_facts():
    rows, doc = document()
    table = list(csv.DictReader(io.StringIO(rows_csv([row_json(r) for r in rows]).decode("utf-8-sig"))))
    assert [(r["period_start"], r["status"], r["missing_dates"]) for r in table] == [
        ("2026-11-16", "met", ""), ("2026-11-23", "short", "2026-11-26")]
    book = load_workbook(io.BytesIO(handin_xlsx(doc)))
    detail = [[c.value for c in row] for row in book["Chi tiết theo yêu cầu"].iter_rows()]
    assert detail[0][0] == "Đài" and detail[2][-2:] == ["Không đạt", "thiếu ngày 26/11/2026; 1 lần phát sai thời lượng"]
    first = [[c.value for c in row] for row in book["Tổng hợp theo đài"].iter_rows()]
    assert first[1][0] == "Kế hoạch số 12/KH-UBND"
    pdf = handin_pdf(doc)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Kế hoạch số 12/KH-UBND" in text and "Không đạt" in text and "Bản tin tuần 47" in text
    assert handin_pdf(doc) == pdf  # the same document gives the same file


@pytest.mark.parametrize(("plan_title", "title"), [
    ("Kế hoạch tuyên truyền về chuyển đổi số", "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH TUYÊN TRUYỀN VỀ CHUYỂN ĐỔI SỐ"),
    ("KẾ HOẠCH số 15/KH-UBND", "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH SỐ 15/KH-UBND"),
    ("Tuyên truyền bầu cử", "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH TUYÊN TRUYỀN BẦU CỬ"),
    (None, "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH TUYÊN TRUYỀN – xã Thanh Kỳ"),
])
def test_the_title_says_plan_once(plan_title, title):
    names = Names(area_code="TK", area_name="xã Thanh Kỳ", plan_title=plan_title)
    assert handin_document([], names, start=WEEK, end=WEEK, as_of=datetime(2026, 11, 30, tzinfo=TZ))["title"] == title
