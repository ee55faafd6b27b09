"""Sign-in (login.py); one's own password (password.py); users (admins only): add users, grant and
revoke roles on areas, reset passwords; the audit log.

An admin's own scope bounds all of it: roles are granted on areas inside it, and a user whose
roles reach outside it is seen but not changed (resetting the password of a province admin
from a commune would hand over the province).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from werkzeug.exceptions import Forbidden

from .. import clock, db, lookups
from ..area_tree import subtree_ids
from ..auth.operations import UserError, add_user, grant_role, revoke_role, set_email, set_password
from ..errors import NotFound, RadioError
from ..models import AuditLog, RoleGrant, User
from ..ui.fields import ButtonForm, add_error, choices
from ..ui.nav import NavItem, register_nav
from ..ui.scope import area_ids, areas_in_scope, scoped_area
from . import login, password
from .audit_lines import audit_lines
from .forms import NO_AREA, ROLE_LABELS, AddUserForm, AuditFilterForm, EmailForm, GrantForm, PasswordForm

PAGE_SIZE = 100

bp = Blueprint("accounts", __name__)
bp.before_app_request(password.password_change_first)
bp.record_once(lambda state: register_nav(
    state.app,
    NavItem("accounts.user_list", _l("Người dùng"), (), "/office/users"),
    NavItem("accounts.audit_log", _l("Nhật ký"), (), "/office/audit")))


def _area_choices() -> list[tuple[str, str]]:
    return [(a.code, f"{a.name} ({a.code})") for a in areas_in_scope("users.manage")]


@login_required
def user_list():
    ids = area_ids("users.manage")
    if not ids:
        raise Forbidden("only admins manage users")
    form = AddUserForm()
    form.area.choices = choices([NO_AREA, *_area_choices()])
    session = db.session()
    if form.validate_on_submit():
        scoped_area(form.area.data, "users.manage")
        username = form.username.data.strip()
        try:
            if session.scalar(select(User.id).where(User.username == username)) is not None:
                raise UserError(_("Tên đăng nhập này đã có."))
            user = add_user(session, current_user, username, form.password.data, form.role.data,
                            form.area.data, form.display_name.data or None, now=clock.now())
        except (UserError, RadioError) as exc:
            session.rollback()
            add_error(form.username, str(exc))
        else:
            session.commit()
            flash(_("Đã thêm người dùng %(name)s.", name=user.username))
            return redirect(url_for("accounts.user_view", username=user.username))
    users = session.scalars(select(User).where(User.id.in_(
        select(RoleGrant.user_id).where(RoleGrant.area_id.in_(ids)))).order_by(User.username)).all()
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/users.html", form=form, users=users, labels=ROLE_LABELS), status


def _user_in_scope(username: str) -> tuple[User, bool]:
    """The user (404 unless one of their roles is in the admin's scope), and whether the admin
    may change them (every one of their roles is in scope)."""
    try:
        user = lookups.user(db.session(), username)
    except NotFound:
        abort(404)
    ids = area_ids("users.manage")
    inside = [grant.area_id in ids for grant in user.grants]
    if not any(inside):
        abort(404)
    return user, all(inside)


@login_required
def user_view(username: str):
    user, changeable = _user_in_scope(username)
    grant_form, password_form = GrantForm(prefix="grant"), PasswordForm(prefix="pw")
    email_form = EmailForm(prefix="mail", data=None if request.method == "POST" else {"email": user.email})
    grant_form.area.choices = choices([NO_AREA, *_area_choices()])
    session = db.session()
    if request.method == "POST":
        if not changeable:
            raise Forbidden(f"{user.username} has roles outside your areas")
        action = request.form.get("action")
        try:
            if action == "grant" and grant_form.validate_on_submit():
                area = scoped_area(grant_form.area.data, "users.manage")
                grant_role(session, current_user, user, grant_form.role.data, area.code, now=clock.now())
                flash(_("Đã cấp quyền %(role)s trên %(area)s.", role=ROLE_LABELS[grant_form.role.data],
                        area=area.name))
            elif action == "revoke" and ButtonForm().validate_on_submit():
                area = scoped_area(request.form.get("area", ""), "users.manage")
                revoke_role(session, current_user, user, request.form.get("role", ""), area.code, now=clock.now())
                flash(_("Đã thu hồi quyền."))
            elif action == "password" and password_form.validate_on_submit():
                set_password(session, current_user, user, password_form.password.data, now=clock.now())
                flash(_("Đã đặt lại mật khẩu cho %(name)s: lần đăng nhập tới, người này phải đổi mật khẩu.",
                        name=user.username))
            elif action == "email" and email_form.validate_on_submit():
                set_email(session, current_user, user, email_form.email.data, now=clock.now())
                flash(_("Đã lưu địa chỉ thư của %(name)s.", name=user.username))
            else:
                return _user_page(user, changeable, grant_form, password_form, email_form, 422)
        except (UserError, RadioError) as exc:
            session.rollback()
            target = {"password": password_form.password, "email": email_form.email}.get(action, grant_form.role)
            add_error(target, str(exc))
            return _user_page(user, changeable, grant_form, password_form, email_form, 422)
        session.commit()
        return redirect(url_for("accounts.user_view", username=user.username))
    return _user_page(user, changeable, grant_form, password_form, email_form, 200)


def _user_page(user, changeable, grant_form, password_form, email_form, status):
    return render_template("accounts/user.html", user=user, changeable=changeable, grant_form=grant_form,
                           password_form=password_form, email_form=email_form, button_form=ButtonForm(),
                           labels=ROLE_LABELS), status


@login_required
def audit_log():
    """The audit rows of the admin's areas, newest first, filtered by user, area and local dates."""
    ids = area_ids("users.manage")
    if not ids:
        raise Forbidden("only admins read the audit log")
    form = AuditFilterForm(request.args)
    form.area.choices = choices([("", _("— tất cả —"))] + _area_choices())
    query = select(AuditLog).where(_visible_rows(ids))
    refused = not form.validate()
    if not refused:
        if form.user.data:
            query = query.where(AuditLog.actor == form.user.data.strip())
        if form.area.data:
            area = scoped_area(form.area.data, "users.manage")
            query = query.where(AuditLog.area_id.in_(subtree_ids(db.session(), [area.id])))
        tz = clock.station_tz()
        if form.date_from.data:
            query = query.where(AuditLog.at >= datetime.combine(form.date_from.data, time(), tz))
        if form.date_to.data:
            query = query.where(AuditLog.at < datetime.combine(form.date_to.data + timedelta(days=1), time(), tz))
    page = max(request.args.get("page", 1, type=int), 1)
    rows = db.session().scalars(query.order_by(AuditLog.at.desc(), AuditLog.id.desc())
                                .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    args = {key: value for key, value in request.args.items() if key != "page"}
    return render_template("accounts/audit.html", form=form, lines=audit_lines(db.session(), rows[:PAGE_SIZE]),
                           page=page, more=len(rows) > PAGE_SIZE, args=args), 422 if refused else 200


def _visible_rows(ids: set[int]):
    """Rows of areas in scope; rows tied to no area (users, the system) only for a top-level admin."""
    is_top = any(g.role == "admin" and g.area.parent_id is None for g in current_user.grants)
    return or_(AuditLog.area_id.in_(ids), AuditLog.area_id.is_(None)) if is_top else AuditLog.area_id.in_(ids)


bp.add_url_rule("/login", view_func=login.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=login.logout, methods=["POST"])
bp.add_url_rule("/account/password", view_func=password.change_password, methods=["GET", "POST"])
bp.add_url_rule("/office/users", view_func=user_list, methods=["GET", "POST"])
bp.add_url_rule("/office/users/<username>", view_func=user_view, methods=["GET", "POST"])
bp.add_url_rule("/office/audit", view_func=audit_log)
