"""Number words: num2words below 1000, our own composition where its Vietnamese is wrong."""

from __future__ import annotations

import pytest
from num2words import num2words

from audio_library.text_vi.numbers import (
    cardinal, digit_by_digit, month_word, ordinal_word, roman_value, say_number,
)


@pytest.mark.parametrize(("n", "words"), [
    (0, "không"),
    (5, "năm"),
    (15, "mười lăm"),
    (21, "hai mươi mốt"),
    (105, "một trăm linh năm"),
    (1000, "một nghìn"),
    (1010, "một nghìn không trăm mười"),
    (2001, "hai nghìn không trăm linh một"),
    (2022, "hai nghìn không trăm hai mươi hai"),
    (3321, "ba nghìn ba trăm hai mươi mốt"),
    (10_000, "mười nghìn"),
    (1_000_005, "một triệu không trăm linh năm"),
    (1_234_567, "một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy"),
    (2_000_000_000, "hai tỷ"),
    (1_000_000_000_021, "một nghìn tỷ không trăm hai mươi mốt"),
])
def test_cardinal(n: int, words: str) -> None:
    assert cardinal(n) == words


def test_num2words_still_drops_the_zero_hundreds_we_put_back() -> None:
    # If this fails, num2words reads 2022 correctly now and cardinal() can use it whole.
    assert num2words(2022, lang="vi") == "hai nghìn lẻ hai mươi hai"
    assert cardinal(2022) == "hai nghìn không trăm hai mươi hai"


@pytest.mark.parametrize(("token", "words"), [
    ("09", "chín"),
    ("3.321", "ba nghìn ba trăm hai mươi mốt"),
    ("1.234,5", "một nghìn hai trăm ba mươi bốn phẩy năm"),
    ("10,5", "mười phẩy năm"),
    ("10,25", "mười phẩy hai mươi lăm"),
    ("10,05", "mười phẩy không năm"),
    ("0,1234", "không phẩy một hai ba bốn"),
    ("4.0", "bốn chấm không"),
    ("1.2.3", "một chấm hai chấm ba"),
    ("1234567890123456", "một hai ba bốn năm sáu bảy tám chín không một hai ba bốn năm sáu"),
])
def test_say_number(token: str, words: str) -> None:
    assert say_number(token) == words


def test_digit_by_digit() -> None:
    assert digit_by_digit("0912") == "không chín một hai"


@pytest.mark.parametrize(("digits", "word"), [
    ("1", "nhất"), ("01", "nhất"), ("2", "hai"), ("4", "tư"), ("14", "mười bốn"),
    ("1000000000000001", "một không không không không không không không không không không"
     " không không không không một"),
])
def test_ordinal_word(digits: str, word: str) -> None:
    assert ordinal_word(digits) == word


@pytest.mark.parametrize(("digits", "word"), [
    ("4", "tư"), ("04", "tư"), ("1", "một"), ("12", "mười hai"),
])
def test_month_word(digits: str, word: str) -> None:
    assert month_word(digits) == word


@pytest.mark.parametrize(("numeral", "value"), [
    ("I", 1), ("III", 3), ("IV", 4), ("IX", 9), ("XIV", 14), ("XX", 20), ("XL", 40), ("XLIX", 49),
])
def test_roman_value(numeral: str, value: int) -> None:
    assert roman_value(numeral) == value
