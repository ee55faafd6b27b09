"""Plan drafts in the browser: review a draft (the document's sentences beside the records read
from them), answer its questions, edit or drop records, then import it through the plan file's
checks, or discard it (drafts.py). The upload is on the plans page (pages.py)."""
from __future__ import annotations

import json
import re
from typing import Any

import yaml
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from schedules.drafting import Position
from schedules.planfile import PERIODS, PlanFileError

from .. import clock, db, errors, lookups, notices
from ..auth.permissions import require
from ..models import Area, Plan, PlanDraft
from ..ui.fields import ButtonForm, choices, parse_local_date
from ..ui.i18n import PERIOD_LABELS
from ..ui.scope import area_ids, areas_in_scope
from . import drafts
from .forms import LEVEL_LABELS, DraftUploadForm

ISSUING_LEVELS = ("province", "district", "commune")
DATE_FIELDS = {"from", "to", "report_due", "available_from", "expires"}
# What the review page calls the plan format's keys (the key itself is shown beside, as in the file).
FIELD_LABELS = {
    "code": _l("Mã"), "title": _l("Tên"), "document": _l("Số văn bản"), "issued_by": _l("Đơn vị ban hành"),
    "report_due": _l("Hạn báo cáo"), "series": _l("Chuyên mục"), "levels": _l("Cấp đài phát"),
    "areas": _l("Địa bàn"), "stations": _l("Đài"), "period": _l("Kỳ"), "airings": _l("Số lần phát mỗi kỳ"),
    "new_episodes": _l("Số tin mới mỗi kỳ"), "days": _l("Ngày phát"), "windows": _l("Khung giờ"),
    "duration": _l("Thời lượng (giây)"), "from": _l("Từ ngày"), "to": _l("Đến ngày"), "priority": _l("Ưu tiên"),
    "script": _l("Kịch bản"), "available_from": _l("Dùng từ ngày"), "expires": _l("Hết hạn"),
}
# "Bản kế hoạch", not the menu's "Kế hoạch" (Plans): this is the one plan the document sets out.
SECTION_LABELS = {"plan": _l("Bản kế hoạch"), "series": _l("Chuyên mục"), "episodes": _l("Tin, bài"),
                  "requirements": _l("Yêu cầu tần suất")}
_PROBLEM_RECORD = re.compile(r"^(?P<section>\w+)\[(?P<index>\d+)\]")


def upload_form() -> DraftUploadForm:
    form = DraftUploadForm()
    form.issued_by.choices = _issuer_choices()
    return form


def drafts_in_scope() -> list[PlanDraft]:
    return list(db.session().scalars(select(PlanDraft).where(PlanDraft.area_id.in_(area_ids()))
                                     .order_by(PlanDraft.created_at, PlanDraft.id)))


def _issuer_choices():
    return choices((a.code, a.name) for a in areas_in_scope(levels=ISSUING_LEVELS))


def scoped_draft(draft_id: int) -> PlanDraft:
    """The draft by id (404), if the person may act on its issuing area (403)."""
    row = db.session().get(PlanDraft, draft_id)
    if row is None:
        abort(404)
    require(current_user, "office.use", row.area)
    return row


@login_required
def draft_view(draft_id: int):
    return _review_page(scoped_draft(draft_id))


def _review_page(row: PlanDraft, problems=(), status: int = 200):
    review = drafts.review(row)
    by_place: dict[str, list] = {}
    for record in review.draft.records:
        by_place.setdefault(record.source.where if record.source else "", []).append(record)
    return render_template(
        "plans/draft.html", row=row, review=review, by_place=by_place, problems=problems,
        open_questions=review.open_questions, issuers=_issuer_choices(), field_labels=FIELD_LABELS,
        section_labels=SECTION_LABELS, level_labels=LEVEL_LABELS, periods=PERIOD_LABELS, all_periods=PERIODS,
        date_fields=DATE_FIELDS, shown=_shown, place=_place, button_form=ButtonForm()), status


def _place(where: str) -> str:
    """A paragraph's place in the document ("trang 2, đoạn 14") in the reader's language; a place
    that names no paragraph as the draft has it."""
    position = Position.of(where)
    if position is None:
        return where
    if position.page is None:
        return _("đoạn %(paragraph)s", paragraph=position.paragraph)
    return _("trang %(page)s, đoạn %(paragraph)s", page=position.page, paragraph=position.paragraph)


