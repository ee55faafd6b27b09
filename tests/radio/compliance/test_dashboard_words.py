"""The compliance pages in words: figures labelled, requirements and stations by name, a legend
for the part-period asterisk, freezing that asks first, refusals in the reader's language."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select, update

from radio.models import FrozenReport, Requirement
from tests.radio.compliance.test_dashboard import CELL, QUERY, office, thanh_ky  # noqa: F401  (fixtures)
from tests.radio.compliance_kit import at
from tests.radio.office_kit import post_form

FREEZE = {"plan": "thanh-ky-cds", "area": "TH-NT"}


def test_the_matrix_labels_its_figures_and_names_requirements(office):
    html = office.get("/office/compliance", query_string=QUERY).get_data(as_text=True)
    matrix = html.split('id="matrix"')[1].split("</table>")[0]
    assert "Kết quả các kỳ" in matrix and "Đạt / không đạt" not in html
    assert 'data-label="Chuyên mục Chuyển đổi số, 2 lần mỗi tuần"' in matrix
    assert "thanh-ky-cds/tk-cds-tuan" not in re.sub(r'href="[^"]*"', "", matrix)  # in links only
    assert 'id="matrix-legend"' in html and 'value="09/11/2026"' in html  # the dates as the pages write them
    office.set_cookie("lang", "en")
    english = office.get("/office/compliance", query_string=QUERY).get_data(as_text=True)
    assert "1 periods met, 1 short" in english and "Periods’ results" in english and "kỳ đạt" not in english


def test_freezing_asks_first_and_says_what_freezing_does(office, db):
    asked = office.get("/office/compliance/freeze", query_string=FREEZE)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and db.scalar(select(FrozenReport)) is None  # nothing frozen by asking
    assert "<h1>Chốt báo cáo đã nộp?</h1>" in html and "không thay đổi theo nhật ký phát về sau" in html
    assert 'name="plan" value="thanh-ky-cds"' in html and "Quay lại, chưa chốt" in html
    dashboard = office.get("/office/compliance", query_string=QUERY).get_data(as_text=True)
    assert "/office/compliance/freeze?plan=thanh-ky-cds" in dashboard  # the dashboard links to the question
    office.set_cookie("lang", "en")
    english = office.get("/office/compliance/freeze", query_string=FREEZE).get_data(as_text=True)
    assert "Freeze the report as submitted?" in english and "does not change with later play logs" in english
    frozen = post_form(office, "/office/compliance/freeze", FREEZE, page="/office/compliance/freeze?plan=thanh-ky-cds&area=TH-NT")
    assert frozen.status_code == 302 and db.scalar(select(FrozenReport)) is not None


def test_the_frozen_report_says_plan_once_in_its_title(office, db):
    post_form(office, "/office/compliance/freeze", FREEZE, page="/office/compliance")
    title = db.scalar(select(FrozenReport)).document["title"]
    assert title.startswith("BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH TUYÊN TRUYỀN") and "KẾ HOẠCH KẾ HOẠCH" not in title


def test_the_drill_down_explains_the_part_period_and_names_who_placed_entries(office, db):
    page = office.get("/office/compliance/cell", query_string=CELL).get_data(as_text=True)
    entries = page.split('id="entries"')[1]
    assert "Tự động xếp" in entries and ">planner<" not in entries and "(sang)" not in entries
    assert "thanh-ky-cds/tk-cds-tuan" not in re.sub(r'(href|value)="[^"]*"', "", page)
    assert "<abbr" not in page and 'id="partial-legend"' not in page  # whole weeks: nothing to explain
    db.execute(update(Requirement).values(date_from=date(2026, 11, 11)))  # the plan now starts on a Wednesday
    db.commit()
    page = office.get("/office/compliance/cell", query_string=CELL).get_data(as_text=True)
    assert '<abbr class="partial" title="Kỳ không trọn">*</abbr>' in page
    assert "* Kỳ không trọn: kế hoạch bắt đầu hoặc kết thúc giữa kỳ" in page.split('id="partial-legend"')[1]


def test_a_make_good_refused_says_why_in_the_readers_language(office, thanh_ky):
    thanh_ky.set_now(at(date(2026, 11, 10), 6))  # week 46 still open and on track: nothing to make good
    data = {"station": "thanhky", "requirement": "thanh-ky-cds/tk-cds-tuan", "day": "2026-11-09",
            "back": "/office/compliance"}
    response = post_form(office, "/office/compliance/makegood", data, page="/office/compliance")
    page = office.get(response.location).get_data(as_text=True)
    assert "không thiếu, nên không cần phát bù" in page and "make-goods are for" not in page
    office.set_cookie("lang", "en")
    response = post_form(office, "/office/compliance/makegood", data, page="/office/compliance")
    assert "is not short, so no make-good is needed" in office.get(response.location).get_data(as_text=True)
