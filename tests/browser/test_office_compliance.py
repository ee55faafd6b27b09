"""The culture office in a real browser: the dashboard, a short cell drilled into (its reasons in
the reader's language), the report downloaded as XLSX and PDF; and an office of another district
that cannot see it."""
from __future__ import annotations

import io

import openpyxl
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import PHONE, horizontal_overflow, shoot
from .office_world import world  # noqa: F401  (fixture)

DATES = "date_from=2026-11-02&date_to=2026-11-22"


def test_the_office_drills_into_a_short_cell_and_downloads_the_report(page, log_in, world):
    log_in(world.office)
    page.get_by_role("link", name="Tuân thủ").click()
    page.get_by_label("Từ ngày").fill("02/11/2026")
    page.get_by_label("Đến ngày").fill("22/11/2026")
    page.get_by_role("button", name="Xem").click()
    short = page.locator('#matrix a[data-status="short"]')
    expect(short).to_have_count(1)  # waits for the dashboard of those dates (count() does not wait)
    assert short.inner_text() == "Không đạt"
    assert "5/6 lần" in page.locator("#matrix").inner_text()
    shoot(page, "office-dashboard")

    short.click()
    periods = page.locator("#periods").inner_text()
    assert "16/11/2026 – 22/11/2026" in periods and "thiếu ngày 19/11/2026" in periods  # the missed Thursday
    cell = page.url
    assert page.locator("#entries").inner_text().count("loa-ngason-01: đã phát") == 5
    shoot(page, "office-cell")

    page.go_back()
    with page.expect_download() as xlsx_download:
        page.locator("#download-xlsx").click()
    xlsx = xlsx_download.value
    assert xlsx.suggested_filename == "bao-cao-TH-NS-20261102-20261122.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.path().read_bytes()))
    text = " ".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value)
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH" in text and "huyện Nga Sơn" in text
    with page.expect_download() as pdf_download:
        page.locator("#download-pdf").click()
    pdf = PdfReader(io.BytesIO(pdf_download.value.path().read_bytes()))
    assert "19/11/2026" in "".join(p.extract_text() for p in pdf.pages)

    page.goto(cell)  # the reasons follow the reader's language
    page.get_by_role("button", name="English").click()
    expect(page.locator("#periods")).to_contain_text("no airing on 19/11/2026")


def test_the_dashboard_fits_a_phone(page, log_in, world):
    page.set_viewport_size(PHONE)
    log_in(world.office)
    page.goto(f"/office/compliance?area=TH-NS&{DATES}")
    assert horizontal_overflow(page) == 0
    assert page.locator("svg.chart rect").count() == 3  # three weeks against their target


def test_an_office_of_another_district_cannot_see_this_one(page, log_in, world):
    log_in(world.other_office)
    page.goto("/office/compliance")
    assert "Hà Trung" in page.locator("h1").inner_text()
    assert page.locator("#area option[value='TH-NS']").count() == 0
    assert "ngason" not in page.content() and "Nga Sơn" not in page.content()
    for url in (f"/office/compliance?area=TH-NS&{DATES}", f"/office/compliance/report.pdf?area=TH-NS&{DATES}",
                f"/office/compliance/cell?area=TH-HT&station=ngason&requirement=ns-2026/cds-tuan&{DATES}",
                "/office/plans/ns-2026"):
        response = page.request.get(url)
        assert response.status == 403, url
