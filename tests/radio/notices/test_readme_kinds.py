"""The README's table of notices names every kind of event, once, with its e-mail default as the
code has it (a kind added later must be listed with who is told)."""
from __future__ import annotations

import re
from pathlib import Path

from radio.notices import kinds

README = Path(__file__).resolve().parents[3] / "README.md"


def notice_table() -> dict[str, str]:
    """kind → the table's last column ("yes"/"no"), from the rows of README's "Notices" section."""
    section = README.read_text(encoding="utf-8").split("\n## Notices\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        found = re.search(r"\(`([a-z]+\.[a-z]+)`\)", cells[0]) if line.startswith("|") else None
        if found:
            assert found.group(1) not in rows, f"{found.group(1)} is listed twice"
            assert all(cells), f"a cell of {found.group(1)}'s row is empty"
            rows[found.group(1)] = cells[-1]
    return rows


def test_the_readme_lists_every_kind_with_its_email_default():
    rows = notice_table()
    assert sorted(rows) == sorted(kinds.KINDS)
    assert {kind for kind, by_mail in rows.items() if by_mail == "yes"} == set(kinds.EMAIL_BY_DEFAULT)
    assert {kind for kind, by_mail in rows.items() if by_mail == "no"} == set(kinds.KINDS) - kinds.EMAIL_BY_DEFAULT
