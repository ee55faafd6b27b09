"""Scripts tell people: a submitted version its area's approvers, a decision its writer."""
from __future__ import annotations

import pytest

from radio.scripts import operations as ops
from tests.factories import MADE
from tests.radio.notices_kit import told  # noqa: F401 (a fixture)


def _submitted(db, people):
    script = ops.add_script(db, people["writer"], people["series"], "Bản tin lúa", "Nội dung.", now=MADE)
    return script, ops.submit_script(db, people["writer"], script, now=MADE)


def test_a_submitted_version_is_told_to_the_approvers_of_its_area_only(db, people, told):
    script, version = _submitted(db, people)
    values = {"script": "Bản tin lúa", "series": "Chuyên mục Chuyển đổi số", "version": 1, "writer": "viet"}
    assert told(people["approver"]) == [("script.submitted", f"script-version:{version.id}", values)]
    assert told(people["outsider"]) == [] and told(people["writer"]) == []


def test_approval_is_told_to_the_writer(db, people, told):
    script, version = _submitted(db, people)
    ops.approve_script(db, people["approver"], script, now=MADE)
    assert told(people["writer"]) == [("script.approved", f"script-version:{version.id}",
                                       {"script": "Bản tin lúa", "series": "Chuyên mục Chuyển đổi số", "version": 1,
                                        "approver": "duyet"})]


def test_a_rejection_is_told_to_the_writer_with_its_reason(db, people, told):
    script, version = _submitted(db, people)
    ops.reject_script(db, people["approver"], script, "Thiếu ngày giờ", now=MADE)
    assert told(people["writer"]) == [("script.rejected", f"script-version:{version.id}",
                                       {"script": "Bản tin lúa", "series": "Chuyên mục Chuyển đổi số", "version": 1,
                                        "reason": "Thiếu ngày giờ", "approver": "duyet"})]


def test_nobody_is_told_of_what_they_did_themselves(db, people, told):
    """An approver who writes, submits and approves a script is told nothing."""
    approver = people["approver"]
    script = ops.add_script(db, approver, people["series"], "Tin riêng", "Nội dung.", now=MADE)
    ops.submit_script(db, approver, script, now=MADE)
    ops.approve_script(db, approver, script, now=MADE)
    assert told(approver) == []


def test_each_new_version_submitted_is_a_new_notice(db, people, told):
    script, first = _submitted(db, people)
    ops.reject_script(db, people["approver"], script, "Sửa lại", now=MADE)
    ops.edit_script(db, people["writer"], script, "Nội dung mới.", now=MADE)
    second = ops.submit_script(db, people["writer"], script, now=MADE)
    assert [about for _, about, _ in told(people["approver"])] == [f"script-version:{first.id}",
                                                                   f"script-version:{second.id}"]


def test_the_command_line_decision_tells_the_writer(app, db, people, told, runner):
    script, _ = _submitted(db, people)
    db.commit()
    result = runner.invoke(args=["scripts", "reject", str(script.id), "--reason", "Quá dài", "--as", "duyet"])
    assert result.exit_code == 0, result.output
    assert [(kind, values["reason"]) for kind, _, values in told(people["writer"])] == [("script.rejected", "Quá dài")]


def test_scripts_a_plan_file_submits_are_told_to_the_approvers(db, runner, tmp_path, told):
    from radio.auth.operations import add_user
    from tests.radio.plan_text import PLAN, write_plan

    first = runner.invoke(args=["import", str(write_plan(tmp_path, PLAN.replace("Chào mừng Ngày", "Mừng Ngày")))])
    assert first.exit_code == 0, first.output
    approver = add_user(db, None, "duyet-nt", "mat-khau-123", "approver", "TH-NT", now=MADE)
    db.commit()
    result = runner.invoke(args=["import", str(write_plan(tmp_path, PLAN, "v2.yaml"))])
    assert result.exit_code == 0, result.output
    assert [(kind, values["version"]) for kind, _, values in told(approver)] == [("script.submitted", 2)]
