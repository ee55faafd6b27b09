"""Dates, months, quarters and clock times as Vietnamese radio reads them.

A full date is "ngày D tháng M năm Y"; a day and month alone ("10/10", the name of
National Digital Transformation Day, or "2/9") is "D tháng M", the way such days are
named aloud. "ngày" is never doubled: "ngày 10/10/2022" keeps the writer's "ngày".
Years are read as full numbers ("hai nghìn không trăm hai mươi hai"), the reading of
official broadcasts, never digit pairs. April is "tháng tư".
"""

from __future__ import annotations

import re

from audio_library.text_vi.numbers import ROMAN, cardinal, month_word, roman_value, say_integer
from audio_library.text_vi.rules import replace, word_before

__all__ = [
    "DATE", "QUARTER", "day_word", "say_april", "say_date_ranges", "say_dates", "say_month_years",
    "say_quarters", "say_times", "say_written_days",
]

# "01/10-10/10/2022", and "01-03/10" (days of one month).
_DATE_RANGE = re.compile(
    r"(?<![0-9/.,])(?P<d1>[0-9]{1,2})(?:/(?P<m1>[0-9]{1,2})(?:/(?P<y1>[0-9]{4}))?)?"
    r"\s*[-–—]\s*(?P<d2>[0-9]{1,2})/(?P<m2>[0-9]{1,2})(?:/(?P<y2>[0-9]{4}))?"
    r"(?![0-9]|[/.,-][0-9])"
)
# "10/10/2022", "10/10", and with a year also "10-10-2022" and "10.10.2022".
DATE = re.compile(
    r"(?<![0-9/.,])(?P<d>[0-9]{1,2})(?P<sep>[/.-])(?P<m>[0-9]{1,2})"
    r"(?:(?P=sep)(?P<y>[0-9]{4}))?(?![0-9]|[/.,-][0-9])"
)
QUARTER = re.compile(
    rf"(?P<word>\b(?i:quý))\s+(?P<q>{ROMAN}|[1-4])(?!\w)(?:\s*/\s*(?P<y>[0-9]{{4}}))?"
    r"(?P<to>\s*[-–—]\s*(?=(?i:quý)\s))?"
)
_MONTH_YEAR = re.compile(
    r"(?:(?P<word>\b(?i:tháng))\s+)?(?<![0-9/.,])(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})(?![0-9/])"
)
_APRIL = re.compile(r"(?P<word>\b(?i:tháng))\s+0?4(?![0-9]|[.,/][0-9])")
# "mỗi tháng 4 lần" counts four times a month; it is no April.
_COUNTING_WORDS = frozenset({"mỗi", "hằng", "hàng"})
# "Mùng 10/3" already says it.
_MUNG = frozenset({"mùng", "mồng"})
_TIME = re.compile(
    r"(?<![\w.,/:])(?P<h>[01]?[0-9]|2[0-4])"
    r"(?::(?P<mm>[0-5][0-9])(?![0-9:])|h(?P<hm>[0-5][0-9])?(?!\w)"
    r"|\s+(?P<word>(?i:giờ))\s+(?P<gm>[0-5][0-9])(?![0-9]|\s*(?i:phút)))"
)
# "ngày 5 tháng 6" written out: the day still gets its "mùng".
_WRITTEN_DAY = re.compile(r"(?P<word>\b(?i:ngày))\s+(?P<d>0?[1-9]|10)\s+(?=(?i:tháng)\s)")


def day_word(day: str, region: str) -> str:
    """The day of a month: "mùng" before the first ten ("mùng năm tháng sáu")."""
    words = say_integer(day, region)
    return f"mùng {words}" if int(day) <= 10 else words


def _is_date(day: str, month: str) -> bool:
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _day_month(day: str, month: str, year: str | None, region: str) -> str:
    """"D tháng M [năm Y]" without the leading "ngày"."""
    words = f"{day_word(day, region)} tháng {month_word(month)}"
    return f"{words} năm {say_integer(year, region)}" if year else words


def _say_date_range(match: re.Match[str], region: str) -> str | None:
    """"01/10-10/10/2022" → "ngày một tháng mười đến ngày mười tháng mười năm …";
    "01-03/10" → "ngày một đến ngày ba tháng mười"."""
    first_month = match["m1"] or match["m2"]
    if not (_is_date(match["d1"], first_month) and _is_date(match["d2"], match["m2"])):
        return None
    first = day_word(match["d1"], region)
    if match["m1"]:
        first = _day_month(match["d1"], match["m1"], match["y1"], region)
    last = _day_month(match["d2"], match["m2"], match["y2"], region)
    lead = "" if word_before(match) == "ngày" else "ngày "
    return f"{lead}{first} đến ngày {last}"


def _say_date(match: re.Match[str], region: str) -> str | None:
    """A date with its year gets "ngày" unless the writer put it; a day and month alone
    is a name ("Quốc khánh 2/9") and gets none. Dots and hyphens need the year."""
    day, month, year = match["d"], match["m"], match["y"]
    if not _is_date(day, month) or (year is None and match["sep"] != "/"):
        return None
    lead = "ngày " if year and word_before(match) != "ngày" else ""
    words = lead + _day_month(day, month, year, region)
    return words.removeprefix("mùng ") if word_before(match) in _MUNG else words


def _say_quarter(match: re.Match[str], region: str) -> str | None:
    """"Quý III/2024" → "Quý ba năm hai nghìn …"; "Quý I – Quý IV" → "… một đến Quý bốn"."""
    quarter = match["q"]
    value = int(quarter) if quarter.isdigit() else roman_value(quarter)
    if value > 4:
        return None
    words = f"{match['word']} {cardinal(value, region)}"
    if match["y"]:
        words += f" năm {say_integer(match['y'], region)}"
    return words + " đến" if match["to"] else words


def _say_month_year(match: re.Match[str], region: str) -> str | None:
    """"tháng 9/2022" and "9/2022" → "tháng chín năm hai nghìn …"."""
    if not 1 <= int(match["m"]) <= 12:
        return None
    word = match["word"] or "tháng"
    return f"{word} {month_word(match['m'])} năm {say_integer(match['y'], region)}"


def _say_april(match: re.Match[str], region: str) -> str | None:
    """"tháng 4" → "tháng tư", except where "tháng" is the unit of a count."""
    if word_before(match) in _COUNTING_WORDS:
        return None
    return f"{match['word']} tư"


def _say_time(match: re.Match[str], region: str) -> str:
    """"5h30" → "năm giờ ba mươi", "17:00", "17h" and "17 giờ 00" → "mười bảy giờ".

    Minutes under ten get "phút" ("năm giờ năm phút"), or they would sound like a
    new number after the hour.
    """
    words = f"{say_integer(match['h'], region)} {match['word'] or 'giờ'}"
    minutes = int(match["mm"] or match["hm"] or match["gm"] or 0)
    if not minutes:
        return words
    if minutes < 10:
        return f"{words} {cardinal(minutes, region)} phút"
    return f"{words} {cardinal(minutes, region)}"


say_date_ranges = replace(_DATE_RANGE, _say_date_range)
say_dates = replace(DATE, _say_date)
say_quarters = replace(QUARTER, _say_quarter)
say_month_years = replace(_MONTH_YEAR, _say_month_year)
say_april = replace(_APRIL, _say_april)
say_times = replace(_TIME, _say_time)
say_written_days = replace(
    _WRITTEN_DAY, lambda match, region: f"{match['word']} {day_word(match['d'], region)}",
)
