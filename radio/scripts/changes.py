"""What changed between two versions of a script, word by word, for the approver's page.

difflib (the standard library) finds the changes; this only works in words and lets a lone
space between two changed words join them, so "sáng Chủ nhật" → "chiều Thứ 7" reads as one
change rather than three.
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
    opcodes = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    regions: list[list] = []  # [changed?, a1, a2, b1, b2]
    for n, (op, a1, a2, b1, b2) in enumerate(opcodes):
        between_changes = ("".join(before[a1:a2]).isspace() and n + 1 < len(opcodes)
                           and opcodes[n + 1][0] != "equal")
        if regions and regions[-1][0] and (op != "equal" or between_changes):
            regions[-1][2], regions[-1][4] = a2, b2  # one change, grown
        else:
            regions.append([op != "equal", a1, a2, b1, b2])
    changes: list[Change] = []
    for changed, a1, a2, b1, b2 in regions:
        removed, added = "".join(before[a1:a2]), "".join(after[b1:b2])
        if not changed:
            changes.append(Change("same", removed))
            continue
        changes += [Change(kind, text) for kind, text in (("removed", removed), ("added", added)) if text]
    return changes
