"""Office pages, plan drafts: an official plan document uploaded, reviewed (answers, edits,
dropped records), imported through the plan file's checks, then scheduled; scope, CSRF, refusals."""
from __future__ import annotations

import io
import re
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from radio.models import Area, AuditLog, Plan, PlanDraft, Requirement
from radio.plans.operations import import_plan
from tests.factories import MADE, create_area, create_user
from tests.radio.office_kit import client_as, csrf_from, post_form
from tests.radio.plan_text import write_plan

SEEDS = Path(__file__).resolve().parents[2] / "schedules" / "drafting" / "seeds"
THANH_KY = (SEEDS / "002-thanh-ky.txt").read_bytes()


@pytest.fixture
def world(db, tmp_path):
    """The plan-file tests' world: xã Thanh Kỳ (huyện Như Thanh) and its station."""
    import_plan(db, write_plan(tmp_path), None, now=MADE)
    db.flush()


@pytest.fixture
def office(app, db, world):
    return client_as(app, create_user(db, "vanhoa-nt", "oversight", db.scalar(select(Area).where(Area.code == "TH-NT"))))


@pytest.fixture
def other_office(app, db, world):
    other = create_area(db, "TH-TX", "district", db.scalar(select(Area).where(Area.code == "TH")), name="huyện Thọ Xuân")
    return client_as(app, create_user(db, "vanhoa-tx", "oversight", other))


def upload(client, data: bytes, name: str, issued_by: str = "TH-NT"):
    token = csrf_from(client, "/office/plans")
    return client.post("/office/plans/drafts", content_type="multipart/form-data", data={
        "csrf_token": token, "document": (io.BytesIO(data), name), "issued_by": issued_by})


def drafted(client, db) -> tuple[str, PlanDraft]:
    response = upload(client, THANH_KY, "002-thanh-ky.txt")
    assert response.status_code == 302
    url = response.location
    return url, db.get(PlanDraft, int(url.rsplit("/", 1)[1]))


def test_a_document_keeps_its_own_name_without_folders_or_hidden_characters(office, db):
    name = "Kế hoạch tuyên truyền 2027.txt"
    sent = "C:\\\\Văn bản\\\\" + unicodedata.normalize("NFD", name).replace(" 2027", "\u202e 2027\x07")
    url = upload(office, THANH_KY, sent).location  # (a backslash quoted in the header is two)
    row = db.get(PlanDraft, int(url.rsplit("/", 1)[1]))
    assert row.filename == name
    assert db.scalar(select(AuditLog).where(AuditLog.action == "plan_draft.create")).after == {"file": name}
    assert name in office.get("/office/plans").get_data(as_text=True)


def kept(db, draft_id: int) -> bool:
    return db.scalar(select(func.count()).select_from(PlanDraft).where(PlanDraft.id == draft_id)) == 1


def test_a_seed_document_is_drafted_answered_imported_and_scheduled(office, app, db, monkeypatch):
    url, row = drafted(office, db)
    assert row.area.code == "TH-NT-TK"  # the document's own area, matched by name
    page = office.get(url).get_data(as_text=True)
    assert 'id="open-questions" data-count="1"' in page and "Còn 1 câu hỏi chưa trả lời" in page
    assert "1 tin/tuần và phát sóng vào Thứ 3 và Thứ 5 hằng tuần" in page  # the sentence, beside its records
    assert 'name="q-levels" value="commune"' in page and "độ tin cậy 70%" in page
    assert office.get("/office/plans").get_data(as_text=True).count("002-thanh-ky.txt") == 1  # listed

    refused = post_form(office, url + "/import", {}, page=url)
    assert refused.status_code == 422  # the open question is a placeholder the plan checks refuse
    html = refused.get_data(as_text=True)
    assert re.search(r'<tr class="problem"><td>\d+</td><td><a href="#record-thanh-ky-2023-1">Yêu cầu tần suất', html)
    assert db.scalar(select(Plan).where(Plan.code == "thanh-ky-2023")) is None

    answered = post_form(office, url + "/records/thanh-ky-2023-1", {"q-levels": "commune"}, page=url)
    assert answered.status_code == 302
    assert 'data-count="0"' in office.get(url).get_data(as_text=True)
    imported = post_form(office, url + "/import", {}, page=url)
    assert imported.status_code == 302 and imported.location.endswith("/office/plans/thanh-ky-2023")
    requirement = db.scalar(select(Requirement).where(Requirement.code == "thanh-ky-2023-1"))
    assert (requirement.period, requirement.min_airings, list(requirement.days), list(requirement.levels)) == \
        ("week", 2, ["TU", "TH"], ["commune"])
    assert not kept(db, row.id)
    assert db.scalar(select(AuditLog).where(AuditLog.action == "plan_draft.import")).actor == "vanhoa-nt"
    assert db.scalar(select(AuditLog).where(AuditLog.action == "plan.create",
                                            AuditLog.object_key == "thanh-ky-2023")) is not None

    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2022, 12, 20, tzinfo=timezone.utc))
    built = post_form(office, "/office/plans/thanh-ky-2023/rebuild", {"start": "02/01/2023", "end": "15/01/2023"},
                      page="/office/plans/thanh-ky-2023")
    status = office.get(built.location + ".json").get_json()
    assert status["state"] == "finished"
    assert status["counts"]["created"] >= 4  # Tuesday and Thursday of two weeks, at least


