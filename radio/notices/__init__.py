"""Stand-in for the notices module (replaced at merge by the real one): same signatures, and
notices kept in a list on the app instead of a table, so that the features' events can be
written and tested before it lands."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from ..models import User


@dataclass(frozen=True)
class Notice:
    kind: str
    about: str
    recipient_id: int
    values: dict
    link: str | None
    created_at: datetime


def stored() -> list[Notice]:
    return current_app.extensions.setdefault("radio.notices", [])


def emit(session: Session, kind: str, recipients: Iterable[User], *, about: str,
         values: dict[str, str | int], link: str | None, now: datetime) -> list[Notice]:
    """One notice per recipient for the event, none for a (kind, about, recipient) already told."""
    notices = stored()
    told = {(n.kind, n.about, n.recipient_id) for n in notices}
    created = []
    for user in {u.id: u for u in recipients}.values():
        if (kind, about, user.id) not in told:
            created.append(Notice(kind, about, user.id, dict(values), link, now))
    notices.extend(created)
    return created


def dispatch() -> None:
    """Nothing to hand over: the stand-in delivers in the app only."""
