"""Numbers of official documents: "922/QĐ-BTTTT", "06-NQ/TU", "06/2022/TT-BTTTT".

An announcer reads the whole symbol: "số" + the number (+ "năm" + the year when the
number carries one), then each code of the symbol as its words, the slashes and hyphens
unsaid: "Văn bản số 3412/UBND-KGVX" → "Văn bản số ba nghìn bốn trăm mười hai ủy ban
nhân dân khoa giáo văn xã". A code is looked up, in this order: a run of codes the
glossary knows as one ("NĐ-CP", "TT-BTTTT"); the document type, for the first code
(``DOCUMENT_TYPES``: "CT" first is "chỉ thị", not "chủ tịch"); the glossary (so an
area's glossary teaches its own codes); ``DOCUMENT_CODES``; else it is spelled with
Vietnamese letter names ("KGVX" → "ca giê vê ích").

State documents write number/TYPE-ISSUER, Party documents number-TYPE/ISSUER, and a
letter (công văn) number/ISSUER-UNIT. "số" is said once: after a written "số" it is not
added again.
"""

from __future__ import annotations

import re
from functools import lru_cache

from audio_library.text_vi.glossary import Glossary
from audio_library.text_vi.numbers import say_integer
from audio_library.text_vi.rules import Rule, replace

__all__ = ["DOCUMENT_CODES", "DOCUMENT_TYPES", "LETTER_NAMES", "say_document_numbers", "spelled"]

DOCUMENT_TYPES = {
    "QĐ": "quyết định", "QyĐ": "quy định", "NQ": "nghị quyết", "NĐ": "nghị định",
    "KH": "kế hoạch", "CT": "chỉ thị", "CTr": "chương trình", "TT": "thông tư",
    "TB": "thông báo", "BC": "báo cáo", "TTr": "tờ trình", "HD": "hướng dẫn",
    "KL": "kết luận", "ĐA": "đề án", "QC": "quy chế", "CV": "công văn",
    "CĐ": "công điện", "GM": "giấy mời", "BB": "biên bản", "HĐ": "hợp đồng",
}
# Issuers and units that appear in symbols; kept out of the glossary, which reads running
# text, where "KT" is "ký thay" and "CP" may be anything.
DOCUMENT_CODES = {
    "CP": "chính phủ", "TTg": "thủ tướng", "VPCP": "văn phòng chính phủ", "QH": "quốc hội",
    "UBTVQH": "ủy ban thường vụ quốc hội", "TW": "trung ương", "TU": "tỉnh ủy",
    "HU": "huyện ủy", "ĐU": "đảng ủy", "TWĐ": "trung ương đoàn", "BTG": "ban tuyên giáo",
    "BDV": "ban dân vận", "BTC": "bộ tài chính", "BYT": "bộ y tế", "BCA": "bộ công an",
    "BQP": "bộ quốc phòng", "BNV": "bộ nội vụ", "BCT": "bộ công thương",
    "BGDĐT": "bộ giáo dục và đào tạo", "BNNPTNT": "bộ nông nghiệp và phát triển nông thôn",
    "BTNMT": "bộ tài nguyên và môi trường", "BLĐTBXH": "bộ lao động thương binh và xã hội",
    "BVHTTDL": "bộ văn hóa thể thao và du lịch", "BKHĐT": "bộ kế hoạch và đầu tư",
    "BGTVT": "bộ giao thông vận tải", "BXD": "bộ xây dựng", "BTP": "bộ tư pháp",
    "STTTT": "sở thông tin và truyền thông", "SYT": "sở y tế",
    "SVHTTDL": "sở văn hóa thể thao và du lịch", "SNV": "sở nội vụ",
    "VX": "văn xã", "VH": "văn hóa", "XH": "xã hội", "KT": "kinh tế", "NV": "nội vụ",
    "YT": "y tế", "TH": "tổng hợp", "TCKH": "tài chính kế hoạch", "TNMT": "tài nguyên môi trường",
    "GDĐT": "giáo dục và đào tạo", "NN": "nông nghiệp", "PTNT": "phát triển nông thôn",
    "LĐTBXH": "lao động thương binh và xã hội", "VHTTDL": "văn hóa thể thao và du lịch",
    "KTHT": "kinh tế hạ tầng", "PCTT": "phòng chống thiên tai",
    "TKCN": "tìm kiếm cứu nạn", "BCHQS": "ban chỉ huy quân sự", "CAX": "công an xã",
    "ĐTN": "đoàn thanh niên", "HPN": "hội phụ nữ", "HND": "hội nông dân",
    "HCCB": "hội cựu chiến binh", "UBKT": "ủy ban kiểm tra", "VPĐU": "văn phòng đảng ủy",
}
LETTER_NAMES = {
    "A": "a", "Ă": "á", "Â": "ớ", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e",
    "Ê": "ê", "F": "ép", "G": "giê", "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "en lờ",
    "M": "em mờ", "N": "en nờ", "O": "o", "Ô": "ô", "Ơ": "ơ", "P": "pê", "Q": "quy",
    "R": "e rờ", "S": "ét", "T": "tê", "U": "u", "Ư": "ư", "V": "vê", "W": "vê kép",
    "X": "ích", "Y": "i dài", "Z": "dét",
}

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
_CODE_OR_JOINER = re.compile(r"[-/]|[^\W\d_]+")


def spelled(code: str) -> str:
    """A code nobody has taught, letter by letter: "KGVX" → "ca giê vê ích"."""
    return " ".join(LETTER_NAMES.get(letter.upper(), letter) for letter in code)


def _codes_words(codes: str, glossary: Glossary) -> str:
    """Each code of a symbol in words, the longest run the glossary knows first."""
    parts = _CODE_OR_JOINER.findall(codes)
    tokens = parts[::2]
    words, index = [], 0
    while index < len(tokens):
        for end in range(len(tokens), index + 1, -1):
            joined = "".join(parts[2 * index:2 * end - 1])
            if joined in glossary.entries:
                words.append(glossary.entries[joined])
                index = end
                break
        else:
            words.append(_code_words(tokens[index], is_first=index == 0, glossary=glossary))
            index += 1
    return " ".join(words)


def _code_words(code: str, is_first: bool, glossary: Glossary) -> str:
    if is_first and code in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[code]
    return glossary.entries.get(code) or DOCUMENT_CODES.get(code) or spelled(code)


@lru_cache(maxsize=32)
def say_document_numbers(glossary: Glossary) -> Rule:
    """The rule reading document numbers with ``glossary``'s codes."""

    def say(match: re.Match[str], region: str) -> str:
        words = "số " + say_integer(match["number"], region)
        if match["year"]:
            words += " năm " + say_integer(match["year"], region)
        if match["so"]:
            words = match["so"].split(":")[0].strip() + words[len("số"):]
        return f"{words} {_codes_words(match['codes'], glossary)}"

    return replace(_DOCUMENT_NUMBER, say)
