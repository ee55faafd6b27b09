"""The word choices of the three regions a station can speak for.

Number words differ: the North says "nghìn" and "một trăm linh năm", the Centre and the
South "ngàn" and "một trăm lẻ năm". The table is data so a choice can be added in one
place; only the number words this package composes follow it, never the writer's words.
"""

from __future__ import annotations

import re
from types import MappingProxyType

__all__ = ["REGIONS", "checked_region", "regional"]

REGIONS = ("north", "central", "south")

# The northern word (as composed by numbers.py) → the region's word.
_WORD_CHOICES = MappingProxyType({
    "north": MappingProxyType({"nghìn": "nghìn", "lẻ": "linh"}),
    "central": MappingProxyType({"nghìn": "ngàn", "lẻ": "lẻ"}),
    "south": MappingProxyType({"nghìn": "ngàn", "lẻ": "lẻ"}),
})
_CHOICE_WORDS = re.compile(r"\b(?:nghìn|lẻ)\b")


def checked_region(region: str) -> str:
    """``region`` if it is one of ``REGIONS``; a ``ValueError`` naming them otherwise."""
    if region not in REGIONS:
        raise ValueError(f"region must be one of {', '.join(REGIONS)}, got {region!r}")
    return region


def regional(number_words: str, region: str) -> str:
    """Number words composed with "nghìn" and "lẻ", in the words of ``region``."""
    choices = _WORD_CHOICES[region]
    return _CHOICE_WORDS.sub(lambda match: choices[match.group(0)], number_words)
