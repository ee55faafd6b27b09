"""Handlers of the web pages."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import db
from ..auth.scope import area_ids_in_scope
from ..models import ROLES, Station


@login_required
def home():
    session = db.session()
    area_ids = area_ids_in_scope(session, current_user, ROLES)
    stations = session.scalars(
        select(Station).where(Station.area_id.in_(area_ids)).order_by(Station.code)
    ).all()
    return render_template("web/home.html", stations=stations)
