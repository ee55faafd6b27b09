"""reading_vi(): the spoken text with each rewritten stretch of the written text, and regions."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_library.text_vi import REGIONS, Expansion, Glossary, normalise_vi, reading_vi

SAMPLES = [
    "Họp lúc 5h30 ngày 02-03/10, UBND xã (TTHC).",
    "giải quyết thủ tục hành chính (TTHC)./.",
    "HĐND&UBND  huyện, năm 2005 có 1.105 hộ",
    "Quyết định số 922/QĐ-BTTTT ngày 20/5/2022",
    "",
]


def test_each_rewritten_stretch_is_given_with_its_offsets_in_the_written_text() -> None:
    text = "Họp lúc 5h30 ngày 02-03/10, UBND xã."

    reading = reading_vi(text)

    assert reading.text == text
    assert reading.expansions == (
        Expansion(8, 12, "5h30", "năm giờ ba mươi"),
        Expansion(18, 26, "02-03/10", "mùng hai đến ngày mùng ba tháng mười"),
        Expansion(28, 32, "UBND", "ủy ban nhân dân"),
    )


def test_a_stretch_rewritten_twice_is_shown_once_per_written_part() -> None:
    assert reading_vi("02-03 phút").expansions == (
        Expansion(0, 2, "02", "hai"), Expansion(2, 3, "-", "đến"), Expansion(3, 5, "03", "ba"),
    )


def test_a_dropped_repeat_is_shown_with_no_words_and_tidying_is_not_shown() -> None:
    reading = reading_vi("thủ tục hành chính (TTHC)./.")

    assert reading.spoken == "thủ tục hành chính."
    assert reading.expansions == (Expansion(19, 25, "(TTHC)", ""),)


def test_offsets_refer_to_decomposed_text_as_written() -> None:
    text = unicodedata.normalize("NFD", "Hội nghị ngày 10/10/2022 tại UBND")

    reading = reading_vi(text)

    assert [text[e.start:e.end] for e in reading.expansions] == ["10/10/2022", "UBND"]
    assert reading.spoken == normalise_vi(text)
    assert unicodedata.is_normalized("NFC", reading.spoken)


def test_a_province_glossary_entry_is_an_expansion() -> None:
    glossary = Glossary.default().extended({"TTVH": "trung tâm văn hóa"})

    assert reading_vi("TTVH huyện", glossary).expansions == (
        Expansion(0, 4, "TTVH", "trung tâm văn hóa"),
    )


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SAMPLES) | st.text(max_size=40), st.sampled_from(REGIONS))
def test_the_reading_says_what_normalise_says_and_its_stretches_are_the_written_text(
    text: str, region: str,
) -> None:
    reading = reading_vi(text, region=region)

    assert reading.spoken == normalise_vi(text, region=region)
    ends = [0]
    for expansion in reading.expansions:
        assert text[expansion.start:expansion.end] == expansion.original
        assert expansion.start >= ends[-1]
        ends.append(expansion.end)


@pytest.mark.parametrize(("region", "spoken"), [
    ("north", "năm hai nghìn không trăm linh năm có một nghìn một trăm linh năm hộ"),
    ("central", "năm hai ngàn không trăm lẻ năm có một ngàn một trăm lẻ năm hộ"),
    ("south", "năm hai ngàn không trăm lẻ năm có một ngàn một trăm lẻ năm hộ"),
])
def test_number_words_follow_the_region(region: str, spoken: str) -> None:
    assert normalise_vi("năm 2005 có 1.105 hộ", region=region) == spoken


def test_the_writers_own_words_are_not_changed_by_region() -> None:
    assert normalise_vi("năm nghìn lẻ một đêm", region="south") == "năm nghìn lẻ một đêm"


def test_an_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError, match="north, central, south"):
        normalise_vi("10/10", region="west")