def test_edits_and_dropped_records_go_into_the_plan(office, db):
    url, row = drafted(office, db)
    post_form(office, url + "/records/plan", {"f-code": "tk-2023", "f-title": "Kế hoạch đã sửa",
                                                "f-issued_by": "TH-NT-TK"}, page=url)
    post_form(office, url + "/records/thanh-ky-2023-1", {"q-levels": "commune", "f-days": "[TU]",
                                                         "f-airings": "{min: 1, max: 1}", "f-from": "02/01/2023"},
              page=url)
    assert post_form(office, url + "/import", {}, page=url).status_code == 302
    plan = db.scalar(select(Plan).where(Plan.code == "tk-2023"))
    requirement = db.scalar(select(Requirement).where(Requirement.code == "thanh-ky-2023-1"))
    assert plan.title == "Kế hoạch đã sửa"
    assert (list(requirement.days), requirement.min_airings, requirement.date_from.isoformat()) == \
        (["TU"], 1, "2023-01-02")


def test_what_is_typed_is_kept_as_typed_for_the_plan_checks_to_refuse(office, db):
    url, row = drafted(office, db)
    post_form(office, url + "/records/thanh-ky-2023-1", {"q-levels": "commune", "f-days": "[2023-01-01, {",
                                                         "f-airings": "{min: 2023-01-01}", "f-from": "31/02/2023"},
              page=url)
    response = post_form(office, url + "/import", {}, page=url)
    assert response.status_code == 422
    fields = re.findall(r"<code>(requirements\[0\]\.\w+)[^<]*</code>", response.get_data(as_text=True))
    assert {"requirements[0].days", "requirements[0].airings", "requirements[0].from"} <= set(fields)
    assert kept(db, row.id)


def test_a_word_document_is_drafted_too(office, db):
    import docx

    document = docx.Document()
    for line in THANH_KY.decode().splitlines():
        document.add_paragraph(line)
    data = io.BytesIO()
    document.save(data)
    response = upload(office, data.getvalue(), "ke-hoach.docx")
    assert response.status_code == 302
    assert "Thứ 3 và Thứ 5 hằng tuần" in office.get(response.location).get_data(as_text=True)


def test_a_refusal_is_said_in_english_when_chosen(office, db):
    office.set_cookie("lang", "en")
    response = upload(office, b"", "empty.txt")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "The file is empty: there is no text to read" in html and "Tệp trống" not in html


def test_a_dropped_requirement_is_not_imported_and_can_be_taken_back(office, db):
    url, row = drafted(office, db)
    post_form(office, url + "/records/thanh-ky-2023-1", {"action": "drop"}, page=url)
    page = office.get(url).get_data(as_text=True)
    assert "Đã bỏ mục này" in page and 'data-count="0"' in page
    post_form(office, url + "/records/thanh-ky-2023-1", {"action": "keep"}, page=url)
    assert 'data-count="1"' in office.get(url).get_data(as_text=True)
    post_form(office, url + "/records/thanh-ky-2023-1", {"action": "drop"}, page=url)
    assert post_form(office, url + "/import", {}, page=url).status_code == 302
    assert db.scalar(select(Plan).where(Plan.code == "thanh-ky-2023")) is not None
    assert db.scalar(select(Requirement).where(Requirement.code == "thanh-ky-2023-1")) is None


def test_a_discarded_draft_is_gone_and_audited(office, db):
    url, row = drafted(office, db)
    response = post_form(office, url + "/discard", {}, page=url)
    assert response.status_code == 302 and response.location.endswith("/office/plans")
    assert not kept(db, row.id)
    assert office.get(url).status_code == 404
    assert db.scalar(select(AuditLog).where(AuditLog.action == "plan_draft.discard")).actor == "vanhoa-nt"


def test_another_district_gets_403_and_an_unknown_draft_404(office, other_office, db):
    url, _row = drafted(office, db)
    assert other_office.get(url).status_code == 403
    for action in ("/import", "/discard", "/records/plan"):
        assert post_form(other_office, url + action, {}, page="/office/plans").status_code == 403
    assert "002-thanh-ky.txt" not in other_office.get("/office/plans").get_data(as_text=True)
    assert office.get("/office/plans/drafts/999999").status_code == 404
    assert post_form(office, url + "/records/no-such-record", {}, page=url).status_code == 404


