"""Handlers of the general pages: the home page and the language switch."""
from __future__ import annotations

from flask import redirect, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import db
from ..auth.controllers import safe_next
from ..auth.scope import area_ids_in_scope
from ..models import ROLES, Station
from .i18n import remember_language


@login_required
def home():
    session = db.session()
    area_ids = area_ids_in_scope(session, current_user, ROLES)
    stations = session.scalars(
        select(Station).where(Station.area_id.in_(area_ids)).order_by(Station.code)
    ).all()
    return render_template("web/home.html", stations=stations)


def language():
    """Switch the language (a form in every page's top bar; CSRF-checked like every POST)."""
    return remember_language(redirect(safe_next(request.form.get("next"))), request.form.get("language", ""))