def _shown(field: str, value: Any) -> str:
    """A field's value as its input shows it: dates dd/mm/yyyy, lists and pairs as the file's flow style."""
    if value is None:
        return ""
    if field in DATE_FIELDS and isinstance(value, str):
        try:
            return f"{parse_local_date(value):%d/%m/%Y}"
        except ValueError:
            return value
    if isinstance(value, (list, dict)):
        return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip()
    return str(value)


def _parsed(field: str, raw: str) -> Any:
    """What an input holds, as the plan file writes it; what does not read is kept as typed, for
    the plan file's checks to refuse by name at the import."""
    raw = raw.strip()
    if not raw:
        return None
    if field in DATE_FIELDS:
        try:
            return parse_local_date(raw).isoformat()
        except ValueError:
            return raw
    if raw[0] in "[{":
        try:  # as JSON values, which the draft is kept as (a date inside is its ISO text)
            return json.loads(json.dumps(yaml.safe_load(raw), default=str))
        except yaml.YAMLError:
            return raw
    return int(raw) if raw.isdigit() else raw


@login_required
def draft_record(draft_id: int, key: str):
    """Save one record's answers and edits, or drop it (or take it back)."""
    row = scoped_draft(draft_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    review = drafts.review(row)
    record = next((r for r in review.draft.records if r.key == key), None)
    if record is None:
        abort(404)
    session = db.session()
    action = request.form.get("action", "save")
    if action in ("drop", "keep"):
        drafts.drop_record(session, row, key, action == "drop")
    else:
        answers = {q.field: _parsed(q.field, request.form.get(f"q-{q.field}", "")) for q in record.questions}
        edits = {field: _parsed(field, request.form[f"f-{field}"]) for field in review.fields(record)
                 if f"f-{field}" in request.form}
        issuer = answers.get("issued_by") or edits.get("issued_by")
        area = None
        if key == "plan" and issuer:
            area = session.scalar(select(Area).where(Area.code == str(issuer)))
            if area is None or area.id not in area_ids() or area.level not in ISSUING_LEVELS:
                raise Forbidden("the issuing area must be one of your areas")
        drafts.save_record(session, row, key, answers, edits, issuer=area)
    session.commit()
    return redirect(url_for("plans.draft_view", draft_id=row.id, _anchor=f"record-{key}"))


@login_required
def draft_import(draft_id: int):
    """Import as a plan file is imported: every problem shown by line and record, nothing written."""
    row = scoped_draft(draft_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        code, summary = drafts.import_draft(session, current_user, row, now=clock.now())
        plan = lookups.by_code(session, Plan, code)
        require(current_user, "office.use", plan.issued_by)
    except PlanFileError as exc:
        session.rollback()
        return _review_page(row, _with_records(drafts.review(row), exc.problems), 422)
    except errors.Forbidden:  # ImportRefused, or the plan lies outside the person's areas
        session.rollback()
        raise Forbidden("this plan is issued outside your areas")
    session.commit()
    notices.dispatch()  # scripts the draft submitted
    flash_imported(row.filename, summary)
    return redirect(url_for("plans.plan_view", code=plan.code))


def flash_imported(filename: str, summary) -> None:
    """What a plan file's or a draft's import wrote, said once it is committed."""
    changes = ", ".join(f"{n} {kind}" for kind, n in sorted((summary.created + summary.updated).items()))
    flash(_("Đã nhập %(file)s: %(changes)s.", file=filename, changes=changes or _("không có thay đổi")))


def _with_records(review: drafts.Review, problems) -> list[tuple[Any, Any]]:
    """Each problem with the record it is about (by its place in the written file), or None."""
    kept = {}
    for record in review.draft.records:
        if record.key not in review.dropped:
            kept.setdefault(record.section, []).append(record)
    found = []
    for problem in problems:
        match = _PROBLEM_RECORD.match(problem.field or "")
        records = kept.get(match["section"], []) if match else []
        if match and int(match["index"]) < len(records):
            found.append((problem, records[int(match["index"])]))
        else:
            found.append((problem, kept["plan"][0] if (problem.field or "").startswith("plan") else None))
    return found


@login_required
def draft_discard(draft_id: int):
    row = scoped_draft(draft_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    filename = row.filename
    session = db.session()
    drafts.discard_draft(session, current_user, row, now=clock.now())
    session.commit()
    flash(_("Đã bỏ bản nháp %(file)s.", file=filename))
    return redirect(url_for("plans.plan_list"))
