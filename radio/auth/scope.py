"""Area scope: the one check every view, API call and CLI command uses.

A role granted on an area covers that area and everything below it; admin covers every role.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..area_tree import ancestors_and_self
from ..errors import Forbidden
from ..models import Area, RoleGrant, User


def can(user: User | None, roles: Iterable[str], area: Area) -> bool:
    """True when `user` holds one of `roles` (or admin) on `area` or on an area above it."""
    if user is None or not getattr(user, "is_active", False):
        return False
    wanted = set(roles) | {"admin"}
    chain = {a.id for a in area.ancestors_and_self()}
    return any(grant.role in wanted and grant.area_id in chain for grant in user.grants)


def require(user: User | None, roles: Iterable[str], area: Area) -> None:
    """Raise Forbidden (403) unless `can(user, roles, area)`; handlers and operations call this first."""
    roles = tuple(roles)
    if not can(user, roles, area):
        raise Forbidden(f"{'/'.join(roles)} rights on {area.code} are needed")


def area_ids_in_scope(session: Session, user: User, roles: Iterable[str]) -> set[int]:
    """Every area id the user may act on with one of `roles` (a recursive query over the tree)."""
    wanted = set(roles) | {"admin"}
    roots = [g.area_id for g in user.grants if g.role in wanted]
    if not roots or not user.is_active:
        return set()
    tree = select(Area.id).where(Area.id.in_(roots)).cte("tree", recursive=True)
    tree = tree.union_all(select(Area.id).where(Area.parent_id == tree.c.id))
    return set(session.scalars(select(tree.c.id)))


def users_who_may(session: Session, permission: str, area_id: int) -> list[User]:
    """Active users whose role on the area or on an area above it grants `permission` in the
    table, by username: who to tell about something in that area. Unlike `can`, admin counts only
    where the table names it: an admin may step in anywhere, but is not told of everything."""
    from .permissions import roles_for  # permissions builds on this module

    wanted = roles_for(permission)
    chain = ancestors_and_self(area_id)
    return list(session.scalars(
        select(User).where(User.is_active.is_(True), User.id.in_(
            select(RoleGrant.user_id).where(RoleGrant.role.in_(wanted), RoleGrant.area_id.in_(chain))))
        .order_by(User.username)))


def grants_of(session: Session, user: User) -> list[RoleGrant]:
    return list(session.scalars(select(RoleGrant).where(RoleGrant.user_id == user.id)))
