"""Which roles may do what: the one table of actions, checked on the area scope (scope.py).

Every check names an action, never a list of roles, so that who may do a thing is decided in
one place. Admin holds every role and a grant covers its area's subtree (scope.can).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import ROLES, Area, User
from . import scope

# The order of each tuple is the order refusal messages name the roles in.
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "area.read": ROLES,                                   # see a station's or an area's records
    "day.view": ("operator", "oversight", "approver"),    # a station's day, calendar and exports
    "plan.import": ("admin", "oversight", "approver"),
    "script.write": ("operator", "approver", "oversight"),
    "script.approve": ("approver",),
    # how the voice reads an abbreviation in an area: it changes how approved scripts will sound
    "glossary.edit": ("approver", "oversight"),
    "audio.upload": ("operator", "approver", "oversight"),
    "schedule.build": ("operator", "oversight"),
    "schedule.edit": ("operator",),
    "bulletin.issue": ("oversight", "operator"),
    "alert.approve": ("approver", "oversight"),           # issue an emergency alert an untrusted source sent
    "alert.manage": ("admin",),                           # alert sources; alerts held for want of an area
    "playlog.confirm": ("operator",),
    "compliance.view": ("oversight",),
    "compliance.makegood": ("operator", "oversight"),
    "feed.manage": ("operator", "oversight"),
    "office.use": ("oversight",),
    "device.view": ("operator", "oversight"),             # the loudspeakers pages and availability
    "device.alerts": ("operator",),                       # told when a loudspeaker goes silent, and back                         # the culture office's pages
    "users.manage": ("admin",),
    "notices.manage": ("admin",),                         # webhooks, and deliveries that failed
}


def roles_for(action: str) -> tuple[str, ...]:
    """The roles that may do `action` (KeyError for an action not in the table)."""
    return PERMISSIONS[action]


def may(user: User | None, action: str, area: Area) -> bool:
    """True when `user` may do `action` on `area` (or on an area above it)."""
    return scope.can(user, roles_for(action), area)


def require(user: User | None, action: str, area: Area) -> None:
    """Refuse (scope.require) unless `may(user, action, area)`."""
    scope.require(user, roles_for(action), area)


def area_ids_in_scope(session: Session, user: User, action: str) -> set[int]:
    """Every area id where `user` may do `action`."""
    return scope.area_ids_in_scope(session, user, roles_for(action))
