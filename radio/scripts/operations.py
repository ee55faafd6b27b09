"""Script operations: versions and approval (flush only; the caller commits).

A script's versions move draft → submitted → approved | rejected. Editing makes a new draft
version; the approved version stays the airable one until a newer one is approved.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from audio_library.speech import checked_text
from schedules.marking import N_

from .. import audit, notices
from ..auth.permissions import may, roles_for
from ..auth.scope import users_who_may
from ..errors import RadioError
from ..models import Script, ScriptVersion, Series, User
from ..notices import kinds


class ScriptError(RadioError):
    """A script operation refused, with a message that says why."""

    messages = {
        "no_rights": N_("bạn không có quyền làm việc này với kịch bản của %(area)s"),
        "unchanged": N_("nội dung chưa thay đổi"),
        "empty": N_("kịch bản chưa có nội dung"),
        "nothing_to_read": N_("kịch bản không có chữ hay số nào để đọc"),
        "no_reason": N_("từ chối cần ghi rõ lý do"),
        "not_draft": N_("bản %(number)s đã được gửi duyệt hoặc đã có quyết định"),
        "not_submitted": N_("bản %(number)s không còn chờ duyệt (đã được duyệt, bị từ chối, hoặc có bản mới hơn)"),
        "not_approved": N_("kịch bản chưa có bản được duyệt, nên chưa tạo được bản đọc"),
    }


def _area(script_or_series):
    series = script_or_series if isinstance(script_or_series, Series) else script_or_series.series
    return series.plan.issued_by


def _require(actor: User | None, action: str, area, doing: str) -> None:
    if actor is None:
        raise ScriptError(f"{doing} needs --as USERNAME (it is audited)")
    if not may(actor, action, area):
        raise ScriptError(f"{actor.username} may not {doing} scripts of {area.code}: "
                          f"{' or '.join(roles_for(action))} rights there are needed",
                          reason="no_rights", values={"area": area.name})


def add_script(session: Session, actor: User | None, series: Series, title: str, text: str, *,
               now: datetime, for_requirements: bool = True) -> Script:
    """`for_requirements`: whether its episode may fill the series' requirements (Episode.for_requirements)."""
    _require(actor, "script.write", _area(series), "write")
    script = Script(series=series, title=title, for_requirements=for_requirements, created_at=now)
    session.add(script)
    _new_version(session, actor, script, text, now)
    return script


def edit_script(session: Session, actor: User | None, script: Script, text: str, *, now: datetime) -> ScriptVersion:
    """A new draft version; an approved one stays airable meanwhile."""
    _require(actor, "script.write", _area(script), "edit")
    if script.latest.text == text:
        raise ScriptError("the text is unchanged", reason="unchanged")
    return _new_version(session, actor, script, text, now)


def _new_version(session: Session, actor: User, script: Script, text: str, now: datetime) -> ScriptVersion:
    if not text.strip():
        raise ScriptError("the script text is empty", reason="empty")
    try:
        checked_text(text)
    except ValueError:  # "...", "!!!": no voice can read it, and voicing it would fail after approval
        raise ScriptError("the script text has no letter or digit to read", reason="nothing_to_read") from None
    version = ScriptVersion(script=script, number=len(script.versions) + 1, text=text, status="draft",
                            created_by_id=actor.id, created_at=now)
    session.add(version)
    session.flush()
    audit.record(session, actor, "script.draft", "script", str(script.id), at=now, area=_area(script),
                 after={"version": version.number, "title": script.title,
                        "for_requirements": script.for_requirements})
    return version


def submit_script(session: Session, actor: User | None, script: Script, *, now: datetime) -> ScriptVersion:
    _require(actor, "script.write", _area(script), "submit")
    version = _latest_in(script, "draft", "submit")
    version.status, version.submitted_at = "submitted", now
    _decided(session, actor, script, version, "script.submit", now)
    tell_approvers(session, actor, version, now)
    return version


def approve_script(session: Session, actor: User | None, script: Script, *, now: datetime) -> ScriptVersion:
    """Only an approver of the series' plan area may approve; who and when are recorded."""
    _require(actor, "script.approve", _area(script), "approve")
    version = _latest_in(script, "submitted", "approve")
    version.status, version.decided_by_id, version.decided_at = "approved", actor.id, now
    script.approved_version = version
    _decided(session, actor, script, version, "script.approve", now)
    _tell(session, kinds.SCRIPT_APPROVED, _writer(session, actor, version), version, now, approver=actor.name)
    return version


def reject_script(session: Session, actor: User | None, script: Script, reason: str, *,
                  now: datetime) -> ScriptVersion:
    _require(actor, "script.approve", _area(script), "reject")
    if not reason.strip():
        raise ScriptError("a rejection needs a reason", reason="no_reason")
    version = _latest_in(script, "submitted", "reject")
    version.status, version.decided_by_id, version.decided_at, version.reason = "rejected", actor.id, now, reason
    _decided(session, actor, script, version, "script.reject", now, reason=reason)
    _tell(session, kinds.SCRIPT_REJECTED, _writer(session, actor, version), version, now, reason=reason,
          approver=actor.name)
    return version


def _latest_in(script: Script, status: str, doing: str) -> ScriptVersion:
    version = script.latest
    if version.status != status:
        raise ScriptError(f"cannot {doing} script {script.id}: its latest version ({version.number}) "
                          f"is {version.status}, not {status}", reason="not_draft" if status == "draft" else
                          "not_submitted", values={"number": version.number})
    return version


def _decided(session: Session, actor: User, script: Script, version: ScriptVersion, action: str, now: datetime,
             **extra) -> None:
    audit.record(session, actor, action, "script", str(script.id), at=now, area=_area(script),
                 after={"version": version.number, "status": version.status, **extra})
    session.flush()


def tell_approvers(session: Session, actor: User | None, version: ScriptVersion, now: datetime) -> None:
    """Tell the approvers of the script's area that `version` waits for them (a plan import
    submits versions too)."""
    approvers = users_who_may(session, "script.approve", _area(version.script).id)
    writer = session.get(User, version.created_by_id) if version.created_by_id else None
    _tell(session, kinds.SCRIPT_SUBMITTED, [u for u in approvers if actor is None or u.id != actor.id], version, now,
          writer=writer.name if writer is not None else "")


def _writer(session: Session, actor: User, version: ScriptVersion) -> list[User]:
    """Who wrote the version, to be told of the decision; nobody when they decided it themselves."""
    writer = session.get(User, version.created_by_id) if version.created_by_id else None
    return [writer] if writer is not None and writer.is_active and writer.id != actor.id else []


def _tell(session: Session, kind: str, recipients: list[User], version: ScriptVersion, now: datetime,
          **extra: str) -> None:
    script = version.script
    notices.emit(session, kind, recipients, about=f"script-version:{version.id}",
                 values={"script": script.title, "series": script.series.title, "version": version.number,
                         **extra},
                 link=notices.page("scripts.show", script_id=script.id), now=now)
