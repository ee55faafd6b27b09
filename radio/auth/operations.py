"""User operations (verb-first, flush only; the caller commits)."""
from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit, lookups
from ..errors import RadioError
from ..models import ROLES, RoleGrant, User

MIN_PASSWORD_LENGTH = 8


class UserError(RadioError):
    """A user operation refused, with a message that says why."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    return generate_password_hash(password, method="scrypt")


def add_user(session: Session, actor: User | None, username: str, password: str | None,
             role: str, area_code: str, display_name: str | None = None, *, now: datetime) -> User:
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise UserError(f"user {username!r} exists already")
    # None means "no password yet" (the account cannot log in); an empty one is a short one.
    has_password = password is not None
    user = User(username=username, display_name=display_name, created_at=now,
                password_hash=hash_password(password) if has_password else None,
                password_changed_at=now if has_password else None)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.add", "user", username, at=now, after={"display_name": display_name})
    grant_role(session, actor, user, role, area_code, now=now)
    return user


def grant_role(session: Session, actor: User | None, user: User, role: str, area_code: str, *,
               now: datetime) -> RoleGrant:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    area = lookups.area(session, area_code)
    existing = next((g for g in user.grants if g.role == role and g.area_id == area.id), None)
    if existing is not None:
        return existing
    grant = RoleGrant(user=user, role=role, area=area)
    session.add(grant)
    session.flush()
    audit.record(session, actor, "user.grant", "user", user.username, at=now, area=area,
                 after={"role": role, "area": area.code})
    return grant


def revoke_role(session: Session, actor: User | None, user: User, role: str, area_code: str, *,
                now: datetime) -> None:
    area = lookups.area(session, area_code)
    grant = next((g for g in user.grants if g.role == role and g.area_id == area.id), None)
    if grant is None:
        raise UserError(f"{user.username} has no {role} role on {area_code}")
    user.grants.remove(grant)
    audit.record(session, actor, "user.revoke", "user", user.username, at=now, area=area,
                 before={"role": role, "area": area.code})
    session.flush()


def set_password(session: Session, actor: User | None, user: User, password: str, *, now: datetime) -> None:
    """Set `user`'s password. One chosen by anyone else (an admin, or the system at the command
    line) is known to them: the user must change it at the next login."""
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    user.must_change_password = actor is None or actor.id != user.id
    audit.record(session, actor, "user.passwd", "user", user.username, at=now,
                 after={"must_change_password": user.must_change_password})
    session.flush()


def change_password(session: Session, user: User, current: str, new: str, *, now: datetime) -> None:
    """The signed-in user replaces their own password, proving they know the current one; a new
    password equal to it is refused (a reset password must really be replaced)."""
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise UserError("the current password is wrong", code="wrong_password")
    if new == current:
        raise UserError("the new password must differ from the current one", code="same_password")
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    user.must_change_password = False
    audit.record(session, user, "user.change_password", "user", user.username, at=now)
    session.flush()


def set_email(session: Session, actor: User | None, user: User, email: str | None, *, now: datetime) -> None:
    """Set (or, with None or "", clear) the address `user`'s notices are mailed to."""
    from email_validator import EmailNotValidError, validate_email

    address = None
    if email and email.strip():
        try:
            address = validate_email(email.strip(), check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise UserError(f"not an e-mail address: {exc}", code="bad_email") from None
    if address == user.email:
        return
    audit.record(session, actor, "user.email", "user", user.username, at=now,
                 before={"email": user.email}, after={"email": address})
    user.email = address
    session.flush()


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when name and password match an active account, else None (same cost either way)."""
    user = session.scalar(select(User).where(User.username == username))
    stored = user.password_hash if user and user.password_hash else _dummy_hash()
    ok = check_password_hash(stored, password)
    return user if ok and user is not None and user.is_active and user.password_hash else None


@cache
def _dummy_hash() -> str:
    """Made on the first sign-in, not at import: scrypt costs every command ~0.1 s."""
    return generate_password_hash("not-a-real-password", method="scrypt")
