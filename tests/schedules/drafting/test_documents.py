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


def make_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
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
    expected = records(read_document(text.encode(), f"{seed}.txt"))
    assert any(section == "requirements" for section, _key, _fields in expected)
    assert records(read_document(make_docx(text), f"{seed}.docx")) == expected
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
