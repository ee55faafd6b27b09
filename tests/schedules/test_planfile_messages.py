"""Every problem a plan file can have says it to the web pages too: a code of messages.MESSAGES
(Vietnamese msgids the pages translate) with the values its message names."""
from __future__ import annotations

import pathlib

import pytest

from schedules.planfile import Problem
from schedules.planfile.messages import MESSAGES, Term
from tests.schedules.test_planfile_problems import BASE, CASES, SHAPES, plan_dir, problems_of  # noqa: F401

EDITS = [(case[1], case[2]) for case in CASES] + [(shape[0], shape[1]) for shape in SHAPES]


def _filled(problem: Problem) -> str:
    values = {name: value.message_id if isinstance(value, Term) else value for name, value in problem.values.items()}
    return problem.message_id % values


@pytest.mark.parametrize(("old", "new"), EDITS, ids=[f"{i}" for i in range(len(EDITS))])
def test_each_problem_has_a_message_with_its_values(plan_dir: pathlib.Path, old: str, new: str) -> None:
    for problem in problems_of(BASE.replace(old, new, 1), plan_dir):
        assert problem.message_id, problem
        assert "%(" not in _filled(problem), problem


def test_the_cases_reach_most_messages(plan_dir: pathlib.Path) -> None:
    """The rest come from files as a whole (suffix, encoding, syntax, limits: test_planfile_problems) and from
    the import itself."""
    seen = {p.code for old, new in EDITS for p in problems_of(BASE.replace(old, new, 1), plan_dir)}
    elsewhere = {"wrong_suffix", "not_utf8", "invalid_yaml", "invalid_json", "file_empty", "aliases",
                 "top_not_mapping", "audio_refused", "in_use",
                 "file_too_large", "too_deep", "too_many_items", "too_long"}
    assert sorted(set(MESSAGES) - seen - elsewhere) == []


def test_a_code_without_a_message_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="no message 'typo'"):
        Problem("p.yaml", 1, "", "typo", "typo")