def test_the_issuing_area_must_be_ones_own(office, other_office, db):
    assert upload(office, THANH_KY, "002-thanh-ky.txt", issued_by="TH-TX").status_code == 403
    url, _row = drafted(office, db)
    assert post_form(office, url + "/records/plan", {"f-issued_by": "TH-TX"}, page=url).status_code == 403


def test_a_document_naming_no_area_of_ones_own_takes_the_chosen_one(office, db):
    text = THANH_KY.decode().replace("Thanh Kỳ", "Hải Vân").encode()
    response = upload(office, text, "hai-van.txt", issued_by="TH-NT")
    row = db.get(PlanDraft, int(response.location.rsplit("/", 1)[1]))
    assert row.area.code == "TH-NT" and ["plan", "issued_by", "TH-NT"] in row.answers


def test_forms_without_csrf_are_refused(office, db):
    url, row = drafted(office, db)
    assert office.post("/office/plans/drafts", data={"document": (io.BytesIO(THANH_KY), "a.txt"),
                                                     "issued_by": "TH-NT"},
                       content_type="multipart/form-data").status_code == 400
    for action in ("/import", "/discard", "/records/plan"):
        assert office.post(url + action, data={}).status_code == 400
    assert kept(db, row.id)


@pytest.mark.parametrize(("data", "name", "said"), [
    (b"", "empty.txt", "Tệp trống, không có chữ nào để đọc"),
    ("Hôm nay trời đẹp, cả nhà đi chơi công viên.".encode(), "chuyen.txt",
     "Văn bản này không phải một kế hoạch truyền thông"),
    (b"PK\x03\x04 not a zip", "hong.docx", "Tệp Word “hong.docx” bị hỏng hoặc không phải tệp .docx"),
    (b"%PDF-1.4 nothing", "hong.pdf", "Tệp PDF “hong.pdf” bị hỏng hoặc không phải tệp PDF"),
])
def test_a_refused_document_says_why_and_keeps_no_draft(office, db, data, name, said):
    response = upload(office, data, name)
    assert response.status_code == 422
    assert said in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(PlanDraft)) == 0


def test_a_password_protected_pdf_is_refused(office, db, tmp_path):
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="KE HOACH")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    writer.encrypt("mat-khau")
    locked = io.BytesIO()
    writer.write(locked)
    response = upload(office, locked.getvalue(), "khoa.pdf")
    assert response.status_code == 422
    assert "Tệp PDF “khoa.pdf” có mật khẩu" in response.get_data(as_text=True)


def test_only_docx_pdf_and_txt_are_taken(office, db):
    response = upload(office, b"plan: {}", "plan.yaml")
    assert response.status_code == 400
    assert "Văn bản kế hoạch có đuôi .docx, .pdf hoặc .txt." in response.get_data(as_text=True)


def test_the_review_page_speaks_english_when_chosen(office, db):
    url, _row = drafted(office, db)
    office.set_cookie("lang", "en")
    page = office.get(url).get_data(as_text=True)
    assert "Còn 1 câu hỏi" not in page and 'data-count="1"' in page


@pytest.mark.parametrize(("language", "plan", "read_from", "place"), [
    ("vi", "Bản kế hoạch", "Đọc từ ", r"đoạn \d+"),
    ("en", "Plan", "Read from ", r"paragraph \d+"),
])
def test_the_plan_record_and_the_documents_places_are_named_in_the_readers_language(office, db, language, plan,
                                                                                    read_from, place):
    url, _row = drafted(office, db)
    office.set_cookie("lang", language)
    page = office.get(url).get_data(as_text=True)
    assert '<p class="record__name">' + plan + ": " in page  # the one plan, not the menu's "Plans"
    assert "Plans:" not in page and '<p class="record__name">Kế hoạch:' not in page
    places = re.findall(r'<span class="draft__where">([^<]*)</span>', page)
    assert places and all(re.fullmatch(place, where) for where in places)
    read = re.findall(r'<p class="record__meta">' + read_from + r"([^<]*), ", page)
    assert read and all(re.fullmatch(place, where) for where in read)


def test_the_pages_of_a_pdf_are_named_in_the_readers_language(office, db):
    from tests.schedules.drafting.test_documents import make_pdf

    response = upload(office, make_pdf(THANH_KY.decode()), "002-thanh-ky.pdf")
    assert response.status_code == 302
    vietnamese = office.get(response.location).get_data(as_text=True)
    assert '<span class="draft__where">trang 1, đoạn 1</span>' in vietnamese
    assert re.search(r"Đọc từ trang 1, đoạn \d+, độ tin cậy", vietnamese)
    office.set_cookie("lang", "en")
    english = office.get(response.location).get_data(as_text=True)
    assert '<span class="draft__where">page 1, paragraph 1</span>' in english
    assert re.search(r"Read from page 1, paragraph \d+, confidence", english) and "trang 1" not in english
