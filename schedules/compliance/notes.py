"""What a compliance row has to tell people, as notes made from the row's own fields.

The engine's `reasons` are English text for the CLI and the JSON API (and stay so). People read
notes instead: a note is a code and its values (numbers, dates), one per reason the engine
gives, in the same order. Whoever shows them picks the words: the report to hand in writes them
in Vietnamese (`note_text(note)`), the web pages in the page's language through their catalog
(`note_text(note, gettext)`). So which notes a row has is decided here, once.

The messages are Vietnamese and serve as msgids of the pages' catalog (marked with `N_`
for pybabel; this module never translates anything itself).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import NamedTuple

from ..marking import N_
from .model import ComplianceRow

MESSAGES: Mapping[str, str] = {
    "aired_short": N_("đã phát %(aired)s/%(required)s lần"),
    "aired_short_planned": N_("đã phát %(aired)s/%(required)s lần, còn %(to_come)s lần trong lịch"),
    "missing_dates": N_("thiếu ngày %(dates)s"),
    "new_short": N_("đã phát %(new_aired)s/%(new_required)s tin mới"),
    "unfilled_reservations": N_("%(count)s chỗ chưa có nội dung"),
    "needed": N_("lịch còn thiếu %(count)s lần phát"),
    "over_max": N_("phát %(aired)s lần, vượt mức tối đa %(maximum)s"),
    "duration_violations": N_("%(count)s lần phát sai thời lượng"),
    "unscheduled": N_("%(count)s lần phát ngoài lịch"),
}


class Note(NamedTuple):
    """One thing to say about a row: a key of MESSAGES and the values its message names."""

    code: str
    values: Mapping[str, int | tuple[date, ...]]


def row_notes(row: ComplianceRow) -> tuple[Note, ...]:
    """The row's notes, under the same conditions and in the same order as the engine's reasons."""
    notes = []
    if row.aired < row.required_min:
        counts = {"aired": row.aired, "required": row.required_min}
        notes.append(Note("aired_short_planned", counts | {"to_come": row.to_come}) if row.to_come
                     else Note("aired_short", counts))
    if row.missing_dates:
        notes.append(Note("missing_dates", {"dates": row.missing_dates}))
    if row.new_aired < row.new_required:
        notes.append(Note("new_short", {"new_aired": row.new_aired, "new_required": row.new_required}))
    if row.unfilled_reservations:
        notes.append(Note("unfilled_reservations", {"count": row.unfilled_reservations}))
    if row.status == "at_risk" and row.needed:
        notes.append(Note("needed", {"count": row.needed}))
    if row.required_max is not None and row.aired > row.required_max:
        notes.append(Note("over_max", {"aired": row.aired, "maximum": row.required_max}))
    if row.duration_violations:
        notes.append(Note("duration_violations", {"count": row.duration_violations}))
    if row.unscheduled:
        notes.append(Note("unscheduled", {"count": row.unscheduled}))
    return tuple(notes)


def note_text(note: Note, translate: Callable[[str], str] = N_) -> str:
    """The note as text: its message through `translate` (a catalog lookup; Vietnamese as it is by
    default), filled in. Dates are written dd/mm/yyyy in every language."""
    values = {name: ", ".join(f"{d:%d/%m/%Y}" for d in value) if isinstance(value, tuple) else value
              for name, value in note.values.items()}
    return translate(MESSAGES[note.code]) % values
