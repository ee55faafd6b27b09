"""Changing one's own password, and the change an admin's reset forces before anything else.

A password someone else set (radio/auth/operations.py set_password) is known to them, so until
its owner chooses another, every page sends them to the change form and every API call they
make is refused: only that form, logging out, the language switch and static files stay open.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from .. import clock, db
from ..api.errors import PREFIX as API_PREFIX, error_response
from ..auth.operations import MIN_PASSWORD_LENGTH, UserError, change_password as change_own_password
from ..ui.fields import add_error
from ..ui.redirects import safe_next
from .forms import ChangePasswordForm

OPEN_WHILE_FORCED = {"accounts.change_password", "accounts.logout", "language", "static"}
REFUSALS = {"wrong_password": ("current", _l("Mật khẩu hiện tại không đúng.")),
            "same_password": ("password", _l("Mật khẩu mới phải khác mật khẩu hiện tại."))}


@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        session = db.session()
        try:
            change_own_password(session, current_user, form.current.data, form.password.data, now=clock.now())
        except UserError as refused:
            session.rollback()
            name, message = REFUSALS.get(refused.code, ("password", refused.message))
            add_error(form[name], str(message))
        else:
            session.commit()
            flash(_("Đã đổi mật khẩu."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("today.home")))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form, forced=current_user.must_change_password,
                           min_length=MIN_PASSWORD_LENGTH), status


def password_change_first():
    """Before every request: a user who must change their password is sent to the form (pages)
    or refused (API calls, 403 JSON)."""
    if request.url_rule is None or request.endpoint in OPEN_WHILE_FORCED:
        return None
    if not (current_user.is_authenticated and current_user.must_change_password):
        return None
    if request.path.startswith(API_PREFIX):
        return error_response(403, "password_change_required",
                              "your password was reset by an administrator: choose a new one at "
                              f"{url_for('accounts.change_password')} before using the API")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("accounts.change_password", next=target))
