"""The bulletins' periodic check: emergency bulletins some loudspeakers have not fetched.

An emergency bulletin must reach every device of its areas within a poll or two; when some
devices still have not fetched it NOTICE_BULLETIN_UNFETCHED_MINUTES after it took effect, its
issuer is told how many and in which villages, so that someone can go and look.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload

from .. import clock, db, notices
from ..area_tree import subtree_ids
from ..models import Bulletin, BulletinDelivery, Device, User
from ..notices import kinds


@dataclass(frozen=True)
class UnfetchedBulletin:
    """An emergency bulletin in force, the devices it reaches that have not fetched it, and whom to tell."""

    bulletin: Bulletin
    unfetched: list[Device]
    reached: int
    issuer: list[User]

    @property
    def villages(self) -> list[str]:
        """The names of their villages, in the order of the area codes."""
        areas = {device.area.code: device.area.name for device in self.unfetched}
        return [areas[code] for code in sorted(areas)]


def unfetched_bulletins(session: Session, now: datetime, minutes: int) -> list[UnfetchedBulletin]:
    """Emergency bulletins issued and in effect for at least `minutes`, not cancelled nor expired,
    that some device in use among those they reach has neither fetched nor reported playing."""
    since = now - timedelta(minutes=minutes)
    bulletins = session.scalars(select(Bulletin).where(
        Bulletin.priority == "emergency", Bulletin.cancelled_at.is_(None), Bulletin.created_at <= since,
        Bulletin.valid_from <= since, Bulletin.valid_until > now).order_by(Bulletin.created_at, Bulletin.id)).all()
    found = []
    for bulletin in bulletins:
        in_use = select(Device).where(Device.area_id.in_(subtree_ids(session, [a.id for a in bulletin.areas])),
                                      Device.retired_on.is_(None))
        fetched = exists().where(BulletinDelivery.bulletin_id == bulletin.id,
                                 BulletinDelivery.device_id == Device.id)
        unfetched = session.scalars(in_use.where(~fetched).options(joinedload(Device.area))
                                    .order_by(Device.code)).all()
        if unfetched:
            reached = len(session.scalars(in_use.with_only_columns(Device.id)).all())
            issuer = session.get(User, bulletin.issued_by_id) if bulletin.issued_by_id else None
            found.append(UnfetchedBulletin(bulletin, list(unfetched), reached,
                                           [issuer] if issuer is not None and issuer.is_active else []))
    return found


def tell_unfetched_bulletins(session: Session, due: list[UnfetchedBulletin], now: datetime) -> None:
    for item in due:
        bulletin = item.bulletin
        notices.emit(session, kinds.BULLETIN_UNFETCHED, item.issuer, about=f"bulletin-unfetched:{bulletin.uuid}",
                     values={"bulletin": bulletin.title, "unfetched": len(item.unfetched), "devices": item.reached,
                             "villages": ", ".join(item.villages), "valid_from_at": bulletin.valid_from.isoformat()},
                     link=notices.page("bulletins.bulletin_view", uuid_text=str(bulletin.uuid)), now=now)


def check_unfetched_bulletins() -> None:
    """Periodic: tell each issuer of an emergency bulletin that some devices have not fetched
    NOTICE_BULLETIN_UNFETCHED_MINUTES after it took effect (once per bulletin)."""
    session, now = db.session(), clock.now()
    due = unfetched_bulletins(session, now, current_app.config["NOTICE_BULLETIN_UNFETCHED_MINUTES"])
    tell_unfetched_bulletins(session, due, now)
    session.commit()
    notices.dispatch()
