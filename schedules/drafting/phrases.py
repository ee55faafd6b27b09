"""Vietnamese phrases of a plan, read into values: counts, frequencies, weekdays, durations,
dates, quarters, years and who airs. Digits and dates are matched with the patterns of the
text-to-speech normaliser (audio_library.text_vi), numbers written as words with its words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from audio_library.text_vi.dates import DATE, QUARTER
from audio_library.text_vi.numbers import cardinal, roman_value

# "một" … "mười": the words the normaliser says for 1..10, read back.
_NUMBER_WORDS = {cardinal(n): n for n in range(1, 11)}
_COUNT = r"(?:[0-9]{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_TO = r"\s*(?:-|–|—|đến|tới)\s*"
_PERIOD = r"(?P<period>ngày|tu[ầấ]n|tháng|quý|năm)"
_EVERY = r"(?:mỗi|hằng|hàng|một|1)"
_ITEM = r"(?P<item>tin|bài|bản tin|số|chuyên mục|chương trình|lần|buổi)"
# "1 tin/tuần", "01 số/chuyên mục/tuần", "01 - 02 Chương trình/tuần", "2 lần mỗi tuần"
_PER_PERIOD = re.compile(
    rf"(?P<low>{_COUNT})(?:{_TO}(?P<high>{_COUNT}))?\s+{_ITEM}(?:\s*/\s*[^/\d]{{1,20}}?)*?"
    rf"(?:\s*/\s*(?:1\s+)?|\s+{_EVERY}\s+){_PERIOD}\b", re.IGNORECASE)
# "mỗi tháng 01 chuyên mục", "hằng tuần 2 bản tin"
_PERIOD_FIRST = re.compile(
    rf"{_EVERY}\s+{_PERIOD}\s*,?\s*(?P<low>{_COUNT})(?:{_TO}(?P<high>{_COUNT}))?\s+{_ITEM}\b", re.IGNORECASE)
_REPLAYS = re.compile(rf"phát lại\s+(?P<n>{_COUNT})\s+lần", re.IGNORECASE)
_PERIODS = {"ngày": "day", "tuần": "week", "tuấn": "week", "tháng": "month", "quý": "quarter", "năm": "year"}
_REPEATS = {"lần", "buổi"}

_WEEKDAY = re.compile(r"\b(?:thứ\s+(?P<n>[2-7])|thứ\s+(?P<w>hai|ba|tư|năm|sáu|bảy)"
                      r"|T(?P<t>[2-7])|(?P<sun>chủ nhật|CN))\b",
                      re.IGNORECASE)
_WEEKDAY_WORDS = {"hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7}
_CODES = {2: "MO", 3: "TU", 4: "WE", 5: "TH", 6: "FR", 7: "SA", 8: "SU"}

_DURATION = re.compile(
    rf"thời lượng\s*(?::\s*)?(?P<bound>tối đa|không quá|tối thiểu|ít nhất|khoảng)?\s*"
    rf"(?:từ\s+)?(?P<low>[0-9]{{1,3}})(?:{_TO}(?P<high>[0-9]{{1,3}}))?\s*(?P<unit>phút|giây)", re.IGNORECASE)

_FROM_TO = re.compile(r"\btừ\s+(?:ngày\s+)?(?=[0-9])", re.IGNORECASE)
_YEAR = re.compile(r"(?<!đến )\bnăm\s+(?P<y>20[0-9]{2})\b", re.IGNORECASE)
_UNTIL_YEAR = re.compile(r"\bđến năm\s+(?P<y>20[0-9]{2})\b", re.IGNORECASE)
_DEADLINE = re.compile(r"trước ngày\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Frequency:
    period: str
    low: int
    high: int | None
    new: bool          # counts new items (tin, số, chương trình), not airings (lần)
    replays: int = 0


def count(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


def frequency(text: str) -> Frequency | None:
    """The first "N item/period" of ``text``, with the replays it adds ("phát lại 03 lần")."""
    replays = _REPLAYS.search(text)
    replayed = range(replays.start(), replays.end()) if replays else range(0)
    matches = [match for pattern in (_PER_PERIOD, _PERIOD_FIRST) for match in pattern.finditer(text)
               if match.start() not in replayed]
    if not matches:
        return None
    match = min(matches, key=lambda found: found.start())
    return Frequency(_PERIODS[match["period"].lower()], count(match["low"]),
                     count(match["high"]) if match["high"] else None,
                     match["item"].lower() not in _REPEATS, count(replays["n"]) if replays else 0)


def weekdays(text: str) -> tuple[str, ...]:
    """Weekdays named in ``text`` ("Thứ 3 và Thứ 5", "Thứ Ba", "T3", "Chủ nhật"), Monday first."""
    found = set()
    for match in _WEEKDAY.finditer(text):
        number = (8 if match["sun"] else int(match["n"] or match["t"] or 0) or _WEEKDAY_WORDS[match["w"].lower()])
        found.add(number)
    return tuple(_CODES[number] for number in sorted(found))


@dataclass(frozen=True)
class Duration:
    low: int | None
    high: int | None
    certain: bool


def duration(text: str) -> Duration | None:
    """Seconds per airing: "thời lượng 02-03 phút" → 120..180; "0-03 phút" is read the same
    (the plans' "0-" stands for a lost "02-"), less surely; "tối đa 3 phút" → at most 180."""
    match = _DURATION.search(text)
    if match is None:
        return None
    unit = 60 if match["unit"].lower() == "phút" else 1
    low, high = int(match["low"]) * unit, int(match["high"]) * unit if match["high"] else None
    bound = (match["bound"] or "").lower()
    if high is not None:
        if low == 0:
            return Duration(max(high - unit, 0) or None, high, False)
        return Duration(low, high, True)
    if bound in ("tối đa", "không quá"):
        return Duration(None, low, True)
    if bound in ("tối thiểu", "ít nhất"):
        return Duration(low, None, True)
    return Duration(low, low, bound != "khoảng")


def _dates(text: str) -> list[tuple[int, int, int | None]]:
    """Day, month and year (or None) of each date in ``text``; "02-03" alone is no date."""
    found = []
    for match in DATE.finditer(text):
        if match["sep"] == "/" or match["y"]:
            day, month = int(match["d"]), int(match["m"])
            if 1 <= day <= 31 and 1 <= month <= 12:
                found.append((day, month, int(match["y"]) if match["y"] else None))
    return found


def _date(day: int, month: int, year: int | None) -> date | None:
    try:
        return None if year is None else date(year, month, day)
    except ValueError:
        return None


def window(text: str, year: int | None) -> tuple[date | None, date | None] | None:
    """"Từ ngày 01/10 đến 10/10/2022" → both dates; a first date without a year takes the
    second's (or ``year``), the year before when it would fall after the second ("Từ ngày 25/12
    đến 05/01/2025")."""
    opener = _FROM_TO.search(text)
    if opener is None:
        return None
    dates = _dates(text[opener.start():])
    if len(dates) < 2:
        return None
    (d1, m1, y1), (d2, m2, y2) = dates[:2]
    y2 = y2 or y1 or year
    start, end = _date(d1, m1, y1 or y2), _date(d2, m2, y2)
    if y1 is None and start and end and start > end:
        start = _date(d1, m1, y2 - 1)
    return start, end


def quarters(text: str, year: int | None) -> tuple[date | None, date | None] | None:
    """"Quý I – Quý IV" (of ``year``), "Quý III/2024": the first day of the first quarter named
    to the last day of the last."""
    found = []
    for match in QUARTER.finditer(text):
        value = int(match["q"]) if match["q"].isdigit() else roman_value(match["q"])
        if 1 <= value <= 4:
            found.append((value, int(match["y"]) if match["y"] else None))
    if not found:
        return None
    (first, y1), (last, y2) = found[0], found[-1]
    y1, y2 = y1 or y2 or year, y2 or y1 or year
    start = None if y1 is None else date(y1, 3 * first - 2, 1)
    end = None if y2 is None else (date(y2, 12, 31) if last == 4 else date(y2, 3 * last + 1, 1).fromordinal(
        date(y2, 3 * last + 1, 1).toordinal() - 1))
    return start, end


def year(text: str) -> int | None:
    """The year a text names as "năm 2024" (not "đến năm 2025")."""
    match = _YEAR.search(text)
    return int(match["y"]) if match else None


def until_year(text: str) -> int | None:
    """The year of "đến năm 2025"."""
    match = _UNTIL_YEAR.search(text)
    return int(match["y"]) if match else None


def deadline(text: str, year: int | None) -> date | None:
    """The date of "trước ngày 13/10/2022"."""
    match = _DEADLINE.search(text)
    if match is None:
        return None
    dates = _dates(text[match.end():])
    return _date(dates[0][0], dates[0][1], dates[0][2] or year) if dates else None


def issue_date(text: str) -> date | None:
    """"…, ngày 27 tháng 9 năm 2022" or "ngày 27/9/2022" in a document's header."""
    match = re.search(r"ngày\s+([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4})", text)
    if match:
        return _date(int(match[1]), int(match[2]), int(match[3]))
    dates = _dates(text)
    return _date(*dates[0]) if dates and dates[0][2] else None
