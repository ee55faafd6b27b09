"""The audit log's words: every action code radio writes has its phrase, and recorded values read
as a person writes them."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from radio.accounts.audit_words import ACTIONS, GENERIC_ACTION, action_phrase, field_label, say
from radio.models import AuditLog
from radio.plans.operations import import_plan
from tests.factories import MADE
from tests.radio.plan_text import PLAN, write_plan

RADIO = Path(__file__).resolve().parents[3] / "radio"
CODE = re.compile(r"[a-z_]+\.[a-z_]+")
# The calls that pass an action code on to the audit log (audit.record and values, and the
# helpers of the plan import, scripts and schedule edits that call them).
AUDIT_CALLS = {"record", "values", "_decided", "_edited", "_audit_child"}


def literal_action_codes() -> dict[str, str]:
    """Every action code written as a literal in a call that audits, with the file it is in."""
    found = {}
    for path in RADIO.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in AUDIT_CALLS:
                for arg in node.args:
                    for inner in ast.walk(arg):
                        if isinstance(inner, ast.Constant) and isinstance(inner.value, str) \
                                and CODE.fullmatch(inner.value):
                            found[inner.value] = str(path.relative_to(RADIO))
    return found


def test_every_literal_action_code_has_its_phrase():
    codes = literal_action_codes()
    assert {"user.add", "glossary.remove", "schedule.unpin", "script.create", "compliance.freeze"} <= set(codes)
    assert {code: where for code, where in codes.items() if code not in ACTIONS} == {}


def test_every_action_a_plan_import_writes_has_its_phrase(app, db, tmp_path):
    """The import builds its codes from record kinds (f"{kind}.update"): import, then change
    and prune, and look at what it wrote."""
    import_plan(db, write_plan(tmp_path), None, now=MADE)
    changed = (PLAN.replace("Đài truyền thanh xã Thanh Kỳ", "Đài xã Thanh Kỳ")
               .replace('closed: ["2027-02-16", "2027-02-17"]', 'closed: ["2027-02-16"]')
               .replace('title: "Tiếp sóng Đài tỉnh"', 'title: "Tiếp sóng Đài Thanh Hóa"')
               .replace('"Chào mừng Ngày', '"Hưởng ứng Ngày')
               .replace('      - {name: chieu, days: [MO, TU, WE, TH, FR, SA], start: 17:00, end: "17:30", '
                        'from: "2026-04-01", to: "2026-09-30"}\n', "")
               .replace("    windows: [sang, chieu]\n", "    windows: [sang]\n")
               .replace("  - code: cds-w48\n    series: cds\n    title: \"Bản tin chuyển đổi số tuần 48\"\n"
                        "    available_from: \"2026-11-23\"\n    expires: \"2027-01-31\"\n", ""))
    import_plan(db, write_plan(tmp_path, changed, "changed.yaml"), None, prune=True, now=MADE)
    written = set(db.scalars(select(AuditLog.action).distinct()))
    assert {"station.update", "window.delete", "closed_date.delete", "block.update", "episode.delete",
            "script.update", "requirement.update", "area.create"} <= written
    assert written - set(ACTIONS) == set()


def test_an_unknown_action_reads_as_a_generic_phrase(app):
    with app.test_request_context():
        assert action_phrase("mystery.thing") == str(GENERIC_ACTION) == "Thay đổi khác"
        assert action_phrase("user.passwd") == "Đặt lại mật khẩu"
        assert field_label("reading") == "Cách đọc" and field_label("odd_field") == "odd field"


@pytest.mark.parametrize("field, value, said", [
    ("role", "approver", "Người duyệt"),
    ("must_change_password", True, "có"),
    ("is_pinned", False, "không"),
    ("start_at", "2026-11-23T22:30:00+00:00", "24/11/2026 05:30"),  # in the stations' zone
    ("from", "2026-11-02", "02/11/2026"),
    ("start_time", "05:30:00", "05:30"),
    ("days", ["MO", "SU"], "Thứ 2, Chủ nhật"),
    ("entries", ["3f1c…", "9a0b…"], "2 mục"),
    ("duration_s", 150.4, "2 phút 30 giây"),
    ("period", "week", "tuần"),
    ("reading", "ban chỉ đạo", "ban chỉ đạo"),
    ("expires", None, "—"),
    ("area", "TH-NT", "huyện Như Thanh"),
])
def test_recorded_values_read_as_words(app, field, value, said):
    with app.test_request_context():
        assert say(field, value, lambda kind, code: {"TH-NT": "huyện Như Thanh"}[code]) == said
