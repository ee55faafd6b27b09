"""Finding one record by the name a person gives it: a code, PLAN/CODE, a UUID or a username.

Each lookup raises `NotFound` with the text people have always read ("no station with code
'X'"), so that the CLI, the pages and the API say the same thing; a name that fits several
records is refused with a `RadioError` saying how to name exactly one.
"""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import NotFound, RadioError
from .models import Area, Bulletin, Device, Episode, Plan, Requirement, ScheduleEntry, Series, Station, User


def split_reference(reference: str) -> tuple[str, str]:
    """PLAN/CODE as (plan code, code); a bare CODE gives ("", CODE)."""
    plan_code, _sep, code = reference.rpartition("/")
    return plan_code, code


def is_storable(text: str) -> bool:
    """Text a database can hold: no NUL (PostgreSQL refuses it) and no lone surrogates (JSON
    escapes can make them; they are not UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def by_code(session: Session, model, code: str, **where):
    """The record of `model` with `code` (and the extra column filters); a code no database could
    hold (a NUL, a lone surrogate) is simply not found."""
    found = session.scalar(select(model).where(model.code == code).filter_by(**where)) if is_storable(code) else None
    if found is None:
        raise NotFound(f"no {model.__name__.lower()} with code {code!r}")
    return found


def area(session: Session, code: str) -> Area:
    return by_code(session, Area, code)


def station(session: Session, code: str) -> Station:
    return by_code(session, Station, code)


def plan(session: Session, code: str) -> Plan:
    return by_code(session, Plan, code)


def device(session: Session, code: str) -> Device:
    return by_code(session, Device, code)


def user(session: Session, username: str) -> User:
    found = session.scalar(select(User).where(User.username == username))
    if found is None:
        raise NotFound(f"no user named {username!r}")
    return found


def series(session: Session, code: str, plan_code: str | None = None) -> Series:
    """A series by code, within `plan_code` when given (codes are unique per plan only)."""
    query = select(Series).where(Series.code == code)
    if plan_code:
        query = query.join(Plan).where(Plan.code == plan_code)
    return _one(session.scalars(query).all(), f"no series with code {code!r}",
                f"series {code!r} exists in several plans: name one with --plan")


def requirement(session: Session, reference: str) -> Requirement:
    """A requirement by CODE or PLAN/CODE (codes are unique per plan only)."""
    plan_code, code = split_reference(reference)
    query = select(Requirement).join(Plan).where(Requirement.code == code)
    if plan_code:
        query = query.where(Plan.code == plan_code)
    return _one(session.scalars(query).all(), f"no requirement {reference!r}",
                f"requirement {reference!r} is in several plans: write PLAN/CODE")


def _one(found: list, missing: str, ambiguous: str):
    """The one record a name found: NotFound without any, a refusal naming the need for a fuller
    name with several (codes are unique per plan or series only)."""
    if not found:
        raise NotFound(missing)
    if len(found) > 1:
        raise RadioError(ambiguous)
    return found[0]


def episode_key(episode: Episode) -> str:
    """The name that finds exactly this episode: PLAN/SERIES/CODE."""
    return f"{episode.series.plan.code}/{episode.series.code}/{episode.code}"


def episode(session: Session, reference: str) -> Episode:
    """An episode by CODE, SERIES/CODE or PLAN/SERIES/CODE (codes are unique per series only)."""
    parts = reference.split("/")
    if not 1 <= len(parts) <= 3 or not all(parts):
        raise RadioError(f"episode {reference!r}: write CODE, SERIES/CODE or PLAN/SERIES/CODE")
    query = select(Episode).join(Series).join(Plan).where(Episode.code == parts[-1])
    if len(parts) >= 2:
        query = query.where(Series.code == parts[-2])
    if len(parts) == 3:
        query = query.where(Plan.code == parts[0])
    found = session.scalars(query.order_by(Episode.id)).all()
    if not found:
        raise NotFound(f"no episode {reference!r}")
    if len(found) > 1:
        names = ", ".join(episode_key(e) for e in found)
        raise RadioError(f"episode {reference!r} is ambiguous ({names}): name it as PLAN/SERIES/CODE")
    return found[0]


def _uuid(text, not_one: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(text))
    except ValueError:
        raise NotFound(not_one) from None


def schedule_entry(session: Session, uuid_text: str) -> ScheduleEntry:
    return _by_uuid(session, ScheduleEntry, uuid_text, f"{uuid_text!r} is not an entry UUID",
                    f"no schedule entry {uuid_text}")


def bulletin(session: Session, uuid_text: str) -> Bulletin:
    return _by_uuid(session, Bulletin, uuid_text, f"{uuid_text!r} is not a bulletin id (a UUID)",
                    f"no bulletin {uuid_text}")


def _by_uuid(session: Session, model, uuid_text: str, not_one: str, missing: str):
    """A record by the UUID people and devices name it by: NotFound for a malformed one too."""
    found = session.scalar(select(model).where(model.uuid == _uuid(uuid_text, not_one)))
    if found is None:
        raise NotFound(missing)
    return found
