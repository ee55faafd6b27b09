"""Numbers of official documents: "922/QĐ-BTTTT", "06-NQ/TU", "06/2022/TT-BTTTT".

Read aloud, the slash and hyphens mean nothing to a listener, and the issuer codes
(BTTTT, TU, UBND-KGVX) repeat what the sentence says anyway ("… của Bộ Thông tin và
Truyền thông"). So a number is read as "số" + the number (+ "năm" + the year when the
number carries one), the issuer codes are dropped, and the type code is said as its
word only where the sentence has not named the type already:

- "Quyết định số 922/QĐ-BTTTT" → "Quyết định số chín trăm hai mươi hai"
- "theo 922/QĐ-BTTTT" → "theo quyết định số chín trăm hai mươi hai"
- "Văn bản số 3412/UBND-KGVX" → "Văn bản số ba nghìn bốn trăm mười hai"

State documents write number/TYPE-ISSUER, Party documents number-TYPE/ISSUER, and a
letter (công văn) number/ISSUER-UNIT; in all three the type, if any, is the first code.
"""

from __future__ import annotations

import re

from audio_library.text_vi.numbers import say_integer
from audio_library.text_vi.rules import replace, word_before

__all__ = ["DOCUMENT_TYPES", "say_document_numbers"]

DOCUMENT_TYPES = {
    "QĐ": "quyết định", "QyĐ": "quy định", "NQ": "nghị quyết", "NĐ": "nghị định",
    "KH": "kế hoạch", "CT": "chỉ thị", "CTr": "chương trình", "TT": "thông tư",
    "TB": "thông báo", "BC": "báo cáo", "TTr": "tờ trình", "HD": "hướng dẫn",
    "KL": "kết luận", "ĐA": "đề án", "QC": "quy chế", "CV": "công văn",
    "CĐ": "công điện", "GM": "giấy mời", "BB": "biên bản", "HĐ": "hợp đồng",
}
# When the type is not written (a letter: "3412/UBND-KGVX"), the number is a "văn bản".
_UNNAMED_TYPE = "văn bản"

# A code has at least two capitals: "QĐ", "CTr", "UBND"; "Trung" is a word, not a code.
_CODE = r"[A-ZĐ](?:[a-zđ]?[A-ZĐ])+[a-zđ]?(?!\w)"
_BETWEEN_CODES = r"\s*[-/]\s*"
_DOCUMENT_NUMBER = re.compile(
    r"(?P<so>\b(?i:số)\s*:?\s*)?"
    r"(?<![0-9/])(?P<number>[0-9]+)(?:/(?P<year>(?:19|20)[0-9]{2}))?"
    # After "số" a typed space may stand for the first hyphen ("số 03 NQ/TU") when two
    # codes follow; elsewhere "2030 - UBND-KGVX" would turn a year into a number.
    rf"(?:[-/]\s*|(?(so)\s+(?={_CODE}{_BETWEEN_CODES}{_CODE})|(?!)))"
    rf"(?P<codes>{_CODE}(?:{_BETWEEN_CODES}{_CODE})*)"
)
_FIRST_CODE = re.compile(r"\w+")


def _say_document_number(match: re.Match[str], region: str) -> str:
    """"[type] số N [năm Y]", the type only when neither "số" nor the type was said."""
    words = "số " + say_integer(match.group("number"), region)
    if match.group("year"):
        words += " năm " + say_integer(match.group("year"), region)
    if match.group("so"):
        return words
    first_code = _FIRST_CODE.match(match.group("codes")).group(0)
    kind = DOCUMENT_TYPES.get(first_code, _UNNAMED_TYPE)
    if _names_type_already(match, kind):
        return words
    return f"{kind} {words}"


def _names_type_already(match: re.Match[str], kind: str) -> bool:
    """"Thông tư 06/2022/TT-BTTTT": the word before is the last word of the type."""
    return f" {kind}".endswith(f" {word_before(match)}")


say_document_numbers = replace(_DOCUMENT_NUMBER, _say_document_number)
