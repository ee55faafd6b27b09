"""The bell on every page, one's notices and channel choices; for admins, webhooks and the
deliveries that are waiting or failed."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from werkzeug.exceptions import Forbidden

from .. import clock, db, notices
from ..auth.operations import UserError, set_email
from ..errors import RadioError
from ..models import Delivery, Notice, RoleGrant, Webhook
from ..notices.delivery import OWN_ERRORS, failure_summary, try_again
from ..notices.preferences import choose_email, email_choices
from ..ui.fields import ButtonForm, add_error, choices
from ..ui.nav import NavItem, register_nav
from ..ui.scope import area_ids, areas_in_scope, scoped_area
from ..ui.words import words
from . import operations as ops
from .forms import PreferencesForm, WebhookForm

PAGE_SIZE = 100
MANAGE = "notices.manage"

bp = Blueprint("inbox", __name__)
bp.record_once(lambda state: (state.app.context_processor(_bell), register_nav(
    state.app,
    NavItem("inbox.webhooks", _l("Webhook"), (), "/office/webhooks"),
    NavItem("inbox.deliveries", _l("Gửi thông báo"), (), "/office/deliveries"))))


def _bell() -> dict:
    """`notice_bell` for base.html: the signed-in user's unread count and where to read them."""
    if not current_user.is_authenticated:
        return {}
    return {"notice_bell": {"url": url_for("inbox.notice_list"),
                            "unread": ops.unread_count(db.session(), current_user)}}


def worded(notice: Notice) -> tuple[str, str]:
    """(title, text) in the reader's language."""
    return notices.kinds.worded(notice.kind, notice.values, clock.station_tz(), gettext)


