"""Documents as offices send them: Word and PDF files made from the seeds, and the ones refused."""
from __future__ import annotations

import io
import pathlib
import zipfile

import docx
import pypdf
import pytest
from fpdf import FPDF

from schedules.drafting import DraftError, Position, draft_plan, read_document

SEEDS = pathlib.Path(__file__).parent / "seeds"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def seed_text(name: str) -> str:
    return next(SEEDS.glob(f"{name}*.txt")).read_text(encoding="utf-8")


def make_docx(paragraphs: list[str]) -> bytes:
    """A Word file as an office types it: one Word paragraph per paragraph (a "\n" in one is a
    line break inside it, Shift+Enter)."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for line in text.splitlines():
        pdf.multi_cell(0, 6, line.strip() or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def records(sentences) -> list[tuple[str, str, dict]]:
    return [(r.section, r.key, dict(r.fields)) for r in draft_plan(sentences).records]


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_word_and_pdf_read_as_the_text_does(seed: str) -> None:
    text = seed_text(seed)
    from_text = read_document(text.encode(), f"{seed}.txt")
    expected = records(from_text)
    assert any(section == "requirements" for section, _key, _fields in expected)
    # The Word file holds the paragraphs a person sees in the seed, each typed as one paragraph.
    from_word = read_document(make_docx([sentence.text for sentence in from_text]), f"{seed}.docx")
    assert [s.text for s in from_word] == [s.text for s in from_text]
    assert records(from_word) == expected
    from_pdf = read_document(make_pdf(text), f"{seed}.pdf")
    assert from_pdf[0].where.startswith("trang 1, đoạn 1")
    assert records(from_pdf) == expected


def test_a_paragraphs_place_is_its_number_and_in_a_pdf_its_page_for_the_pages_to_word() -> None:
    text = seed_text("002")
    from_text, from_pdf = read_document(text.encode(), "002.txt"), read_document(make_pdf(text), "002.pdf")
    assert [s.position for s in from_text[:2]] == [Position(1), Position(2)]
    assert from_pdf[0].position == Position(1, page=1)
    assert all(s.position.where == s.where for s in from_text + from_pdf)
    assert Position.of("phụ lục") is None  # a place that names no paragraph


TITLE = "Truyền thông về chuyển đổi số năm 2025"
TASK = "Đài truyền thanh xã phát 2 tin/tuần vào Thứ 3 và Thứ 5 hằng tuần, thời lượng 03 phút"
HEAD = "ỦY BAN NHÂN DÂN XÃ THANH KỲ"


# A plan typed without a full stop after its title, the next line an ordinary sentence: the
# title stays alone, whatever the file, and the sentence is a task of its own.
@pytest.mark.parametrize(("data", "filename"), [
    (f"{HEAD}\nKẾ HOẠCH\n{TITLE}\n{TASK}.\n".encode(), "typed.txt"),
    (f"{HEAD}\n\nKẾ HOẠCH\n\n{TITLE}\n\n{TASK}.\n".encode(), "typed-spaced.txt"),
    # a title wrapped by hand goes on in lowercase, and still ends before the sentence
    (f"{HEAD}\nKẾ HOẠCH\n{TITLE[:-8]}\n{TITLE[-8:]}\n{TASK}.\n".encode(), "wrapped-title.txt"),
    (f"{HEAD}\nKẾ HOẠCH\nVề việc {TITLE[0].lower() + TITLE[1:]}\n{TASK}.\n".encode(), "ve-viec.txt"),
    (make_docx([HEAD, "KẾ HOẠCH", TITLE, TASK + "."]), "plan.docx"),
    (make_docx([HEAD, f"KẾ HOẠCH\n{TITLE}", TASK]), "line-break.docx"),
    (make_docx([HEAD, "KẾ HOẠCH", TITLE, TASK]), "no-full-stops.docx"),
    (make_pdf(f"{HEAD}\nKẾ HOẠCH\n{TITLE}\n{TASK}.\n"), "plan.pdf"),
])
def test_a_title_without_a_full_stop_stays_alone_before_an_ordinary_sentence(data: bytes, filename: str) -> None:
    sentences = read_document(data, filename)
    draft = draft_plan(sentences)
    title = draft.record("plan").fields["title"]
    assert title.startswith("Kế hoạch") and "đài truyền thanh" not in title.lower()
    assert title.endswith("chuyển đổi số năm 2025")
    assert any(s.text.rstrip(".") == TASK for s in sentences)
    requirement = next(r for r in draft.records if r.section == "requirements")
    assert requirement.source.text.rstrip(".") == TASK
    assert requirement.fields["days"] and requirement.fields["period"] == "week"


@pytest.mark.parametrize(("text", "paragraphs"), [
    # a typed text wrapped by hand: lines still joined, a blank line ends the paragraph
    ("KẾ HOẠCH\nTruyền thông về chuyển đổi số\ntrên địa bàn xã năm 2025\n\nĐài truyền thanh xã phát\n"
     "Chuyên mục Chuyển đổi số 2 tin/tuần\n\nBáo cáo kết quả trước ngày 15/12/2025\n\nỦy ban nhân dân xã.\n",
     ["KẾ HOẠCH", "Truyền thông về chuyển đổi số trên địa bàn xã năm 2025",
      "Đài truyền thanh xã phát Chuyên mục Chuyển đổi số 2 tin/tuần", "Báo cáo kết quả trước ngày 15/12/2025",
      "Ủy ban nhân dân xã."]),
    # copied out of a PDF, blank lines between its lines: they are gaps, not paragraph ends
    ("KẾ HOẠCH\n\nTruyền thông về chuyển đổi số\n\ntrên địa bàn xã năm 2025\n\nThực hiện Kế hoạch của Ủy ban nhân\n\n"
     "dân huyện, Ủy ban nhân dân xã ban hành Kế hoạch về\n\nChuyển đổi số như sau:\n",
     ["KẾ HOẠCH", "Truyền thông về chuyển đổi số trên địa bàn xã năm 2025",
      "Thực hiện Kế hoạch của Ủy ban nhân dân huyện, Ủy ban nhân dân xã ban hành Kế hoạch về Chuyển đổi số như sau:"]),
])
def test_wrapped_lines_of_a_text_are_joined_and_its_paragraphs_kept(text: str, paragraphs: list[str]) -> None:
    assert [s.text for s in read_document(text.encode(), "plan.txt")] == paragraphs


def test_a_word_paragraph_is_never_joined_to_the_next() -> None:
    paragraphs = ["Ủy ban nhân dân xã giao Đài truyền thanh xã", "Chuyên mục Chuyển đổi số phát 2 tin/tuần"]
    assert [s.text for s in read_document(make_docx(paragraphs), "plan.docx")] == paragraphs


def test_a_words_tables_are_read_where_they_stand_each_merged_cell_once() -> None:
    document = docx.Document()
    document.add_paragraph("I. Nội dung tuyên truyền")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Lịch phát sóng"  # a header across the table
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Chuyển đổi số"  # down two rows
    for row, (days, length) in enumerate([("Thứ Ba, Thứ Năm", "3 phút"), ("Thứ Bảy", "5 phút")], start=1):
        table.cell(row, 1).text, table.cell(row, 2).text = days, length
    document.add_paragraph("II. Tổ chức thực hiện")
    out = io.BytesIO()
    document.save(out)
    assert [s.text for s in read_document(out.getvalue(), "plan.docx")] == [
        "I. Nội dung tuyên truyền", "Lịch phát sóng", "Chuyển đổi số", "Thứ Ba, Thứ Năm", "3 phút", "Thứ Bảy",
        "5 phút", "II. Tổ chức thực hiện"]


def test_spaced_letters_are_words_again() -> None:
    sentences = read_document(seed_text("001").encode(), "001.txt")
    assert any("Báo cáo kết quả triển khai Kế hoạch" in s.text and "trước ngày 13/10/2022" in s.text
               for s in sentences)


def _encrypted() -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf(seed_text("002")))))
    writer.encrypt("mat-khau")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _broken_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/nothing.xml", "<x/>")
    return out.getvalue()


def _zip_bomb() -> bytes:
    """A .docx-looking zip of 1 MB of zeros per part, 101 parts: a few kB that expand past 100 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(101):
            archive.writestr(f"word/part{number}.xml", bytes(1024 * 1024))
    return out.getvalue()


