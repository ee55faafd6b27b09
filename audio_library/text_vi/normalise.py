"""``normalise_vi``: administrative Vietnamese made readable for gTTS and espeak-ng.

Both engines misread what plans are full of: espeak-ng says "10/10/2022" as "mười mười
hai nghìn…", "5h30" as "năm hát ba mươi", "UBND" and "quý IV" in English. The rules
run in a fixed order because earlier ones own characters later ones would misread:

1. web and e-mail addresses, phone numbers (their dots and digits are not numbers);
2. document numbers ("922/QĐ-BTTTT": the slash and codes are not a date or a rate);
3. the glossary (before "/" is read as "mỗi"/"hoặc", so "b/c" is still "báo cáo");
4. dates, date ranges, quarters, months and years (they own "/" between digits);
5. number ranges ("02-03" → "đến"), then clock times (so "16-17h" reads "… đến mười bảy giờ");
6. rates and choices ("/" between words), fractions, percentages, ordinals, Roman numerals;
7. every number left, then punctuation a listener cannot hear ("./.", "&", a lone "/").
"""

from __future__ import annotations

import re
import unicodedata

from audio_library.text_vi import contacts, dates, documents, quantities
from audio_library.text_vi.glossary import Glossary
from audio_library.text_vi.rules import Rule

__all__ = ["normalise_vi"]

_DEFAULT_GLOSSARY = Glossary.default()
_SPACES = re.compile(r"[^\S\n]+")
_SPACE_AT_LINE_EDGE = re.compile(r" *\n *")
_SPACE_BEFORE_MARK = re.compile(r"[^\S\n]+(?=[.,;:!?)])")
# Words joined by a hyphen ("HĐND-UBND", "kinh tế-xã hội") are read as two words.
_JOINING_HYPHEN = re.compile(r"(?<=[^\W\d_])[-–](?=[^\W\d_])")

_BEFORE_GLOSSARY: tuple[Rule, ...] = (
    contacts.say_web_addresses,
    contacts.say_phone_numbers,
    documents.say_document_numbers,
)
_AFTER_GLOSSARY: tuple[Rule, ...] = (
    dates.say_date_ranges,
    dates.say_dates,
    dates.say_quarters,
    dates.say_month_years,
    dates.say_april,
    quantities.say_ranges,
    dates.say_times,
    quantities.say_slashes,
    quantities.say_fractions,
    quantities.say_percentages,
    quantities.say_ordinals,
    quantities.say_roman_headings,
    quantities.say_roman_numerals,
    quantities.say_numbers,
)


def normalise_vi(text: str, glossary: Glossary | None = None) -> str:
    """``text`` (any Unicode form) as NFC text that both TTS engines read correctly.

    ``glossary`` defaults to ``Glossary.default()``; pass an extended one for a province.
    """
    spoken = _SPACES.sub(" ", unicodedata.normalize("NFC", text))
    for rule in _BEFORE_GLOSSARY:
        spoken = rule(spoken)
    spoken = (glossary or _DEFAULT_GLOSSARY).expand(spoken)
    for rule in _AFTER_GLOSSARY:
        spoken = rule(spoken)
    return unicodedata.normalize("NFC", _tidy(spoken))


def _tidy(text: str) -> str:
    """Drop the marks a listener cannot hear; one space between words."""
    text = text.replace("./.", ".").replace("&", " và ").replace("/", " ")
    text = _SPACE_BEFORE_MARK.sub("", _JOINING_HYPHEN.sub(" ", text))
    return _SPACE_AT_LINE_EDGE.sub("\n", _SPACES.sub(" ", text)).strip()
