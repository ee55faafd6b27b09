"""Counts, ranges, rates, ordinals, Roman numerals and the plain numbers left over.

These run after dates and document numbers, which own their digits and slashes.
"""

from __future__ import annotations

import re

from audio_library.text_vi.numbers import (
    NUMBER, ROMAN, cardinal, ordinal_word, roman_value, say_number,
)
from audio_library.text_vi.rules import replace

__all__ = [
    "say_fractions", "say_numbers", "say_ordinals", "say_percentages", "say_ranges",
    "say_roman_headings", "say_roman_numerals", "say_slashes",
]

_LETTER = r"[^\W\d_]"
# Units of time: "A/tuần" always means "A each week".
_TIME_UNITS = r"(?i:tuần|tháng|năm|ngày|quý|giờ|phút|giây|buổi|kỳ|đợt|lần)(?!\w)"
# Units a count can be shared over: "1 cán bộ/thôn", "50.000 đồng/người".
_SHARE_UNITS = r"(?i:người|hộ|xã|thôn|trường|lớp|kg)(?!\w)"
_SLASH_BETWEEN_WORDS = re.compile(rf"(?<={_LETTER})\s*/\s*(?={_LETTER})")
_TIME_UNIT_NEXT = re.compile(_TIME_UNITS)
# "01 số/chuyên mục/tuần": the slash before a "…/tuần" is a rate as well.
_RATE_CHAIN_NEXT = re.compile(rf"{_LETTER}+(?:\s+{_LETTER}+)?\s*/\s*{_TIME_UNITS}")
_SHARE_UNIT_NEXT = re.compile(_SHARE_UNITS)
_PHRASE_BREAK = re.compile(r"[,.;:()\n]")
_LOOK_BACK = 30

# "02-03 phút", "2021 - 2025", and between times: "17h-17h30".
_RANGE_DASH = re.compile(r"(?:(?<=[0-9])|(?<=[0-9]h))\s*[-–—]\s*(?=[0-9])")
_FRACTION = re.compile(r"(?<![0-9/])([0-9]+)/([0-9]+)(?![0-9/])")
_PERCENTAGE = re.compile(rf"(?<![0-9.,])({NUMBER})\s?%(?P<each>\s*/\s*(?=[^\W\d_]))?")
_ORDINAL = re.compile(
    r"(?P<word>\b(?i:thứ))\s+(?P<n>[0-9]+)(?![0-9]|[.,][0-9])"
    r"(?P<to>\s*[-–—]\s*(?=(?i:thứ)\s*[0-9]))?"
)
_HEADING_ROMAN = re.compile(rf"(?m)^(?P<space>[ \t]*)(?P<n>{ROMAN})(?=\.\s)")
_NAMED_ROMAN = re.compile(
    r"(?P<word>\b(?i:khóa|khoá|phần|chương|mục|đợt|thế kỷ|đại hội|giai đoạn))"
    rf"\s+(?P<n>{ROMAN})(?!\w)"
)
_NUMBER = re.compile(NUMBER)


def _say_range_dash(match: re.Match[str], region: str) -> str:
    """"02-03 phút" → "02 đến 03 phút"; the numbers are read by the rules after."""
    return "đến"


def _say_slash(match: re.Match[str], region: str) -> str:
    """A slash between words is "mỗi" in a rate ("1 tin/tuần", "03 lần/tháng") and
    "hoặc" in a choice ("chuyên mục/chương trình", "cổng/trang"); never "gạch chéo"."""
    text, end = match.string, match.end()
    if _TIME_UNIT_NEXT.match(text, end) or _RATE_CHAIN_NEXT.match(text, end):
        return "mỗi"
    if _SHARE_UNIT_NEXT.match(text, end) and _counts_before(match):
        return "mỗi"
    return "hoặc"


def _counts_before(match: re.Match[str]) -> bool:
    """Whether a number stands in the same phrase before the slash ("50.000 đồng/")."""
    before = match.string[max(0, match.start() - _LOOK_BACK):match.start()]
    return bool(re.search(r"[0-9]", _PHRASE_BREAK.split(before)[-1]))


def _say_fraction(match: re.Match[str], region: str) -> str:
    """Digits around a slash that are no date: "15/20 xã" → "mười lăm trên hai mươi xã"."""
    return f"{say_number(match[1], region)} trên {say_number(match[2], region)}"


def _say_percentage(match: re.Match[str], region: str) -> str:
    """"0,03%/ngày" → "không phẩy không ba phần trăm một ngày"."""
    return f"{say_number(match[1], region)} phần trăm{' một ' if match['each'] else ''}"


def _say_ordinal(match: re.Match[str], region: str) -> str:
    """"lần thứ 4" → "lần thứ tư", "thứ 1" → "thứ nhất", "Thứ 3" (Tuesday) → "Thứ ba";
    "Thứ 2 - Thứ 6" → "Thứ hai đến Thứ sáu"."""
    words = f"{match['word']} {ordinal_word(match['n'], region)}"
    return words + " đến" if match["to"] else words


def _say_heading_roman(match: re.Match[str], region: str) -> str:
    """"II. NỘI DUNG" → "hai. NỘI DUNG": espeak-ng reads a lone "II" in English."""
    return match["space"] + cardinal(roman_value(match["n"]), region)


def _say_named_roman(match: re.Match[str], region: str) -> str:
    """"khóa XX" → "khóa hai mươi", "Phần II" → "Phần hai"."""
    return f"{match['word']} {cardinal(roman_value(match['n']), region)}"


def _say_number(match: re.Match[str], region: str) -> str:
    return say_number(match.group(0), region)


say_ranges = replace(_RANGE_DASH, _say_range_dash)
say_slashes = replace(_SLASH_BETWEEN_WORDS, _say_slash)
say_fractions = replace(_FRACTION, _say_fraction)
say_percentages = replace(_PERCENTAGE, _say_percentage)
say_ordinals = replace(_ORDINAL, _say_ordinal)
say_roman_headings = replace(_HEADING_ROMAN, _say_heading_roman)
say_roman_numerals = replace(_NAMED_ROMAN, _say_named_roman)
say_numbers = replace(_NUMBER, _say_number)