@login_required
def notice_list():
    page = max(request.args.get("page", 1, type=int), 1)
    rows = db.session().scalars(select(Notice).where(Notice.recipient_id == current_user.id)
                                .order_by(Notice.created_at.desc(), Notice.id.desc())
                                .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    shown = [(notice, *worded(notice)) for notice in rows[:PAGE_SIZE]]
    return render_template("inbox/notices.html", notices=shown, page=page, more=len(rows) > PAGE_SIZE,
                           button_form=ButtonForm())


@login_required
def mark_read():
    """POST: one notice read (`notice`), or all of them; then back to the list."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    raw = request.form.get("notice", "")
    if raw and not raw.isdigit():
        abort(400)
    session = db.session()
    ops.mark_read(session, current_user, int(raw) if raw else None, now=clock.now())
    session.commit()
    return redirect(url_for("inbox.notice_list"))


@login_required
def preferences():
    session = db.session()
    chosen = email_choices(session, current_user)
    form = PreferencesForm(data=None if request.method == "POST" else {
        "email": current_user.email, "by_email": [kind for kind, wanted in chosen.items() if wanted]})
    if form.validate_on_submit():
        try:
            set_email(session, current_user, current_user, form.email.data, now=clock.now())
        except UserError:
            session.rollback()
            add_error(form.email, _("Địa chỉ thư không hợp lệ."))
        else:
            choose_email(session, current_user, set(form.by_email.data or ()))
            session.commit()
            flash(_("Đã lưu lựa chọn nhận thông báo."), "success")
            return redirect(url_for("inbox.preferences"))
    status = 422 if form.is_submitted() else 200
    return render_template("inbox/preferences.html", form=form), status


def _managed_area_ids() -> set[int]:
    ids = area_ids(MANAGE)
    if not ids:
        raise Forbidden("only admins manage webhooks and deliveries")
    return ids


@login_required
def webhooks():
    ids = _managed_area_ids()
    form = WebhookForm()
    form.area.choices = choices([("", _("— chọn địa bàn —"))] + [(a.code, a.name) for a in areas_in_scope(MANAGE)])
    session, secret_of = db.session(), None
    if form.validate_on_submit():
        area = scoped_area(form.area.data, MANAGE)
        try:
            hook = ops.add_webhook(session, current_user, name=form.name.data, url=form.url.data,
                                   kinds_wanted=form.kinds.data or [], area=area, now=clock.now())
        except RadioError as exc:
            session.rollback()
            target = form.kinds if exc.reason == "no_kinds" else form.url
            add_error(target, words(exc))
        else:
            session.commit()
            secret_of = hook  # shown on this answer only: it is never shown again
    hooks = session.scalars(select(Webhook).where(Webhook.area_id.in_(ids)).order_by(Webhook.name)).all()
    status = 422 if form.errors else 200
    return render_template("inbox/webhooks.html", form=form, hooks=hooks, secret_of=secret_of,
                           button_form=ButtonForm(), kind_titles=_kind_titles()), status


def _kind_titles() -> dict[str, str]:
    return {kind: gettext(wording.title) for kind, wording in notices.kinds.WORDING.items()}


def _managed_hook(hook_id: int) -> Webhook:
    hook = db.session().get(Webhook, hook_id)
    if hook is None or hook.area_id not in _managed_area_ids():
        abort(404)
    return hook


@login_required
def webhook_action(hook_id: int, action: str):
    """POST: deactivate, remove or test a webhook."""
    hook = _managed_hook(hook_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session, now = db.session(), clock.now()
    if action == "deactivate":
        ops.deactivate_webhook(session, current_user, hook, now=now)
        flash(_("Đã tắt webhook %(name)s.", name=hook.name))
    elif action == "remove":
        name = hook.name
        ops.remove_webhook(session, current_user, hook, now=now)
        flash(_("Đã xoá webhook %(name)s.", name=name))
    else:
        try:
            ops.send_test(hook, now=now)
        except RadioError as exc:
            flash(words(exc), "error")
        else:
            flash(_("Webhook %(name)s đã nhận bản thử.", name=hook.name), "success")
    session.commit()
    return redirect(url_for("inbox.webhooks"))


def _visible_deliveries(ids: set[int]):
    """Deliveries of hooks in the admin's areas, and e-mails to people with a role there."""
    people = select(RoleGrant.user_id).where(RoleGrant.area_id.in_(ids))
    hooks = select(Webhook.id).where(Webhook.area_id.in_(ids))
    return or_(Delivery.webhook_id.in_(hooks), (Delivery.channel == "email") & Notice.recipient_id.in_(people))


@login_required
def deliveries():
    ids = _managed_area_ids()
    rows = db.session().scalars(select(Delivery).join(Notice).where(
        Delivery.status.in_(("failed", "pending", "sending")), _visible_deliveries(ids))
        .order_by(Delivery.status, Delivery.next_try_at.desc()).limit(PAGE_SIZE)).all()
    shown = [(delivery, worded(delivery.notice)[0], _failure(delivery.last_error)) for delivery in rows]
    return render_template("inbox/deliveries.html", deliveries=shown, button_form=ButtonForm(), own_errors=OWN_ERRORS)


def _failure(last_error: str | None) -> str | None:
    """A far end's error summed up in the reader's language; None when of no known kind."""
    summary = failure_summary(last_error)
    return None if summary is None else gettext(summary[0], **summary[1])


@login_required
def retry(delivery_uuid: str):
    ids = _managed_area_ids()
    delivery = db.session().scalar(select(Delivery).join(Notice).where(
        Delivery.uuid == delivery_uuid, _visible_deliveries(ids)))
    if delivery is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = db.session()
    try_again(session, current_user, delivery, now=clock.now())
    session.commit()
    notices.dispatch()
    flash(_("Sẽ gửi lại."))
    return redirect(url_for("inbox.deliveries"))


bp.add_url_rule("/notices", view_func=notice_list)
bp.add_url_rule("/notices/read", view_func=mark_read, methods=["POST"])
bp.add_url_rule("/notices/preferences", view_func=preferences, methods=["GET", "POST"])
bp.add_url_rule("/office/webhooks", view_func=webhooks, methods=["GET", "POST"])
bp.add_url_rule("/office/webhooks/<int:hook_id>/<any(deactivate, remove, test):action>", view_func=webhook_action,
                methods=["POST"])
bp.add_url_rule("/office/deliveries", view_func=deliveries)
bp.add_url_rule("/office/deliveries/<delivery_uuid>/retry", view_func=retry, methods=["POST"])
