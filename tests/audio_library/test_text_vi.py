"""normalise_vi(): what gTTS and espeak-ng are given to read, as a table of literal readings.

The table (text_vi_readings.tsv) holds the issues' examples, typical commune announcements
and every line of the five seed plans with a number, date, symbol or unit; each expected
text is how a (northern) commune radio announcer would read the line.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from audio_library.text_vi import Glossary, normalise_vi

TABLE = Path(__file__).with_name("text_vi_readings.tsv")


def _unescaped(cell: str) -> str:
    return re.sub(r"\\(.)", lambda match: {"n": "\n", "t": "\t"}.get(match[1], match[1]), cell)


def _rows(path: Path) -> list[tuple[str, str]]:
    """The table's rows: headings (#) and the header line left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    assert rows[0] == ["text", "spoken"] and all(len(row) == 2 for row in rows)
    return [(_unescaped(text), _unescaped(spoken)) for text, spoken in rows[1:]]


CASES = _rows(TABLE)


def test_the_table_holds_at_least_three_hundred_sentences() -> None:
    assert len(CASES) >= 300
    assert len({text for text, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("text", "spoken"), CASES, ids=[text[:40] for text, _ in CASES])
def test_reads_like_an_announcer(text: str, spoken: str) -> None:
    assert normalise_vi(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), CASES[:12] + CASES[-6:])
def test_decomposed_input_reads_the_same_and_comes_out_composed(text: str, spoken: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)

    result = normalise_vi(decomposed)

    assert result == spoken
    assert unicodedata.is_normalized("NFC", result)


def test_a_province_glossary_adds_its_own_abbreviations() -> None:
    glossary = Glossary.default().extended({"TTVH": "trung tâm văn hóa", "UBND": "ủy ban"})

    assert normalise_vi("TTVH và UBND huyện", glossary) == "trung tâm văn hóa và ủy ban huyện"


def test_an_empty_glossary_leaves_abbreviations_as_written() -> None:
    assert normalise_vi("UBND xã ngày 10/10", Glossary({})) == "UBND xã ngày mùng mười tháng mười"


def test_a_province_glossary_teaches_the_codes_of_document_symbols() -> None:
    """An area's entry wins over the built-in codes and over spelling; a run of codes may be one
    entry; the first code stays the document's type ("CT" is "chỉ thị" there, not "chủ tịch")."""
    glossary = Glossary.default().extended({"TTBCXB": "thông tin báo chí xuất bản", "UBND-VX": "ủy ban khối văn xã"})
    text = "Công văn số 45/STTTT-TTBCXB; số 12/UBND-VX; Chỉ thị số 15/CT-TTg"

    assert normalise_vi(text) == (
        "Công văn số bốn mươi lăm sở thông tin và truyền thông tê tê bê xê ích bê; "
        "số mười hai ủy ban nhân dân văn xã; Chỉ thị số mười lăm chỉ thị thủ tướng")
    assert normalise_vi(text, glossary) == (
        "Công văn số bốn mươi lăm sở thông tin và truyền thông thông tin báo chí xuất bản; "
        "số mười hai ủy ban khối văn xã; Chỉ thị số mười lăm chỉ thị thủ tướng")
