"""Each user's channels per kind: in the app always; e-mail as they chose, else the kind's default."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import NoticePreference, User
from .kinds import EMAIL_BY_DEFAULT, KINDS


def email_choices(session: Session, user: User) -> dict[str, bool]:
    """kind → whether `user` wants it by e-mail."""
    chosen = dict(session.execute(select(NoticePreference.kind, NoticePreference.email)
                                  .where(NoticePreference.user_id == user.id)).all())
    return {kind: chosen.get(kind, kind in EMAIL_BY_DEFAULT) for kind in KINDS}


def choose_email(session: Session, user: User, wanted: set[str]) -> None:
    """Keep `user`'s choice for every kind (those in `wanted` by e-mail); flushes."""
    rows = {row.kind: row for row in session.scalars(select(NoticePreference)
                                                      .where(NoticePreference.user_id == user.id))}
    for kind in KINDS:
        row = rows.get(kind) or NoticePreference(user_id=user.id, kind=kind)
        row.email = kind in wanted
        session.add(row)
    session.flush()
