"""Who may see what in the pages: a record by code (radio/lookups.py: 404) and the area-scope check (403).

Every handler loads its objects through these, so that no page can forget the scope: a record
outside the signed-in user's areas is refused exactly as the device API and the CLI refuse it
(radio/auth/scope.py).
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from .. import db, lookups
from ..auth.permissions import area_ids_in_scope, require
from ..models import Area, Device, Plan, Station


# The culture office ("office.use") runs these pages unless a handler names another action.
def scoped_area(code: str, action="office.use") -> Area:
    area = lookups.area(db.session(), code)
    require(current_user, action, area)
    return area


def scoped_plan(code: str, action="office.use") -> Plan:
    plan = lookups.plan(db.session(), code)
    require(current_user, action, plan.issued_by)
    return plan


def scoped_station(code: str, action="office.use") -> Station:
    station = lookups.station(db.session(), code)
    require(current_user, action, station.area)
    return station


def scoped_device(code: str, action="office.use") -> Device:
    device = lookups.device(db.session(), code)
    require(current_user, action, device.area)
    return device


def area_ids(action="office.use") -> set[int]:
    """Ids of every area the user may act on with `action`."""
    return area_ids_in_scope(db.session(), current_user, action)


def areas_in_scope(action="office.use", levels: tuple[str, ...] = ()) -> list[Area]:
    ids = area_ids(action)
    query = select(Area).where(Area.id.in_(ids))
    if levels:
        query = query.where(Area.level.in_(levels))
    return list(db.session().scalars(query.order_by(Area.code)))


def scoped_in_series(model, record_id: int, action: str):
    """A record of a series (an episode, a script, a recording) by its id, if the user may
    `action` in the area of the plan its series belongs to (404 when unknown, 403 when not theirs)."""
    found = db.session().get(model, record_id)
    if found is None:
        abort(404)
    require(current_user, action, found.series.plan.issued_by)
    return found
