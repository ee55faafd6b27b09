"""Emergency bulletins on their way to devices, and the record of who fetched and played them.

A device sees the emergency bulletins of its village and of every area above it that are
valid now and not cancelled. The poll path asks for their identities only (within its one
query, devices/polling.py), so a 304 answer stays cheap; the full rows are loaded only when the
answer changes.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import Row, Select, bindparam, select, update
from sqlalchemy.orm import Session, selectinload

from .. import db
from ..area_tree import ancestors_and_self
from ..models import Bulletin, BulletinDelivery, Device, Episode, bulletin_areas


def _in_force(now) -> list:
    """An emergency bulletin not cancelled and valid at `now` (a value, or a bound parameter)."""
    return [Bulletin.priority == "emergency", Bulletin.cancelled_at.is_(None), Bulletin.valid_from <= now,
            Bulletin.valid_until > now]


def _emergency_filter(area_id=None) -> list:
    """Bound later with the device's area (or `area_id`, an expression) and the time: built once,
    as the poll path runs it for every request (building a statement costs more than running it)."""
    area_id = bindparam("area_id") if area_id is None else area_id
    reaching = select(bulletin_areas.c.bulletin_id).where(
        bulletin_areas.c.area_id.in_(ancestors_and_self(area_id)))
    return [Bulletin.id.in_(reaching), *_in_force(bindparam("now"))]


def emergencies_in_force(session: Session, now: datetime) -> list[Row]:
    """(id, uuid, audio sha256) of every emergency bulletin in force, whichever areas it reaches."""
    return session.execute(select(Bulletin.id, Bulletin.uuid, Episode.media_sha256).join(Episode, isouter=True)
                           .where(*_in_force(now))).all()


def emergency_signature_rows(area_id=None) -> Select:
    """(uuid, audio sha256) of the emergency bulletins reaching the area at :now, what
    `signature_of` digests; `area_id` as in _emergency_filter."""
    return select(Bulletin.uuid, Episode.media_sha256).join(Episode, isouter=True) \
        .where(*_emergency_filter(area_id)).order_by(Bulletin.uuid)


_EMERGENCIES = select(Bulletin).where(*_emergency_filter()) \
    .options(selectinload(Bulletin.episode).selectinload(Episode.media)).order_by(Bulletin.created_at, Bulletin.id)


def signature_of(rows: list[tuple]) -> str:
    """The digest of (uuid, sha256) rows in uuid order; "0" for none. Part of the schedule and
    bulletin ETags: a new, cancelled or expired emergency bulletin, or new audio for one, moves
    it, so none is ever hidden behind a 304."""
    if not rows:
        return "0"
    text = ";".join(f"{uuid}:{sha}" for uuid, sha in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def signature_of_sent(bulletins: list[Bulletin]) -> str:
    """signature_of the bulletins an answer carries. A full answer's ETag is made of what it
    sends, not of the poll's first read: one issued and cancelled between the two reads would
    otherwise leave the device holding it behind an ETag that matches again once it is gone."""
    return signature_of(sorted((b.uuid, b.episode.media_sha256 if b.episode else None) for b in bulletins))


def emergency_bulletins(session: Session, device, now: datetime) -> list[Bulletin]:
    """The emergency bulletins to play at once, oldest first (`device`: a record or a DevicePoll)."""
    return list(session.scalars(_EMERGENCIES, {"area_id": device.area_id, "now": now}))


def record_fetched(session: Session, device: Device, bulletin_ids: set[int], now: datetime) -> None:
    """Note that the device was sent these bulletins (the first time counts)."""
    rows = [{"bulletin_id": b, "device_id": device.id, "fetched_at": now} for b in sorted(bulletin_ids)]
    db.insert_new(session, BulletinDelivery.__table__, rows, ["bulletin_id", "device_id"])


def record_played(session: Session, device: Device, bulletin_id: int, at: datetime) -> None:
    """Note that the device reported playing the bulletin (the first report counts)."""
    db.insert_new(session, BulletinDelivery.__table__,
                  [{"bulletin_id": bulletin_id, "device_id": device.id, "played_at": at}],
                  ["bulletin_id", "device_id"])
    session.execute(update(BulletinDelivery).where(
        BulletinDelivery.bulletin_id == bulletin_id, BulletinDelivery.device_id == device.id,
        BulletinDelivery.played_at.is_(None)).values(played_at=at))


def deliveries(session: Session, bulletin: Bulletin) -> list[tuple[str, datetime | None, datetime | None]]:
    """(device code, fetched at, played at) for every device that fetched or played the bulletin."""
    return [tuple(row) for row in session.execute(
        select(Device.code, BulletinDelivery.fetched_at, BulletinDelivery.played_at)
        .join(Device, Device.id == BulletinDelivery.device_id)
        .where(BulletinDelivery.bulletin_id == bulletin.id).order_by(Device.code))]
