"""The alerts' pages: alerts held for want of a known area (admins issue them to an area or
discard them), alerts of untrusted sources waiting for an approver, and, for admins, the
sources with their tokens (shown once)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from .. import clock, db, jobs
from ..bulletins.operations import BulletinRules
from ..errors import RadioError
from ..models import Area, CapAlert, CapSource, cap_source_areas
from ..notify import poll_now
from ..ui.fields import ButtonForm, choices
from ..ui.nav import NavItem, register_nav
from ..ui.scope import area_ids, areas_in_scope, scoped_area
from ..ui.words import words
from .forms import IssueForm, SourceForm
from .operations import add_source, discard_alert, issue_alert

MANAGE, APPROVE = "alert.manage", "alert.approve"
bp = Blueprint("cap", __name__)
bp.record_once(lambda state: register_nav(
    state.app, NavItem("cap.alert_list", _l("Cảnh báo khẩn"), ("approver", "oversight"), "/office/alerts"),
    NavItem("cap.sources", _l("Nguồn cảnh báo"), (), "/office/alert-sources")))


STATUS_WORDS = {"held": _l("Chưa rõ địa bàn"), "waiting": _l("Chờ duyệt"), "issued": _l("Đã phát"),
                "ended": _l("Đã kết thúc"), "discarded": _l("Đã bỏ qua"), "note": _l("Chỉ lưu")}


def _sources_in(ids: set[int]):
    """Ids of the sources that may alert an area among `ids`: theirs is one of them or above one."""
    areas = db.session().scalars(select(Area).where(Area.id.in_(ids))).all()
    reach = {above.id for area in areas for above in area.ancestors_and_self()}
    return select(cap_source_areas.c.source_id).where(cap_source_areas.c.area_id.in_(reach))


def _visible_ids() -> set[int]:
    ids = area_ids(MANAGE) | area_ids(APPROVE)
    if not ids:
        raise Forbidden("alerts are for approvers, oversight users and admins")
    return ids


@login_required
def alert_list():
    rows = db.session().scalars(select(CapAlert).where(CapAlert.source_id.in_(_sources_in(_visible_ids())))
                                .order_by(CapAlert.received_at.desc(), CapAlert.id.desc()).limit(100)).all()
    form = IssueForm()
    form.area.choices = choices([("", _("— chọn địa bàn —"))] + [(a.code, a.name) for a in areas_in_scope(MANAGE)])
    return render_template("cap/alerts.html", alerts=rows, issue_form=form, button_form=ButtonForm(),
                           may_manage=bool(area_ids(MANAGE)), status_words=STATUS_WORDS)


def _alert(alert_id: int) -> CapAlert:
    alert = db.session().scalar(select(CapAlert).where(CapAlert.id == alert_id,
                                                       CapAlert.source_id.in_(_sources_in(_visible_ids()))))
    if alert is None:
        abort(404)
    return alert


@login_required
def issue(alert_id: int):
    """POST: a waiting alert approved, or a held one issued to the area chosen."""
    alert = _alert(alert_id)
    form = IssueForm()
    form.area.choices = choices([(a.code, a.name) for a in areas_in_scope(MANAGE)])
    areas = None
    if alert.status == "held":
        if not form.validate_on_submit():
            flash(_("Chọn địa bàn để phát."), "error")
            return redirect(url_for("cap.alert_list"))
        areas = [scoped_area(form.area.data, MANAGE)]
    elif not ButtonForm().validate_on_submit():
        abort(400)
    session, now = db.session(), clock.now()
    try:
        result = issue_alert(session, current_user, alert, areas, now=now, tz=clock.station_tz(),
                             rules=BulletinRules.from_config(current_app.config))
    except RadioError as exc:
        session.rollback()
        flash(words(exc), "error")
        return redirect(url_for("cap.alert_list"))
    session.commit()
    jobs.after_response(poll_now, result.devices, "bulletin")
    flash(_("Đã phát cảnh báo “%(alert)s”.", alert=alert.headline), "success")
    return redirect(url_for("cap.alert_list"))


@login_required
def discard(alert_id: int):
    alert = _alert(alert_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        discard_alert(session, current_user, alert, now=clock.now())
    except RadioError as exc:
        session.rollback()
        flash(words(exc), "error")
        return redirect(url_for("cap.alert_list"))
    session.commit()
    flash(_("Đã bỏ qua cảnh báo “%(alert)s”.", alert=alert.headline))
    return redirect(url_for("cap.alert_list"))


@login_required
def sources():
    ids = area_ids(MANAGE)
    if not ids:
        raise Forbidden("only admins manage alert sources")
    form = SourceForm()
    form.area.choices = choices([("", _("— chọn địa bàn —"))] + [(a.code, a.name) for a in areas_in_scope(MANAGE)])
    session, token = db.session(), None
    if form.validate_on_submit():
        try:
            source, token = add_source(session, current_user, code=form.code.data, name=form.name.data,
                                       areas=[scoped_area(form.area.data, MANAGE)], trusted=form.trusted.data,
                                       feed_url=form.feed_url.data, now=clock.now())
        except RadioError as exc:
            session.rollback()
            target = form.feed_url if exc.reason == "bad_feed" else form.code
            target.errors = list(target.errors) + [words(exc)]
            token = None
        else:
            session.commit()
    rows = session.scalars(select(CapSource).where(CapSource.id.in_(_sources_in(ids))).order_by(CapSource.code)).all()
    return render_template("cap/sources.html", form=form, sources=rows, token=token), 422 if form.errors else 200


bp.add_url_rule("/office/alerts", view_func=alert_list)
bp.add_url_rule("/office/alerts/<int:alert_id>/issue", view_func=issue, methods=["POST"])
bp.add_url_rule("/office/alerts/<int:alert_id>/discard", view_func=discard, methods=["POST"])
bp.add_url_rule("/office/alert-sources", view_func=sources, methods=["GET", "POST"])
