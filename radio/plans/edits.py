"""Edits made in forms go through the plan file's own reader and the import's own writer.

A form's values become a small plan-file document (the plan's header plus the one record
edited: `operations.save_records`), which `schedules.planfile.parse_plan` checks exactly as it
checks a file, against what the database holds; `operations.import_document` then writes it as
an import would (only changed fields, each audited). So a value the import refuses is refused
by the form with the same message, and there is one set of rules, not two.
Problems come back with field paths (``stations[0].windows[1].end``, ``plan.title``), which
`field_errors` turns into the form's field names (``windows-1-end``, ``title``).
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from schedules.planfile import PlanFileError

from ..models import Plan, User
from ..ui.fields import add_error
from ..ui.words import words
from .operations import ImportSummary, save_records


def save_record(session: Session, actor: User, plan: Plan, section: str, record: dict, *,
                now: datetime) -> ImportSummary:
    """Check `record` as a plan file's `section` entry and write it; PlanFileError when refused."""
    return save_records(session, actor, plan, {section: [record]}, now=now)


def show_problems(form, error: PlanFileError, section: str, kept_rows: dict | None = None) -> list[str]:
    """Put each problem next to its field; returns those that no field of the form shows.

    `kept_rows` maps a list field to the form rows sent to the reader (blank rows are left
    out), so that ``windows[1]`` is shown on the row the user filled in as the third.
    """
    fields = dict(_fields_by_name(form))
    by_field, general = field_errors(error, section, set(fields), kept_rows or {})
    for name, messages in by_field.items():
        field = fields[name]
        while field.type == "FormField":  # min > max, a whole row: shown at its first field
            field = next(iter(field.form))
        add_error(field, *messages)
    return general


def _fields_by_name(form):
    for field in form:
        yield field.name, field
        if field.type == "FormField":
            yield from _fields_by_name(field.form)
        elif field.type == "FieldList":
            for entry in field.entries:
                yield entry.name, entry
                if entry.type == "FormField":
                    yield from _fields_by_name(entry.form)


def field_errors(error: PlanFileError, section: str, field_names: set[str],
                 kept_rows: dict | None = None) -> tuple[dict, list[str]]:
    """The problems by form field name, and those that no field of the form shows.

    ``requirements[0].airings.min`` becomes ``airings-min`` (WTForms' name for a subform's
    field); a list item (``closed[2]``, ``days[0]``) goes to the field of the whole list.
    """
    by_field: dict[str, list[str]] = {}
    general = []
    prefix = re.compile(rf"^{re.escape(section)}(\[0\])?\.?")  # the header, "plan", is no list
    for problem in error.problems:
        name = re.sub(r"\[(\d+)\]", r"-\1", prefix.sub("", problem.field)).replace(".", "-")
        name = _renumber(name, kept_rows or {})
        while name and name not in field_names:
            name = name.rpartition("-")[0]
        said = words(problem)
        if name:
            by_field.setdefault(name, []).append(said)
        else:
            general.append(f"{problem.field}: {said}" if problem.field else said)
    return by_field, general


def _renumber(name: str, kept_rows: dict) -> str:
    head, _, rest = name.partition("-")
    index, _, tail = rest.partition("-")
    if head in kept_rows and index.isdigit() and int(index) < len(kept_rows[head]):
        return "-".join(part for part in (head, str(kept_rows[head][int(index)]), tail) if part)
    return name


def split_codes(text: str | None) -> list[str]:
    """Codes typed into one box, separated by spaces or commas."""
    return [code for code in re.split(r"[\s,]+", text or "") if code]
