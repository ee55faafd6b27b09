"""The draft written as a plan file for a person to finish: each record with its source as a
comment, each open question as a comment and a marked placeholder that the plan file's checks
refuse (a free-text field left open is left out, which they refuse as well)."""
from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

import yaml

from ..planfile import DEFAULT_TIMEZONE, FORMAT_VERSION
from .model import Draft, DraftRecord, Question

# Not a code, a count, a date nor a choice: the reader refuses it wherever one of those stands.
PLACEHOLDER = "?? chưa trả lời"
# Fields of free text, where any words pass, the placeholder's too: one left open is left
# out (the checks then say it is required), its question in the comment above the record.
_FREE_TEXT = {"title"}
_LISTS = {"levels", "areas", "stations", "days", "windows"}
_SECTIONS = ("series", "episodes", "requirements")


def plan_text(draft: Draft, answers: Mapping[tuple[str, str], Any] = {}, dropped: Set[str] = frozenset(),
              edits: Mapping[tuple[str, str], Any] = {}) -> str:
    """YAML of the draft in the plan format; ``answers`` and ``edits`` set a record's field by
    (key, field) (an edit to None removes it); records whose key is in ``dropped`` are left out."""
    plan = next(record for record in draft.records if record.section == "plan")
    plan_fields = _fields(plan, answers, edits)
    lines = [f"version: {FORMAT_VERSION}", f"timezone: {DEFAULT_TIMEZONE}", ""]
    lines += _comments(plan, answers) + _block({"plan": plan_fields}, 0, flow=False)
    for section in _SECTIONS:
        records = [record for record in draft.records if record.section == section and record.key not in dropped]
        if not records:
            continue
        lines += ["", f"{section}:"]
        for record in records:
            fields = _fields(record, answers, edits)
            if section == "requirements" and "stations" not in fields and "areas" not in fields:
                fields = {"areas": [plan_fields.get("issued_by", PLACEHOLDER)], **fields}
            if section == "requirements":
                fields = {"code": record.key, **fields}
            lines += ["  " + line for line in _comments(record, answers)] + _block([fields], 2)
    return "\n".join(lines) + "\n"


def _fields(record: DraftRecord, answers, edits) -> dict[str, Any]:
    fields = dict(record.fields)
    for question in record.questions:
        key = (record.key, question.field)
        if key in answers:
            fields[question.field] = _value(question.field, answers[key])
        elif question.field not in _FREE_TEXT:
            fields[question.field] = _value(question.field, PLACEHOLDER)
    for (key, field), value in edits.items():
        if key == record.key:
            if value is None:
                fields.pop(field, None)
            else:
                fields[field] = _value(field, value)
    return fields


def _value(field: str, value: Any) -> Any:
    """An answer in the shape its field takes: a level for ``levels`` is a list of one; a
    count for ``airings`` is its minimum."""
    if field in _LISTS and not isinstance(value, (list, tuple)):
        return [value]
    if field == "airings" and not isinstance(value, Mapping):
        return {"min": value}
    return list(value) if isinstance(value, tuple) else value


def _comments(record: DraftRecord, answers) -> list[str]:
    lines = []
    if record.source is not None:
        lines.append(f"# {record.source.where} (độ tin cậy {record.source.confidence:.1f}): "
                     f"{_one_line(record.source.text)}")
    lines += [f"# CÂU HỎI {question.field}: {_wording(question)}" for question in record.questions
              if (record.key, question.field) not in answers]
    return lines


def _wording(question: Question) -> str:
    text = question.message_id % dict(question.values) if question.values else question.message_id
    return text + (f" ({', '.join(question.choices)})" if question.choices else "")


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _block(value: Any, indent: int, flow: bool | None = None) -> list[str]:
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100, default_flow_style=flow)
    return [" " * indent + line for line in text.splitlines()]
