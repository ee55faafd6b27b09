"""Glossary: the built-in abbreviations, per-province extension, and what is refused."""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

import pytest

from audio_library.text_vi import Glossary

REQUIRED = [
    "UBND", "HĐND", "UBMTTQ", "MTTQ", "CT-XH", "CCCD", "VNeID", "TTHC", "BHYT", "BHXH", "CĐS",
    "NĐ-CP", "TT-BTTTT", "BTTTT", "TT&TT", "KT-XH", "DTI", "CNTT", "ĐVHC", "THCS", "THPT",
]


def test_default_has_the_abbreviations_of_the_plans() -> None:
    assert set(REQUIRED) <= set(Glossary.default().entries)


def test_extended_returns_a_new_glossary_and_the_new_entries_win() -> None:
    base = Glossary.default()

    more = base.extended({"UBND": "ủy ban", "TTVH": "trung tâm văn hóa"})

    assert more.entries["UBND"] == "ủy ban"
    assert more.entries["TTVH"] == "trung tâm văn hóa"
    assert base.entries["UBND"] == "ủy ban nhân dân"
    assert "TTVH" not in base.entries


def test_a_glossary_cannot_be_changed_in_place() -> None:
    glossary = Glossary({"UBND": "ủy ban nhân dân"})

    with pytest.raises(dataclasses.FrozenInstanceError):
        glossary.entries = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        glossary.entries["UBND"] = "x"  # type: ignore[index]


def test_equal_glossaries_hash_alike() -> None:
    assert Glossary.default() == Glossary.default()
    assert len({Glossary.default(), Glossary.default(), Glossary({})}) == 2


def test_decomposed_entries_match_composed_text() -> None:
    nfd = unicodedata.normalize("NFD", "HĐND")

    glossary = Glossary({nfd: unicodedata.normalize("NFD", "hội đồng")})

    assert glossary.expand("HĐND xã") == "hội đồng xã"


def test_only_whole_words_in_the_written_case_are_expanded() -> None:
    glossary = Glossary({"CT": "chủ tịch"})

    assert glossary.expand("CT, CTr, PCT, ct, CT.") == "chủ tịch, CTr, PCT, ct, chủ tịch."


@pytest.mark.parametrize("entries", [
    {"": "rỗng"}, {" UBND": "ủy ban"}, {12: "mười hai"}, {"UBND": ""}, {"UBND": "  "},
    {"UBND": None}, {"UBND": 5},
])
def test_unusable_entries_are_refused(entries: dict) -> None:
    with pytest.raises(ValueError, match="glossary"):
        Glossary(entries)


def test_from_yaml_extends_the_default(tmp_path: Path) -> None:
    path = tmp_path / "phu-tho.yaml"
    path.write_text("TTVH: trung tâm văn hóa\nUBND: ủy ban nhân dân\n", encoding="utf-8")

    glossary = Glossary.from_yaml(path)

    assert glossary.entries["TTVH"] == "trung tâm văn hóa"
    assert set(REQUIRED) <= set(glossary.entries)


def test_from_yaml_extends_a_given_base(tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text("TTVH: trung tâm văn hóa\n", encoding="utf-8")

    glossary = Glossary.from_yaml(path, base=Glossary({"UBND": "ủy ban"}))

    assert dict(glossary.entries) == {"UBND": "ủy ban", "TTVH": "trung tâm văn hóa"}


def test_an_empty_yaml_file_is_the_default(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")

    assert Glossary.from_yaml(path) == Glossary.default()


@pytest.mark.parametrize(("content", "message"), [
    ("- UBND\n- HĐND\n", "must be a mapping"),
    ("115: một một năm\n", "abbreviation must be text"),
    ("NO: không\n", "abbreviation must be text"),  # YAML 1.1 reads NO as false
    ("UBND:\n", "expansion of 'UBND'"),
])
def test_from_yaml_refuses_what_is_not_a_glossary(
    tmp_path: Path, content: str, message: str,
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(ValueError, match=message):
        Glossary.from_yaml(path)
