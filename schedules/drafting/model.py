"""What a draft is made of: the document's sentences and the records read from them.

A record keeps the plan format's own keys in ``fields`` (dates as ``YYYY-MM-DD`` text, lists
as lists), so that the review page can show and edit them and ``plan_text`` can write them as
they are. Whatever the reader could not settle is a Question, and its field stays out of
``fields`` until a person answers it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field as attribute

from .messages import QUESTIONS, REFUSALS

SECTIONS = ("plan", "series", "episodes", "requirements")
_WHERE = re.compile(r"(?:trang (?P<page>\d+), )?đoạn (?P<paragraph>\d+)")


@dataclass(frozen=True)
class Position:
    """Where a paragraph is: its number in the document, and its page in a PDF (None otherwise).

    ``where`` names it as the draft keeps it and the plan file's comments write it ("trang 2,
    đoạn 14", "đoạn 14"); the pages say it in the reader's language from the numbers."""

    paragraph: int
    page: int | None = None

    @property
    def where(self) -> str:
        return f"đoạn {self.paragraph}" if self.page is None else f"trang {self.page}, đoạn {self.paragraph}"

    @classmethod
    def of(cls, where: str) -> Position | None:
        """The position a ``where`` names; None for one that names no paragraph."""
        match = _WHERE.fullmatch(where)
        if match is None:
            return None
        return cls(int(match["paragraph"]), int(match["page"]) if match["page"] else None)


@dataclass(frozen=True)
class Sentence:
    """One paragraph of the document; ``where`` is "trang 2, đoạn 14" (PDF) or "đoạn 14"."""

    where: str
    text: str

    @property
    def position(self) -> Position | None:
        return Position.of(self.where)


@dataclass(frozen=True)
class Source:
    """The sentence a record was read from and how sure the reading is (0..1)."""

    where: str
    text: str
    confidence: float

    @property
    def position(self) -> Position | None:
        return Position.of(self.where)


@dataclass(frozen=True)
class Question:
    """A field the reader could not settle; ``code`` + ``values`` say why (messages.QUESTIONS),
    ``choices`` are the answers it offers, the likeliest first (empty: any value)."""

    field: str
    code: str
    values: Mapping[str, object] = attribute(default_factory=dict)
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.code not in QUESTIONS:
            raise ValueError(f"no wording for question {self.code!r}")

    @property
    def message_id(self) -> str:
        return QUESTIONS[self.code]


@dataclass(frozen=True)
class DraftRecord:
    """One record of the plan file to be: ``section`` is a plan-format section ("plan" for the
    plan itself), ``key`` its code (unique in the draft)."""

    section: str
    key: str
    fields: Mapping[str, object]
    source: Source | None
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Draft:
    sentences: tuple[Sentence, ...]
    records: tuple[DraftRecord, ...]

    def record(self, key: str) -> DraftRecord:
        return next(record for record in self.records if record.key == key)

    @property
    def questions(self) -> tuple[tuple[str, Question], ...]:
        """Every open question, with the key of its record."""
        return tuple((record.key, question) for record in self.records for question in record.questions)


class DraftError(ValueError):
    """A document that gives no draft: ``code`` (a key of messages.REFUSALS) and ``values``
    for the pages, the English message for the command line."""

    def __init__(self, code: str, message: str, **values: object) -> None:
        if code not in REFUSALS:
            raise ValueError(f"no wording for refusal {code!r}")
        super().__init__(message)
        self.code, self.values = code, values

    @property
    def message_id(self) -> str:
        return REFUSALS[self.code]


def draft_to_json(draft: Draft) -> dict:
    """The draft as plain JSON values, for the review page to keep between requests."""
    return asdict(draft)


def draft_from_json(data: Mapping) -> Draft:
    """The inverse of ``draft_to_json``."""
    return Draft(
        sentences=tuple(Sentence(**sentence) for sentence in data["sentences"]),
        records=tuple(DraftRecord(
            section=record["section"], key=record["key"], fields=dict(record["fields"]),
            source=None if record["source"] is None else Source(**record["source"]),
            questions=tuple(Question(question["field"], question["code"], dict(question["values"]),
                                     tuple(question["choices"])) for question in record["questions"]),
        ) for record in data["records"]))
