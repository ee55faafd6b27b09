"""``normalise_vi`` and ``reading_vi``: administrative Vietnamese made readable for gTTS and espeak-ng.

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

``normalise_vi`` is ``reading_vi``'s spoken text: one pass, one set of rules.
"""

from __future__ import annotations

import re

from audio_library.text_vi import contacts, dates, documents, quantities, units
from audio_library.text_vi.glossary import Glossary
from audio_library.text_vi.reading import Reading, read
from audio_library.text_vi.regions import checked_region
from audio_library.text_vi.rules import Rule, replace

__all__ = ["normalise_vi", "reading_vi"]

_DEFAULT_GLOSSARY = Glossary.default()


def _tidying(pattern: str, words: str) -> Rule:
    """A rule nobody hears: spaces and marks."""
    return replace(pattern, lambda match, region: words, is_heard=False)


# Any run of spaces but a single " " (line breaks stay).
_SPACES = _tidying(r"[^\S\n]{2,}|[^\S\n ]", " ")
_BEFORE_GLOSSARY: tuple[Rule, ...] = (
    _SPACES,
    contacts.say_web_addresses,
    contacts.say_phone_numbers,
    contacts.say_hotlines,
)
_AFTER_GLOSSARY: tuple[Rule, ...] = (
    dates.say_date_ranges,
    dates.say_dates,
    dates.say_written_days,
    dates.say_quarters,
    dates.say_month_years,
    dates.say_april,
    quantities.say_ranges,
    dates.say_times,
    units.say_money,
    units.say_units,
    quantities.say_slashes,
    quantities.say_fractions,
    quantities.say_percentages,
    quantities.say_ordinals,
    quantities.say_roman_headings,
    quantities.say_roman_numerals,
    quantities.say_numbers,
    # What a listener cannot hear: the closing "./.", a lone "/", the hyphen joining
    # two words ("HĐND-UBND", "kinh tế-xã hội"), spaces before a mark or at a line's edge.
    _tidying(r"\./\.", "."),
    replace(r"&", lambda match, region: "và"),
    _tidying(r"/", " "),
    _tidying(r"(?<=[^\W\d_])[-–](?=[^\W\d_])", " "),
    _tidying(r"[^\S\n]+(?=[.,;:!?)])", ""),
    _SPACES,
    _tidying(r"(?: *\n *)+", "\n"),
    _tidying(r"\A\s+|\s+\Z", ""),
)


def reading_vi(text: str, glossary: Glossary | None = None, region: str = "north") -> Reading:
    """How ``text`` (any Unicode form) is read aloud in ``region`` (one of ``REGIONS``):
    the NFC text both TTS engines read correctly, and what each rewritten stretch became.

    ``glossary`` defaults to ``Glossary.default()``; pass an extended one for a province.
    """
    glossary = glossary or _DEFAULT_GLOSSARY
    rules = (
        *_BEFORE_GLOSSARY, documents.say_document_numbers(glossary), glossary.rule,
        *_AFTER_GLOSSARY,
    )
    return read(text, rules, checked_region(region))


def normalise_vi(text: str, glossary: Glossary | None = None, region: str = "north") -> str:
    """What ``reading_vi`` says for ``text``."""
    return reading_vi(text, glossary, region).spoken
