"""Who may see what in the office pages: loading by code (404) and the area-scope check (403).

Every handler loads its objects through these, so that no page can forget the scope: a record
outside the signed-in user's areas is refused exactly as the device API and the CLI refuse it
(radio/auth/scope.py).
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ... import db
from ...auth.scope import area_ids_in_scope, require
from ...models import Area, Device, Plan, Station

# The culture office (oversight) runs these pages; admin holds every role (scope.can).
OFFICE_ROLES = ("oversight",)
ADMIN_ROLES = ("admin",)


def by_code(model, code: str, **where):
    """The record with `code` (and the extra column filters), or 404."""
    query = select(model).where(model.code == code).filter_by(**where)
    found = db.session().scalar(query)
    if found is None:
        abort(404)
    return found


def scoped_area(code: str, roles=OFFICE_ROLES) -> Area:
    area = by_code(Area, code)
    require(current_user, roles, area)
    return area


def scoped_plan(code: str, roles=OFFICE_ROLES) -> Plan:
    plan = by_code(Plan, code)
    require(current_user, roles, plan.issued_by)
    return plan


def scoped_station(code: str, roles=OFFICE_ROLES) -> Station:
    station = by_code(Station, code)
    require(current_user, roles, station.area)
    return station


def scoped_device(code: str, roles=OFFICE_ROLES) -> Device:
    device = by_code(Device, code)
    require(current_user, roles, device.area)
    return device


def area_ids(roles=OFFICE_ROLES) -> set[int]:
    """Ids of every area the user may act on with `roles`."""
    return area_ids_in_scope(db.session(), current_user, roles)


def areas_in_scope(roles=OFFICE_ROLES, levels: tuple[str, ...] = ()) -> list[Area]:
    ids = area_ids(roles)
    query = select(Area).where(Area.id.in_(ids))
    if levels:
        query = query.where(Area.level.in_(levels))
    return list(db.session().scalars(query.order_by(Area.code)))
