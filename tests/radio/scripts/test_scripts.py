"""Script versions and approval: who may do what, and what stays airable."""
import pytest
from sqlalchemy import select

from radio.models import AuditLog, Script
from radio.scripts import operations as ops
from tests.factories import MADE


def test_the_flow_draft_submitted_approved(db, people):
    script = ops.add_script(db, people["writer"], people["series"], "Bản tin", "Nội dung một.", now=MADE)
    assert script.latest.status == "draft" and script.approved_version_id is None
    ops.submit_script(db, people["writer"], script, now=MADE)
    version = ops.approve_script(db, people["approver"], script, now=MADE)
    assert (version.status, version.decided_by_id) == ("approved", people["approver"].id)
    assert version.decided_at is not None and script.approved_version_id == version.id
    actions = db.scalars(select(AuditLog.action).where(AuditLog.object_type == "script")
                         .order_by(AuditLog.id)).all()
    assert actions == ["script.draft", "script.submit", "script.approve"]


def test_an_operator_cannot_approve(db, people):
    script = ops.add_script(db, people["writer"], people["series"], "Bản tin", "Nội dung.", now=MADE)
    ops.submit_script(db, people["writer"], script, now=MADE)
    with pytest.raises(ops.ScriptError, match="approver rights there are needed"):
        ops.approve_script(db, people["writer"], script, now=MADE)


def test_an_approver_of_another_area_cannot_approve(db, people):
    script = ops.add_script(db, people["writer"], people["series"], "Bản tin", "Nội dung.", now=MADE)
    ops.submit_script(db, people["writer"], script, now=MADE)
    with pytest.raises(ops.ScriptError, match="may not approve scripts of C1"):
        ops.approve_script(db, people["outsider"], script, now=MADE)


@pytest.mark.parametrize("step", ["draft", "rejected"])
def test_only_a_submitted_version_can_be_approved(db, people, step):
    script = ops.add_script(db, people["writer"], people["series"], "Bản tin", "Nội dung.", now=MADE)
    if step == "rejected":
        ops.submit_script(db, people["writer"], script, now=MADE)
        ops.reject_script(db, people["approver"], script, "Sai số liệu", now=MADE)
    with pytest.raises(ops.ScriptError, match=f"is {step}, not submitted"):
        ops.approve_script(db, people["approver"], script, now=MADE)


@pytest.mark.parametrize("text", ["...", " !!! ", "./."])
def test_a_text_with_nothing_to_read_is_refused(db, people, text):
    with pytest.raises(ops.ScriptError, match="no letter or digit to read") as refused:
        ops.add_script(db, people["writer"], people["series"], "Bản tin", text, now=MADE)
    assert refused.value.reason == "nothing_to_read"
    script = ops.add_script(db, people["writer"], people["series"], "Bản tin", "Nội dung.", now=MADE)
    with pytest.raises(ops.ScriptError, match="no letter or digit to read"):
        ops.edit_script(db, people["writer"], script, text, now=MADE)


def test_a_rejection_needs_a_reason_and_keeps_it(db, people):
    script = ops.add_script(db, people["writer"], people["series"], "Bản tin", "Nội dung.", now=MADE)
    ops.submit_script(db, people["writer"], script, now=MADE)
    with pytest.raises(ops.ScriptError, match="needs a reason"):
        ops.reject_script(db, people["approver"], script, "  ", now=MADE)
    version = ops.reject_script(db, people["approver"], script, "Thiếu nguồn", now=MADE)
    assert (version.status, version.reason) == ("rejected", "Thiếu nguồn")


def test_editing_an_approved_script_keeps_the_approved_version_airable(db, people):
    script = ops.add_script(db, people["writer"], people["series"], "Bản tin", "Bản một.", now=MADE)
    ops.submit_script(db, people["writer"], script, now=MADE)
    approved = ops.approve_script(db, people["approver"], script, now=MADE)
    draft = ops.edit_script(db, people["writer"], script, "Bản hai.", now=MADE)
    assert (draft.number, draft.status) == (2, "draft")
    assert script.approved_version_id == approved.id and script.approved_version.text == "Bản một."
    ops.submit_script(db, people["writer"], script, now=MADE)
    ops.approve_script(db, people["approver"], script, now=MADE)
    assert script.approved_version.text == "Bản hai."


def test_writing_needs_a_person_with_rights(db, people):
    with pytest.raises(ops.ScriptError, match="needs --as"):
        ops.add_script(db, None, people["series"], "Bản tin", "Nội dung.", now=MADE)
    with pytest.raises(ops.ScriptError, match="may not write"):
        ops.add_script(db, people["outsider"], people["series"], "Bản tin", "Nội dung.", now=MADE)


def test_cli_add_prints_the_id_and_the_flow_works(runner, db, people):
    db.commit()
    added = runner.invoke(args=["scripts", "add", "--series", "cds", "--title", "Khẩu hiệu",
                                "--text", "Chào mừng Ngày Chuyển đổi số quốc gia.", "--as", "viet"])
    assert added.exit_code == 0, added.output
    script_id = int(added.output.strip())
    assert db.get(Script, script_id).title == "Khẩu hiệu"
    assert runner.invoke(args=["scripts", "submit", str(script_id), "--as", "viet"]).exit_code == 0
    refused = runner.invoke(args=["scripts", "approve", str(script_id), "--as", "viet"])
    assert refused.exit_code == 1 and "approver rights" in refused.output
    approved = runner.invoke(args=["scripts", "approve", str(script_id), "--as", "duyet"])
    assert approved.exit_code == 0 and "approved" in approved.output
    shown = runner.invoke(args=["scripts", "show", str(script_id)])
    assert "v1 approved by duyet" in shown.output and "airable" in shown.output
    assert f"user {people['approver'].id}" not in shown.output
