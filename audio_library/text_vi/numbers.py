"""Vietnamese words for numbers, built on num2words where its Vietnamese is right.

num2words(lang="vi") reads 0–999 correctly, so those words come from it. Above 999 it
drops the "không trăm" of an inner group and puts "lẻ" before tens: 2022 becomes
"hai nghìn lẻ hai mươi hai" where a Vietnamese reader says "hai nghìn không trăm hai
mươi hai". Years are read that same full way, so the thousands are composed here.
Its decimals are wrong too ("10.5" → "mười phẩy năm mươi"), and Vietnamese writes the
decimal comma anyway, so decimals are ours as well.
"""

from __future__ import annotations

import re

from num2words import num2words

from audio_library.text_vi.regions import regional

__all__ = [
    "NUMBER", "ROMAN", "cardinal", "digit_by_digit", "month_word", "ordinal_word",
    "roman_value", "say_integer", "say_number",
]

# Longer digit strings are codes (account, serial numbers), not quantities.
MAX_QUANTITY_DIGITS = 15

# A number as Vietnamese writes it: "3.321" (thousands dots), "10,5" (decimal comma),
# "4.1" (a section number or "4.0", read with "chấm"), "09" (leading zeros).
NUMBER = (
    r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?(?![0-9.])"
    r"|[0-9]+(?:\.[0-9]+)+"
    r"|[0-9]+(?:,[0-9]+)?"
)
_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?")

# Roman numerals up to 49, as headings, quarters and congress terms use them.
ROMAN = r"(?=[IVXL])(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}

_DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUP_SCALES = ("", " nghìn", " triệu")


def cardinal(n: int, region: str = "north") -> str:
    """Words for ``n`` ≥ 0 in ``region``'s words: num2words below 1000, our own grouping above.

    Every inner group keeps its hundreds ("một nghìn không trăm mười", not num2words'
    "một nghìn lẻ mười"); a group that is all zeros is skipped, as speakers do.
    """
    return regional(_northern_cardinal(n), region)


def _northern_cardinal(n: int) -> str:
    if n < 1000:
        return num2words(n, lang="vi")
    groups = _groups_of_three(n)
    words = [
        _group_words(value, is_leading=position == 0) + _scale(len(groups) - 1 - position)
        for position, value in enumerate(groups)
        if value
    ]
    return " ".join(words)


def _groups_of_three(n: int) -> list[int]:
    """``1234567`` → ``[1, 234, 567]``: the groups a reader sees between the dots."""
    groups = []
    while n:
        n, value = divmod(n, 1000)
        groups.append(value)
    return groups[::-1]


def _scale(index: int) -> str:
    """The scale word after group ``index`` (0 = units): nghìn, triệu, tỷ, nghìn tỷ…"""
    return _GROUP_SCALES[index % 3] + " tỷ" * (index // 3)


def _group_words(value: int, is_leading: bool) -> str:
    """An inner group under 100 still says its zero hundreds, and "lẻ" before units."""
    if is_leading or value >= 100:
        return num2words(value, lang="vi")
    if value >= 10:
        return "không trăm " + num2words(value, lang="vi")
    return "không trăm lẻ " + num2words(value, lang="vi")


def digit_by_digit(digits: str) -> str:
    """"0912" → "không chín một hai": phone numbers, codes, decimals after a zero."""
    return " ".join(_DIGIT_WORDS[int(d)] for d in digits)


def say_integer(digits: str, region: str = "north") -> str:
    """A digit string as a quantity: leading zeros are not read ("09 thôn" → "chín")."""
    if len(digits) > MAX_QUANTITY_DIGITS:
        return digit_by_digit(digits)
    return cardinal(int(digits), region)


def say_number(token: str, region: str = "north") -> str:
    """Any ``NUMBER`` token in words."""
    if _THOUSANDS.fullmatch(token):
        token = token.replace(".", "")
    elif "." in token:
        return " chấm ".join(say_integer(part, region) for part in token.split("."))
    whole, _, fraction = token.partition(",")
    if not fraction:
        return say_integer(whole, region)
    return f"{say_integer(whole, region)} phẩy {_fraction_words(fraction, region)}"


def _fraction_words(digits: str, region: str) -> str:
    """After "phẩy" short parts are read as a number ("10,25" → "… phẩy hai mươi lăm");
    a leading zero or a long part is read digit by digit, or it would be lost."""
    if digits.startswith("0") or len(digits) > 3:
        return digit_by_digit(digits)
    return cardinal(int(digits), region)


def ordinal_word(digits: str, region: str = "north") -> str:
    """The word after "thứ": first is "nhất" and fourth is "tư"; the rest are cardinals.

    Weekdays follow the same words (Thứ 2 … Thứ 7 = "thứ hai" … "thứ bảy").
    """
    value = int(digits) if len(digits) <= MAX_QUANTITY_DIGITS else None
    return {1: "nhất", 4: "tư"}.get(value) or say_integer(digits, region)


def month_word(digits: str) -> str:
    """The word after "tháng": April is "tháng tư", never "tháng bốn" (months stay under 13,
    so no region's word choice touches them)."""
    return "tư" if int(digits) == 4 else say_integer(digits)


def roman_value(numeral: str) -> int:
    """The value of a valid ``ROMAN`` numeral ("IV" → 4)."""
    total = 0
    for char, following in zip(numeral, numeral[1:] + " "):
        value = _ROMAN_VALUES[char]
        total += -value if _ROMAN_VALUES.get(following, 0) > value else value
    return total
