"""Office pages, the compliance dashboard: the matrix, drill-down, downloads, freezing, make-goods,
scope. Seed 002 (Thanh Kỳ) imported, scheduled, and its airings posted through the device API."""
from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from radio.models import Area, FrozenReport, ScheduleEntry
from tests.factories import create_area, create_user
from tests.radio.compliance_kit import at, seed
from tests.radio.office_kit import client_as, post_form

WEEK_46, WEEK_47 = date(2026, 11, 9), date(2026, 11, 16)
QUERY = {"area": "TH-NT", "date_from": "2026-11-09", "date_to": "2026-11-22"}


@pytest.fixture
def thanh_ky(app, client, runner, db, monkeypatch):
    """Week 46 aired in full; in week 47 the Thursday was missed. "Now" is Wednesday of week 48."""
    monkeypatch.setitem(app.config, "CLOCK", None)
    seeded = seed(app, client, runner, db, "002-thanh-ky.yaml", date(2026, 12, 13))
    seeded.set_now(at(date(2026, 11, 25)))
    entries = seeded.entries("thanhky", "tk-cds", WEEK_46, WEEK_47 + timedelta(days=6))
    seeded.post_logs("loa-tk-01", entries[:3])
    return seeded


@pytest.fixture
def office(app, db, thanh_ky):
    return client_as(app, create_user(db, "vanhoa-nt", "oversight", db.scalar(select(Area).where(Area.code == "TH-NT"))))


def test_the_matrix_shows_status_colours_and_totals(office):
    html = office.get("/office/compliance", query_string=QUERY).get_data(as_text=True)
    matrix = html.split('id="matrix"')[1].split("</table>")[0]
    assert matrix.count('class="cell status-short"') == 1  # the worst of its two weeks
    assert 'data-status="short">Không đạt</a>' in matrix and "3/4 lần" in matrix
    assert ">1 kỳ đạt, 1 kỳ không đạt</td>" in matrix.split("<tfoot>")[1]  # one week met, one short
    assert '<rect x=' in html and 'class="bar bar--short"' in html  # the chart: week 47 under target
    assert "05/02/2027" in html.split('id="deadlines"')[1]  # the plan's report is due next


CELL = {**QUERY, "station": "thanhky", "requirement": "thanh-ky-cds/tk-cds-tuan"}


def _reasons(page: str) -> list[str]:
    """The "Lý do" cell of each period row (the last cell, before any make-good proposal)."""
    periods = page.split('id="periods"')[1].split("</table>")[0].split("<tbody>")[1]
    return [row.split("</td>")[-2].split("<td")[-1].split(">", 1)[1].split("<p>")[0].strip()
            for row in periods.split("</tr>")[:-1]]


def test_drill_down_shows_the_periods_reasons_entries_and_play_logs(office):
    html = office.get("/office/compliance/cell", query_string=CELL)
    page = html.get_data(as_text=True)
    assert html.status_code == 200, page[:500]
    # Vietnamese by default: the same notes as the report to hand in, the missed Thursday named.
    assert _reasons(page) == ["—", "đã phát 1/2 lần; thiếu ngày 19/11/2026"]
    entries = page.split('id="entries"')[1]
    assert entries.count("loa-tk-01: đã phát") == 3 and "chưa có" in entries
    assert "(Buổi sáng)" in entries and "(sang)" not in entries  # windows by the words for them, not codes
    assert "Tự động xếp" in entries and "planner" not in entries  # who placed it, in words


def test_drill_down_reasons_follow_the_chosen_language(office):
    office.set_cookie("lang", "en")
    page = office.get("/office/compliance/cell", query_string=CELL).get_data(as_text=True)
    assert _reasons(page) == ["—", "1 of 2 airings aired; no airing on 19/11/2026"]
    assert "thiếu ngày" not in page and "Short" in page and "(Morning)" in page


