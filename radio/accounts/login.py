"""Login and logout handlers.

Login attempts are limited per account and address (LOGIN_RATE_LIMIT): the staff of a culture
office share one public address, and one person's typos must not lock out the others. A looser
ceiling per address (LOGIN_ADDRESS_RATE_LIMIT) stops one address trying many accounts.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import login_user, logout_user

from .. import db
from ..auth.operations import authenticate
from ..auth.web import limiter
from ..ui.redirects import safe_next
from .forms import LoginForm


def _account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _account_and_address() -> str:
    """The account as login reads it (trimmed; usernames are compared without case here, so
    changing the case is no way round the limit) and the client's address."""
    return f"{get_remote_address()}|{request.form.get('username', '').strip().casefold()}"


@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_and_address)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session(), form.username.data.strip(), form.password.data)
        if user is not None:
            session.permanent = True
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("today.home")))
        form.password.errors.append(_("Sai tên đăng nhập hoặc mật khẩu."))
        return render_template("accounts/login.html", form=form), 401
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


def logout():
    logout_user()
    flash(_("Đã đăng xuất."))
    return redirect(url_for("accounts.login"))
