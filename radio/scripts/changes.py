"""What changed between two versions of a script, word by word, for the approver's page.

difflib (the standard library) finds the changes; this only groups them into words so that a
Vietnamese sentence with one changed syllable shows that syllable, not the whole line.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Change:
    kind: str  # "same", "added" or "removed"
    text: str


def word_changes(old: str, new: str) -> list[Change]:
    before, after = TOKENS.findall(old), TOKENS.findall(new)
    changes: list[Change] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            changes.append(Change("same", "".join(before[a1:a2])))
            continue
        if a2 > a1:
            changes.append(Change("removed", "".join(before[a1:a2])))
        if b2 > b1:
            changes.append(Change("added", "".join(after[b1:b2])))
    return changes