def test_the_report_downloads_as_xlsx_and_pdf(office):
    xlsx = office.get("/office/compliance/report.xlsx", query_string=QUERY)
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["Content-Disposition"]
    cells = [c.value for sheet in openpyxl.load_workbook(io.BytesIO(xlsx.data)) for row in sheet.iter_rows()
             for c in row if c.value]
    assert any("BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH" in str(v) for v in cells)
    pdf = office.get("/office/compliance/report.pdf", query_string=QUERY)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert pdf.mimetype == "application/pdf" and "19/11/2026" in text
    csv_file = office.get("/office/compliance/report.csv", query_string=QUERY)
    assert csv_file.status_code == 200 and csv_file.headers["Content-Type"] == "text/csv; charset=utf-8"
    plan_report = office.get("/office/compliance/report.xlsx", query_string={"area": "TH-NT", "plan": "thanh-ky-cds"})
    assert plan_report.status_code == 200 and "bao-cao-thanh-ky-cds-TH-NT-" in plan_report.headers["Content-Disposition"]
    cells = [c.value for sheet in openpyxl.load_workbook(io.BytesIO(plan_report.data)) for row in sheet.iter_rows()
             for c in row if c.value]
    # the plan's title, "Kế hoạch" said once
    assert any("THỰC HIỆN KẾ HOẠCH TUYÊN TRUYỀN" in str(v) and "CHUYỂN ĐỔI SỐ TRÊN ĐỊA BÀN XÃ THANH KỲ NĂM 2023" in str(v)
               for v in cells)
    assert not any("KẾ HOẠCH KẾ HOẠCH" in str(v).upper() for v in cells)


def test_freezing_stores_the_report_as_submitted(office, db):
    response = post_form(office, "/office/compliance/freeze", {"plan": "thanh-ky-cds", "area": "TH-NT"},
                         page="/office/compliance")
    assert response.status_code == 302
    frozen = db.scalar(select(FrozenReport))
    assert frozen.area.code == "TH-NT" and frozen.plan.code == "thanh-ky-cds"
    page = office.get(response.location).get_data(as_text=True)
    assert "Đã chốt báo cáo “Kế hoạch tuyên truyền" in page and "cho huyện Như Thanh (bản đã nộp)" in page
    link = f"/office/compliance/frozen/{frozen.uuid}.pdf"
    assert link in page and office.get(link).mimetype == "application/pdf"


def test_a_short_period_still_open_gets_make_goods(office, db, thanh_ky):
    thanh_ky.set_now(at(date(2026, 11, 18), 6))  # Wednesday of week 47, the Tuesday missed
    query = CELL
    entries = thanh_ky.entries("thanhky", "tk-cds", WEEK_47, WEEK_47 + timedelta(days=6))
    db.execute(ScheduleEntry.__table__.update().where(ScheduleEntry.id == entries[1].id).values(status="cancelled"))
    db.commit()
    page = office.get("/office/compliance/cell", query_string=query).get_data(as_text=True)
    assert _reasons(page)[1] == "đã phát 1/2 lần; lịch còn thiếu 1 lần phát"
    assert "Đề xuất phát bù:" in page
    response = post_form(office, "/office/compliance/makegood",
                         {"station": "thanhky", "requirement": "thanh-ky-cds/tk-cds-tuan",
                          "day": WEEK_47.isoformat(), "back": "/office/compliance"},
                         page="/office/compliance/cell?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert response.status_code == 302
    made = db.scalars(select(ScheduleEntry).where(ScheduleEntry.origin == "make-good")).all()
    assert len(made) == 1 and made[0].local_date > date(2026, 11, 18)


def test_another_districts_office_sees_nothing_of_this_one(app, db, office):
    other = create_area(db, "TH-TX", "district", db.scalar(select(Area).where(Area.code == "TH")))
    stranger = client_as(app, create_user(db, "vanhoa-tx", "oversight", other))
    assert stranger.get("/office/compliance", query_string=QUERY).status_code == 403
    own = stranger.get("/office/compliance").get_data(as_text=True)
    assert "thanhky" not in own and "Thanh Kỳ" not in own
    for url in ("/office/compliance/report.xlsx", "/office/compliance/report.pdf", "/office/compliance/cell"):
        assert stranger.get(url, query_string={**QUERY, "station": "thanhky",
                                               "requirement": "thanh-ky-cds/tk-cds-tuan"}).status_code == 403
    refused = post_form(stranger, "/office/compliance/freeze", {"plan": "thanh-ky-cds", "area": "TH-NT"},
                        page="/office/compliance")
    assert refused.status_code == 403 and db.scalar(select(FrozenReport)) is None


def test_operators_have_no_dashboard(app, db, thanh_ky):
    operator = client_as(app, create_user(db, "dai-tk", "operator", db.scalar(select(Area).where(Area.code == "TH-NT-TK"))))
    assert operator.get("/office/compliance").status_code == 403
