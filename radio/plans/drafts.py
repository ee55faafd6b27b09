"""Plan drafts: an official plan document read into a draft (schedules.drafting), kept while the
office answers its questions, edits or drops its records, then imported through the plan file's
own checks (`plan_text` → the reader → `import_document`) or discarded.

The stored answers and edits are [key, field, value] triples; `review` turns a stored draft back
into what `plan_text` takes.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from schedules.drafting import (Draft, DraftError, DraftRecord, Question, draft_from_json, draft_plan, draft_to_json, plan_text,
                                read_document)
from schedules.drafting.messages import REFUSALS

from .. import audit
from ..errors import RadioError
from ..models import Area, PlanDraft, User
from .operations import import_text
from .writer import ImportSummary

ISSUER = ("plan", "issued_by")  # the question, or the edit, that names the issuing area


class DocumentRefused(RadioError):
    """A document that gives no draft: not a plan, empty, broken or locked (the core's refusals)."""

    status, code = 422, "document_refused"
    messages = REFUSALS


@dataclass(frozen=True)
class Review:
    """A stored draft as `plan_text` takes it."""

    draft: Draft
    answers: dict[tuple[str, str], Any]
    edits: dict[tuple[str, str], Any]
    dropped: frozenset[str]

    @property
    def open_questions(self) -> list[tuple[str, Question]]:
        """The questions still to answer, of the records kept."""
        return [(key, q) for key, q in self.draft.questions
                if key not in self.dropped and (key, q.field) not in self.answers]

    def fields(self, record: DraftRecord) -> dict[str, Any]:
        """The record's fields as the person left them (edits in, removed ones out)."""
        fields = {**record.fields, **{f: v for (k, f), v in self.edits.items() if k == record.key}}
        return {f: v for f, v in fields.items() if v is not None}

    def text(self) -> str:
        return plan_text(self.draft, self.answers, self.dropped, self.edits)


def review(row: PlanDraft) -> Review:
    return Review(draft_from_json(row.draft), {(k, f): v for k, f, v in row.answers},
                  {(k, f): v for k, f, v in row.edits}, frozenset(row.dropped))


def start_draft(session: Session, actor: User | None, data: bytes, filename: str, *, areas: Sequence[Area],
                fallback: Area, now: datetime) -> PlanDraft:
    """Read the document and keep its draft. Its issuing area is the one the document names, when
    it is one of `areas` (those the person may act on), else `fallback`; DocumentRefused when
    the document gives no draft."""
    try:
        draft = draft_plan(read_document(data, filename), [(a.code, a.name, a.level) for a in areas])
    except DraftError as exc:
        raise DocumentRefused(str(exc), reason=exc.code, values=exc.values) from None
    plan = draft.record("plan")
    issuer = next((a for a in areas if a.code == plan.fields.get("issued_by")), None)
    answers = []
    if issuer is None:
        issuer = fallback
        if any(q.field == "issued_by" for q in plan.questions):
            answers.append([*ISSUER, fallback.code])
    row = PlanDraft(area=issuer, user=actor, created_at=now, filename=filename, draft=draft_to_json(draft),
                    answers=answers, edits=[], dropped=[])
    session.add(row)
    session.flush()
    audit.record(session, actor, "plan_draft.create", "plan_draft", _audit_key(row), at=now, area=issuer,
                 after={"file": filename})
    return row


def save_record(session: Session, row: PlanDraft, key: str, answers: Mapping[str, Any],
                edits: Mapping[str, Any], *, issuer: Area | None = None) -> None:
    """A record's answers (by field; blank ones stay open) and edits (by field: the value, None to
    remove the field, and a field back at its drafted value is no edit). `issuer`: the issuing area
    the person chose, which also moves the draft's scope."""
    current = review(row)
    record = current.draft.record(key)
    answered = {**{k: v for k, v in current.answers.items() if k[0] != key},
                **{(key, field): value for field, value in answers.items() if value not in (None, "")}}
    edited = {k: v for k, v in current.edits.items() if k[0] != key}
    edited |= {(key, field): value for field, value in edits.items() if record.fields.get(field) != value}
    row.answers = [[k, f, v] for (k, f), v in answered.items()]
    row.edits = [[k, f, v] for (k, f), v in edited.items()]
    if issuer is not None:
        row.area = issuer
    session.flush()


def drop_record(session: Session, row: PlanDraft, key: str, dropped: bool) -> None:
    """Leave the record out of the plan (or take it back)."""
    row.dropped = sorted(set(row.dropped) - {key} | ({key} if dropped else set()))
    session.flush()


def import_draft(session: Session, actor: User | None, row: PlanDraft, *, now: datetime) -> tuple[str, ImportSummary]:
    """Import the draft as a plan file is imported (PlanFileError listing every problem, nothing
    written); then the draft is done. Returns the plan's code and what was written."""
    current = review(row)
    summary = import_text(session, actor, None, current.text(), _source(row), now)
    plan_code = current.edits.get(("plan", "code"), current.draft.record("plan").fields.get("code"))
    audit.record(session, actor, "plan_draft.import", "plan_draft", _audit_key(row), at=now, area=row.area,
                 after={"plan": plan_code})
    session.delete(row)
    session.flush()
    return plan_code, summary


def discard_draft(session: Session, actor: User | None, row: PlanDraft, *, now: datetime) -> None:
    audit.record(session, actor, "plan_draft.discard", "plan_draft", _audit_key(row), at=now, area=row.area)
    session.delete(row)
    session.flush()


def _audit_key(row: PlanDraft) -> str:
    """The draft as the audit log names it: by its document."""
    return row.filename[:200]


def _source(row: PlanDraft) -> str:
    """The name the draft's problems give its text (a YAML file named after the document)."""
    return row.filename.rsplit(".", 1)[0] + ".yaml"
