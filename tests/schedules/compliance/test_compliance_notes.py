"""Compliance notes: what a row says, made from its fields, one note per engine reason, and the
words chosen by whoever shows them (Vietnamese as written, or through a catalog)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from schedules.compliance import ComplianceRow
from schedules.compliance.notes import MESSAGES, Note, note_text, row_notes
from tests.schedules.compliance.test_compliance_engine import AFTER, THU, TUE, WEEK, count, one, weekly

# What the engine's English reason says for each note (the engine adds "0 more planned" to an
# unfinished period with nothing more planned; the note leaves it to the "needed" note).
ENGINE_SAYS = {
    "aired_short": r"^\d+ of \d+ airings aired(, 0 more planned)?$",
    "aired_short_planned": r"^\d+ of \d+ airings aired, [1-9]\d* more planned$",
    "missing_dates": r"(not aired|no airing) on ", "new_short": r"\d+ of \d+ new episodes aired",
    "unfilled_reservations": r"reservation\(s\) still without content", "needed": r"more airing\(s\) needed than planned",
    "over_max": r"more than the maximum", "duration_violations": r"outside the duration",
    "unscheduled": r"unscheduled airing\(s\) counted",
}
DURING = WEEK + timedelta(days=2)  # Wednesday: Tuesday is past, Thursday to come
BEFORE = WEEK - timedelta(days=1)


def row(**fields) -> ComplianceRow:
    values = dict(requirement="p/r", station="tk", period_start=WEEK, period_end=WEEK + timedelta(days=6),
                  partial=False, required_min=2, required_max=2, planned=2, aired=2, new_required=1, new_aired=1,
                  status="met")
    return ComplianceRow(**(values | fields))


@pytest.mark.parametrize(("fields", "vietnamese"), [
    ({}, []),
    ({"aired": 1, "status": "short", "missing_dates": (THU,)}, ["đã phát 1/2 lần", "thiếu ngày 19/11/2026"]),
    ({"aired": 0, "to_come": 1, "status": "at_risk", "needed": 1, "missing_dates": (TUE,)},
     ["đã phát 0/2 lần, còn 1 lần trong lịch", "thiếu ngày 17/11/2026", "lịch còn thiếu 1 lần phát"]),
    ({"new_aired": 0, "status": "short"}, ["đã phát 0/1 tin mới"]),
    ({"aired": 3, "status": "over"}, ["phát 3 lần, vượt mức tối đa 2"]),
    ({"aired": 3, "required_max": None}, []),
    ({"unfilled_reservations": 2, "status": "in_progress"}, ["2 chỗ chưa có nội dung"]),
    ({"needed": 1, "status": "short"}, []),  # "needed" is said of periods still at risk only
    ({"duration_violations": 1, "unscheduled": 2}, ["1 lần phát sai thời lượng", "2 lần phát ngoài lịch"]),
    ({"status": "short", "missing_dates": (TUE, THU)}, ["thiếu ngày 17/11/2026, 19/11/2026"]),
])
def test_notes_come_from_the_rows_fields_and_read_in_vietnamese(fields, vietnamese):
    assert [note_text(note) for note in row_notes(row(**fields))] == vietnamese


# (counts, today, requirement): the engine's cases, finished, current and future periods.
ENGINE_CASES = [
    ([count(TUE), count(THU)], AFTER, None),
    ([count(TUE), count(THU, aired=0)], AFTER, None),
    ([], AFTER, None),
    ([count(TUE), count(THU), count(THU, "e2", window="chieu")], AFTER, None),
    ([count(WEEK - timedelta(days=6), "e1"), count(TUE, "e1"), count(THU, "e1")], AFTER, None),
    ([count(TUE), count(THU, "e2", duration=200.0)], AFTER, weekly(duration_min=120, duration_max=180)),
    ([count(TUE), count(THU, "e1", unscheduled=True)], AFTER, None),
    ([count(TUE), count(THU, aired=0)], DURING, None),
    ([count(TUE, aired=0), count(THU, "e1", aired=0)], DURING, None),
    ([count(TUE), count(THU, None, aired=0)], DURING, None),
    ([count(TUE, aired=0), count(THU, "e1", aired=0)], BEFORE, None),
    ([count(TUE, aired=0)], BEFORE, None),
    ([count(TUE, "e0", aired=0), count(THU, "e0", aired=0), count(WEEK - timedelta(days=6), "e0")], BEFORE, None),
    ([count(TUE), count(THU), count(THU, "e2", window="chieu")], DURING, None),
]


def test_one_note_for_each_reason_of_the_engine_in_its_order():
    made = set()
    for counts, today, req in ENGINE_CASES:
        judged = one(counts, today=today, req=req)
        notes = row_notes(judged)
        assert len(notes) == len(judged.reasons), (notes, judged.reasons)
        for note, reason in zip(notes, judged.reasons):
            assert re.search(ENGINE_SAYS[note.code], reason), (note, reason)
        made |= {note.code for note in notes}
    assert made == set(MESSAGES) == set(ENGINE_SAYS)  # every kind of note was compared


def test_the_words_are_the_callers_choice():
    english = {MESSAGES["missing_dates"]: "no airing on %(dates)s", MESSAGES["over_max"]: "%(aired)s > %(maximum)s"}
    assert note_text(Note("missing_dates", {"dates": (date(2026, 3, 5),)}), english.get) == "no airing on 05/03/2026"
    assert note_text(Note("over_max", {"aired": 3, "maximum": 2}), english.get) == "3 > 2"
    with pytest.raises(KeyError):
        note_text(Note("unknown", {}))
