"""Properties of normalise_vi over arbitrary text and over shuffled plan fragments."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from audio_library.text_vi import normalise_vi

FRAGMENTS = [
    "10/10/2022", "ngày ", "01/10-", "Quý III/2024", "Quý I – Quý IV", "02-03 phút", "/",
    "1 tin/tuần", "5h30", "17:00", "100%", "50,5%", "lần thứ 4", "Thứ 3", "09 thôn",
    "06-NQ/TU", "922/QĐ-BTTTT", "số ", "3412/UBND-KGVX", "UBND", "TT&TT", "(TTHC)", "3.321",
    "0912 345 678", "langso.dx.gov.vn", "II. ", "\n", " ", "-", "–", ".", ",", "./.", "tháng 4",
    "Ủy ban nhân dân", "chuyên mục/chương trình", "0", "9", "31/12", "2024", "h", ":",
]
plan_like = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=12).map("".join)
DIGITS_AROUND_SLASH = re.compile(r"[0-9]\s*/\s*[0-9]")


@settings(max_examples=50, deadline=None)
@given(st.text() | plan_like)
def test_never_raises_never_leaves_a_slash_between_digits(text: str) -> None:
    spoken = normalise_vi(text)

    assert not DIGITS_AROUND_SLASH.search(spoken)
    assert not re.search(r"[0-9]", spoken)
    assert unicodedata.is_normalized("NFC", spoken)


@settings(max_examples=50, deadline=None)
@given(plan_like)
def test_decomposed_input_is_read_like_composed_input(text: str) -> None:
    assert normalise_vi(unicodedata.normalize("NFD", text)) == normalise_vi(text)
