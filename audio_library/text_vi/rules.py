"""The shape every normalisation rule shares: a pattern and a function that says a match.

A rule's words replace the match; a space is added where the words would otherwise
touch a letter or digit ("06/9/2023của" → "… hai mươi ba của"). A ``say`` function
returns ``None`` to leave a match as written, for matches that only look like a case
(31/13 is no date), so a later rule can read them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["Rule", "replace", "word_before"]

Rule = Callable[[str], str]
Say = Callable[[re.Match[str]], "str | None"]

# How far back a rule looks for the word before its match ("ngày", "mỗi", "số").
_LOOK_BACK = 40
_LAST_WORD = re.compile(r"(\w+)\W*$")


def replace(pattern: str | re.Pattern[str], say: Say) -> Rule:
    """A rule replacing each match of ``pattern`` with ``say(match)``."""
    compiled = re.compile(pattern)

    def rule(text: str) -> str:
        return compiled.sub(lambda match: _spaced(match, say(match)), text)

    return rule


def _spaced(match: re.Match[str], words: str | None) -> str:
    """``words`` with a space on each side that would otherwise touch a letter or digit."""
    if words is None:
        return match.group(0)
    text, start, end = match.string, match.start(), match.end()
    before = " " if start > 0 and text[start - 1].isalnum() else ""
    after = " " if end < len(text) and text[end].isalnum() else ""
    return before + words + after


def word_before(match: re.Match[str]) -> str:
    """The word just before ``match``, casefolded; "" at the start of the text."""
    found = _LAST_WORD.search(match.string, max(0, match.start() - _LOOK_BACK), match.start())
    return found.group(1).casefold() if found else ""
