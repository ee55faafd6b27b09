"""A reading: what the voice says, and which stretch of the written text became which words.

The rules rewrite the text one after another, so a stretch may be rewritten twice
("02-03" → "02 đến 03" → "hai đến ba"). The text is kept as pieces that remember the
stretch of the original they came from: untouched pieces map character for character,
a rewritten piece maps as a whole. A rewrite that cuts into an earlier one takes over
its stretch; pieces whose stretches overlap become one expansion at the end.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from audio_library.text_vi.rules import Edit, Rule

__all__ = ["Expansion", "Reading", "read"]


@dataclass(frozen=True)
class Expansion:
    """``original`` (``text[start:end]`` of the written text) is said as ``spoken``."""

    start: int
    end: int
    original: str
    spoken: str


@dataclass(frozen=True)
class Reading:
    """The written ``text``, the ``spoken`` text, and the rewritten stretches in order."""

    text: str
    spoken: str
    expansions: tuple[Expansion, ...]


@dataclass(frozen=True)
class _Piece:
    text: str
    start: int
    end: int
    is_rewritten: bool = False
    is_heard: bool = False


def read(text: str, rules: Iterable[Rule], region: str) -> Reading:
    """``text`` composed (NFC), then rewritten by ``rules`` in order."""
    pieces = _composed(text)
    for rule in rules:
        edits = list(rule.edits("".join(piece.text for piece in pieces), region))
        if edits:
            pieces = _rewritten(pieces, edits, rule.is_heard)
    spoken = unicodedata.normalize("NFC", "".join(piece.text for piece in pieces))
    return Reading(text, spoken, tuple(_expansions(text, pieces)))


def _composed(text: str) -> list[_Piece]:
    """The text in NFC, each character (with its marks) a piece of its own stretch, so
    decomposed input still maps onto what was written."""
    if unicodedata.is_normalized("NFC", text):
        return [_Piece(text, 0, len(text))]
    pieces: list[_Piece] = []
    for start, end in _clusters(text):
        written = text[start:end]
        composed = unicodedata.normalize("NFC", written)
        pieces.append(_Piece(composed, start, end, is_rewritten=composed != written))
    if "".join(piece.text for piece in pieces) != unicodedata.normalize("NFC", text):
        return [_Piece(unicodedata.normalize("NFC", text), 0, len(text), is_rewritten=True)]
    return pieces


def _clusters(text: str) -> Iterable[tuple[int, int]]:
    """Spans of a starter character and the combining marks after it."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or unicodedata.combining(text[index]) == 0:
            yield start, index
            start = index


def _rewritten(pieces: Sequence[_Piece], edits: Sequence[Edit], is_heard: bool) -> list[_Piece]:
    """``pieces`` with each edit's stretch replaced by one rewritten piece."""
    cuts = sorted({offset for start, end, _ in edits for offset in (start, end)})
    result: list[_Piece] = []
    inside: list[_Piece] = []
    current = None  # the index of the edit whose stretch is being collected
    position, index = 0, 0
    for part in _cut(pieces, cuts):
        while index < len(edits) and edits[index][1] <= position:
            index += 1
        edit = None
        if index < len(edits):
            start = edits[index][0]
            if start < position or (start == position and part.text):
                edit = index
        if edit != current and current is not None:
            result.append(_joined(edits[current][2], inside, is_heard))
            inside = []
        current = edit
        (result if edit is None else inside).append(part)
        position += len(part.text)
    if current is not None:
        result.append(_joined(edits[current][2], inside, is_heard))
    return result


def _cut(pieces: Sequence[_Piece], cuts: Sequence[int]) -> Iterable[_Piece]:
    """The pieces, split at every cut that falls inside one."""
    position = 0
    for piece in pieces:
        end = position + len(piece.text)
        offsets = [cut - position for cut in cuts if position < cut < end]
        for left, right in zip([0, *offsets], [*offsets, len(piece.text)]):
            if not piece.is_rewritten:
                yield _Piece(piece.text[left:right], piece.start + left, piece.start + right)
            else:
                yield replace(piece, text=piece.text[left:right])
        position = end


def _joined(words: str, inside: Sequence[_Piece], is_heard: bool) -> _Piece:
    """One rewritten piece standing for everything the edit covered."""
    return _Piece(
        words, min(piece.start for piece in inside), max(piece.end for piece in inside),
        is_rewritten=True, is_heard=is_heard or any(piece.is_heard for piece in inside),
    )


def _expansions(text: str, pieces: Sequence[_Piece]) -> Iterable[Expansion]:
    """Rewritten pieces merged where their stretches overlap; the heard ones."""
    merged: list[_Piece] = []
    for piece in pieces:
        if not piece.is_rewritten:
            continue
        last = merged[-1] if merged else None
        if last and (piece.start < last.end or (piece.start, piece.end) == (last.start, last.end)):
            merged[-1] = _Piece(
                last.text + piece.text, last.start, max(last.end, piece.end),
                is_rewritten=True, is_heard=last.is_heard or piece.is_heard,
            )
        else:
            merged.append(piece)
    for piece in merged:
        if piece.is_heard:
            spoken = unicodedata.normalize("NFC", " ".join(piece.text.split()))
            yield Expansion(piece.start, piece.end, text[piece.start:piece.end], spoken)
