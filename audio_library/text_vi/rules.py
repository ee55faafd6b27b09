"""The shape every normalisation rule shares: a pattern and a function that says a match.

A rule's words replace the match; a space is added where the words would otherwise
touch a letter or digit ("06/9/2023của" → "… hai mươi ba của"). A ``say`` function
gets the match and the region (for number words) and returns ``None`` to leave a match
as written, for matches that only look like a case (31/13 is no date), so a later rule
can read them. A rule gives its edits rather than a new string, so one pass can both
rewrite the text and remember where each rewrite came from (``reading.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["Edit", "Rule", "replace", "word_before"]

Say = Callable[[re.Match[str], str], "str | None"]
# (start, end, words): the stretch of the current text and what it becomes.
Edit = tuple[int, int, str]

# How far back a rule looks for the word before its match ("ngày", "mỗi", "số").
_LOOK_BACK = 40
_LAST_WORD = re.compile(r"(\w+)\W*$")


@dataclass(frozen=True)
class Rule:
    """A pattern and how to say its matches; ``is_heard`` is False for tidying
    (spaces, marks nobody hears): its words are the spacing itself, so they get no
    padding, and a reading does not show them as an expansion."""

    pattern: re.Pattern[str]
    say: Say
    is_heard: bool = True

    def edits(self, text: str, region: str) -> Iterator[Edit]:
        """The non-empty matches in ``text`` that ``say`` has words for."""
        for match in self.pattern.finditer(text):
            words = self.say(match, region)
            if words is not None and match.end() > match.start():
                yield match.start(), match.end(), _spaced(match, words) if self.is_heard else words

    def __call__(self, text: str, region: str = "north") -> str:
        """``text`` with every edit made."""
        pieces, last = [], 0
        for start, end, words in self.edits(text, region):
            pieces += [text[last:start], words]
            last = end
        return "".join(pieces) + text[last:]


def replace(pattern: str | re.Pattern[str], say: Say, *, is_heard: bool = True) -> Rule:
    """A rule replacing each match of ``pattern`` with ``say(match, region)``."""
    return Rule(re.compile(pattern), say, is_heard)


def _spaced(match: re.Match[str], words: str) -> str:
    """``words`` with a space on each side that would otherwise touch a letter or digit."""
    text, start, end = match.string, match.start(), match.end()
    before = " " if start > 0 and text[start - 1].isalnum() else ""
    after = " " if end < len(text) and text[end].isalnum() else ""
    return before + words + after


def word_before(match: re.Match[str]) -> str:
    """The word just before ``match``, casefolded; "" at the start of the text."""
    found = _LAST_WORD.search(match.string, max(0, match.start() - _LOOK_BACK), match.start())
    return found.group(1).casefold() if found else ""
