"""The alerts' pages: alerts held for want of a known area (admins issue them to an area or
discard them), alerts of untrusted sources waiting for an approver, and, for admins, the
sources: added, changed (name, trust, feed, areas), revoked and enabled again, each given a
new token when asked (a token is shown once: only its digest is kept)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from .. import clock, db, jobs
from ..bulletins.operations import BulletinRules
from ..errors import RadioError
from ..models import Area, CapAlert, CapSource, cap_source_areas
from ..notify import poll_now
from ..ui.fields import ButtonForm, add_error, choices
from ..ui.nav import NavItem, register_nav
from ..ui.scope import area_ids, areas_in_scope, scoped_area
from ..ui.words import words
from .forms import IssueForm, SourceEditForm, SourceForm
from .operations import (add_source, discard_alert, enable_source, issue_alert, new_source_token,
                         revoke_source, update_source)

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


def _manage_ids() -> set[int]:
    ids = area_ids(MANAGE)
    if not ids:
        raise Forbidden("only admins manage alert sources")
    return ids


def _area_choices(first: list[tuple[str, str]] = ()):
    return choices(list(first) + [(a.code, a.name) for a in areas_in_scope(MANAGE)])


@login_required
def sources():
    ids = _manage_ids()
    form = SourceForm()
    form.area.choices = _area_choices([("", _("— chọn địa bàn —"))])
    session, token = db.session(), None
    if form.validate_on_submit():
        try:
            source, token = add_source(session, current_user, code=form.code.data, name=form.name.data,
                                       areas=[scoped_area(form.area.data, MANAGE)], trusted=form.trusted.data,
                                       feed_url=form.feed_url.data, now=clock.now())
        except RadioError as exc:
            session.rollback()
            target = form.feed_url if exc.reason == "bad_feed" else form.code
            add_error(target, words(exc))
            token = None
        else:
            session.commit()
    return _sources_page(ids, form, token=token, status=422 if form.errors else 200)


def _sources_page(ids: set[int], form: SourceForm, *, token: str | None = None, renewed: CapSource | None = None,
                  status: int = 200):
    """The sources the admin sees (those that may alert one of their areas), which of them they
    may change (every area of it theirs), and a token just made, shown this once."""
    rows = db.session().scalars(select(CapSource).where(CapSource.id.in_(_sources_in(ids)))
                                .order_by(CapSource.code)).all()
    changeable = {source.id for source in rows if all(area.id in ids for area in source.areas)}
    return render_template("cap/sources.html", form=form, sources=rows, changeable=changeable, token=token,
                           renewed=renewed), status


def _source(code: str) -> CapSource:
    """A source the admin may change: 404 unless they see it, 403 unless every area of it is theirs."""
    ids = _manage_ids()
    source = db.session().scalar(select(CapSource).where(CapSource.code == code,
                                                         CapSource.id.in_(_sources_in(ids))))
    if source is None:
        abort(404)
    if not all(area.id in ids for area in source.areas):
        raise Forbidden(f"source {code} alerts areas outside yours")
    return source


@login_required
def source_edit(code: str):
    source = _source(code)
    data = None if request.method == "POST" else {"name": source.name, "areas": [a.code for a in source.areas],
                                                  "trusted": source.trusted, "feed_url": source.feed_url or ""}
    form = SourceEditForm(data=data)
    form.areas.choices = _area_choices()
    if form.validate_on_submit():
        session = db.session()
        try:
            changed = update_source(session, current_user, source, name=form.name.data,
                                    areas=[scoped_area(area, MANAGE) for area in form.areas.data],
                                    trusted=form.trusted.data, feed_url=form.feed_url.data, now=clock.now())
        except RadioError as exc:
            session.rollback()
            target = form.feed_url if exc.reason == "bad_feed" else form.areas
            add_error(target, words(exc))
        else:
            session.commit()
            if changed:
                flash(_("Đã lưu nguồn cảnh báo “%(name)s”.", name=source.name), "success")
            else:
                flash(_("Không có gì thay đổi."))
            return redirect(url_for("cap.sources"))
    return render_template("cap/source_form.html", form=form, source=source), 422 if form.errors else 200


def _act(code: str, action):
    """A button's POST (only its CSRF token): the source and what `action` gave, committed; or,
    when refused, None and the refusal flashed."""
    source = _source(code)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        result = action(session, current_user, source, now=clock.now())
    except RadioError as exc:
        session.rollback()
        flash(words(exc), "error")
        return None, None
    session.commit()
    return source, result


@login_required
def source_revoke(code: str):
    source, _result = _act(code, revoke_source)
    if source is not None:
        flash(_("Đã thu hồi nguồn cảnh báo “%(name)s”: khoá của nguồn bị từ chối, nguồn tin không được lấy nữa.",
                name=source.name), "success")
    return redirect(url_for("cap.sources"))


@login_required
def source_enable(code: str):
    source, _result = _act(code, enable_source)
    if source is not None:
        flash(_("Đã bật lại nguồn cảnh báo “%(name)s”.", name=source.name), "success")
    return redirect(url_for("cap.sources"))


@login_required
def source_token(code: str):
    """A new token, shown this once on the sources' page; the old one stops working at once."""
    source, token = _act(code, new_source_token)
    if source is None:
        return redirect(url_for("cap.sources"))
    return _sources_page(area_ids(MANAGE), _new_source_form(), token=token, renewed=source)


def _new_source_form() -> SourceForm:
    form = SourceForm(formdata=None)
    form.area.choices = _area_choices([("", _("— chọn địa bàn —"))])
    return form


bp.add_url_rule("/office/alerts", view_func=alert_list)
bp.add_url_rule("/office/alerts/<int:alert_id>/issue", view_func=issue, methods=["POST"])
bp.add_url_rule("/office/alerts/<int:alert_id>/discard", view_func=discard, methods=["POST"])
bp.add_url_rule("/office/alert-sources", view_func=sources, methods=["GET", "POST"])
bp.add_url_rule("/office/alert-sources/<code>", view_func=source_edit, methods=["GET", "POST"])
bp.add_url_rule("/office/alert-sources/<code>/revoke", view_func=source_revoke, methods=["POST"])
bp.add_url_rule("/office/alert-sources/<code>/enable", view_func=source_enable, methods=["POST"])
bp.add_url_rule("/office/alert-sources/<code>/token", view_func=source_token, methods=["POST"])
