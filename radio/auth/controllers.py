"""Login and logout handlers."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from .. import db
from .forms import LoginForm
from .operations import authenticate


def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session(), form.username.data.strip(), form.password.data)
        if user is not None:
            session.permanent = True
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(_("Sai tên đăng nhập hoặc mật khẩu."))
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


def logout():
    logout_user()
    flash(_("Đã đăng xuất."))
    return redirect(url_for("auth.login"))


def safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after login is a phishing aid.

    Browsers read a backslash as a slash and drop tabs and newlines, so `/\\evil.example` or
    `/<tab>/evil.example` would leave the site: such characters are refused outright.
    """
    if (target and target.startswith("/") and not target.startswith("//")
            and not any(c == "\\" or c.isspace() or not c.isprintable() for c in target)
            and not urlsplit(target).netloc):
        return target
    return url_for("web.home")
