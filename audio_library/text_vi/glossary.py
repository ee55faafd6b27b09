"""Abbreviations and how to say them, extensible per province.

Matches are whole words and case-sensitive as written: "UBND" is expanded, "ubnd" in
a web address is not, and "CT" (chủ tịch) is not found inside "CTr". Longer entries
win over shorter ones that start the same way ("TT&TT" before "TT"). Expansions are
lower case: both engines read them the same either way, and they sit mid-sentence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from os import PathLike
from pathlib import Path
from types import MappingProxyType

import yaml

from audio_library.text_vi.rules import Rule, replace

__all__ = ["DEFAULT_ENTRIES", "Glossary"]

DEFAULT_ENTRIES = {
    # Government and mass organisations
    "UBND": "ủy ban nhân dân", "HĐND": "hội đồng nhân dân",
    "UBMTTQ": "ủy ban mặt trận tổ quốc", "MTTQ": "mặt trận tổ quốc",
    "MTTQVN": "mặt trận tổ quốc Việt Nam", "CT-XH": "chính trị xã hội",
    "BTV": "ban thường vụ", "BCH": "ban chấp hành", "BCĐ": "ban chỉ đạo",
    "BCĐCĐS": "ban chỉ đạo chuyển đổi số", "HU": "huyện ủy", "TU": "tỉnh ủy",
    "CT": "chủ tịch", "PCT": "phó chủ tịch", "VP": "văn phòng", "CVP": "chánh văn phòng",
    "PCVP": "phó chánh văn phòng", "TTr": "thường trực", "HTX": "hợp tác xã",
    "ĐVHC": "đơn vị hành chính", "TP": "thành phố", "TX": "thị xã",
    "CHXHCN": "cộng hòa xã hội chủ nghĩa", "VN": "Việt Nam",
    # Ministries, offices and their documents
    "BTTTT": "bộ thông tin và truyền thông", "TT&TT": "thông tin và truyền thông",
    "QĐ": "quyết định", "NQ": "nghị quyết", "VHTT": "văn hóa thông tin",
    "VHXH": "văn hóa xã hội", "KGVX": "khoa giáo văn xã", "GD&ĐT": "giáo dục và đào tạo",
    "KH&CN": "khoa học và công nghệ", "b/c": "báo cáo", "b/cáo": "báo cáo",
    "STT": "số thứ tự", "Stt": "số thứ tự", "KH": "kế hoạch", "SĐT": "số điện thoại",
    "ĐT": "điện thoại", "ĐTDĐ": "điện thoại di động", "VNĐ": "đồng", "VND": "đồng",
    "NĐ-CP": "nghị định chính phủ", "QĐ-TTg": "quyết định thủ tướng", "CT-TTg": "chỉ thị thủ tướng",
    "KH-UBND": "kế hoạch ủy ban nhân dân", "NQ/TU": "nghị quyết tỉnh ủy",
    "TT-BTTTT": "thông tư bộ thông tin và truyền thông",
    # Digital transformation
    "CĐS": "chuyển đổi số", "CNTT": "công nghệ thông tin", "DTI": "đê tê i",
    "CSDL": "cơ sở dữ liệu", "TSLCD": "truyền số liệu chuyên dùng",
    "TTHC": "thủ tục hành chính", "DVC": "dịch vụ công", "DVCTT": "dịch vụ công trực tuyến",
    "CQĐT": "chính quyền điện tử", "TMĐT": "thương mại điện tử",
    "VNeID": "vê en e ai đi", "VneID": "vê en e ai đi", "Đề án 06": "Đề án không sáu",
    # Disasters and weather
    "PCTT": "phòng chống thiên tai", "TKCN": "tìm kiếm cứu nạn",
    "PCTT&TKCN": "phòng chống thiên tai và tìm kiếm cứu nạn", "ATNĐ": "áp thấp nhiệt đới",
    # Citizens' everyday business
    "CCCD": "căn cước công dân", "BHYT": "bảo hiểm y tế", "BHXH": "bảo hiểm xã hội",
    "KT-XH": "kinh tế xã hội", "SX": "sản xuất", "NTM": "nông thôn mới",
    "THCS": "trung học cơ sở", "THPT": "trung học phổ thông",
    "ATTP": "an toàn thực phẩm", "ATGT": "an toàn giao thông",
    "PCCC": "phòng cháy chữa cháy", "ANTT": "an ninh trật tự",
    # Broadcasters
    "VOV": "vê ô vê", "VTV": "vê tê vê",
}


@dataclass(frozen=True)
class Glossary:
    """Abbreviation → words to say; immutable, so one glossary can serve many threads."""

    entries: Mapping[str, str]

    def __post_init__(self) -> None:
        """Refuse entries that could never match or would erase text; store them as NFC."""
        checked = {_checked_abbreviation(key): _checked_expansion(key, value)
                   for key, value in self.entries.items()}
        object.__setattr__(self, "entries", MappingProxyType(checked))

    def __hash__(self) -> int:
        """By content, as equality is; the generated hash would fail on the mapping."""
        return hash(frozenset(self.entries.items()))

    @classmethod
    def default(cls) -> Glossary:
        """The built-in abbreviations of Vietnamese administrative text."""
        return cls(DEFAULT_ENTRIES)

    @classmethod
    def from_yaml(cls, path: str | PathLike[str], base: Glossary | None = None) -> Glossary:
        """``base`` (the default glossary unless given) extended by a YAML file.

        The file is one mapping ``ABBR: expansion``; its entries override ``base``'s.
        A province file only lists what it adds, so the built-in entries stay.
        """
        loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ValueError(f"{path}: a glossary file must be a mapping ABBR: expansion")
        return (base or cls.default()).extended(loaded)

    def extended(self, more: Mapping[str, str]) -> Glossary:
        """A new glossary with ``more`` added; ``more`` wins where both have an entry."""
        return Glossary({**self.entries, **more})

    def expand(self, text: str) -> str:
        """``text`` with every abbreviation replaced by its expansion."""
        return self.rule(text)

    @cached_property
    def rule(self) -> Rule:
        """The glossary as one rule of the reading pass."""
        return replace(self._pattern, self._say)

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        """One alternation, longest first, so the longest written abbreviation wins;
        with the brackets around it, if any, for ``_say``."""
        if not self.entries:
            return re.compile(r"(?!)")
        keys = "|".join(map(re.escape, sorted(self.entries, key=len, reverse=True)))
        return re.compile(rf"(?P<open>\( *)?(?<!\w)(?P<key>{keys})(?!\w)(?P<close> *\))?")

    def _say(self, match: re.Match[str], region: str) -> str:
        """The expansion, or nothing for a bracketed abbreviation that only repeats the
        words before it: "thủ tục hành chính (TTHC)" would be said twice."""
        expansion = self.entries[match["key"]]
        before = match.string[:match.start()].rstrip().casefold()
        if match["open"] and match["close"] and before.endswith(expansion.casefold()):
            return ""
        return (match["open"] or "") + expansion + (match["close"] or "")


def _checked_abbreviation(key: object) -> str:
    """An abbreviation is text with no surrounding spaces (YAML may give a number)."""
    if not isinstance(key, str) or not key or key != key.strip():
        raise ValueError(f"glossary abbreviation must be text without surrounding spaces: {key!r}")
    return unicodedata.normalize("NFC", key)


def _checked_expansion(key: object, value: object) -> str:
    """An expansion is non-blank text: an empty one would silently delete the word."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"glossary expansion of {key!r} must be non-blank text, got {value!r}")
    return unicodedata.normalize("NFC", value.strip())