def _many_parts() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(1001):
            archive.writestr(f"p{number}", b"")
    return out.getvalue()


def _pages(count: int) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(count):
        writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(("data", "filename", "code"), [
    (_zip_bomb(), "bomb.docx", "docx_too_big_inside"),
    (_many_parts(), "parts.docx", "docx_too_big_inside"),
    (_pages(201), "long.pdf", "too_many_pages"),
    (b"x" * (10 * 1024 * 1024 + 1), "big.txt", "too_large"),
    (b"", "plan.txt", "empty"),
    (b"  \n\n ", "plan.docx", "empty"),
    (b"PK\x03\x04 not really a zip", "plan.docx", "broken_docx"),
    (_broken_docx(), "plan.docx", "broken_docx"),
    (b"%PDF-1.4 garbage", "plan.pdf", "broken_pdf"),
    (_encrypted(), "plan.pdf", "encrypted_pdf"),
    ("Kế hoạch".encode("utf-16"), "plan.txt", "not_text"),
    (b"data", "plan.odt", "unknown_format"),
])
def test_unreadable_documents_are_refused_clearly(data: bytes, filename: str, code: str) -> None:
    with pytest.raises(DraftError) as refused:
        read_document(data, filename)
    assert refused.value.code == code
    assert refused.value.message_id % dict(refused.value.values) and str(refused.value)


def test_a_random_vietnamese_text_gives_no_draft() -> None:
    text = "Sáng nay, bà con thôn 3 ra đồng gặt lúa.\nGiá lúa năm nay khá cao, ai cũng vui.\n"
    with pytest.raises(DraftError) as refused:
        draft_plan(read_document(text.encode(), "tin.txt"))
    assert refused.value.code == "not_a_plan"
