"""The device polls' first step: who is calling and what its ETag is made of, in one query.

Most polls change nothing and end in 304, so this is the hot path of the whole API: a device
polls its schedule every minute and its emergency bulletins every 30 s, all day. One statement
(db.read_alone: no records built, no transaction; nothing written unless last-seen is due, see
presence.is_contact_due) finds the device by its token's digest, its area, its station's
schedule version and the emergency bulletins reaching its area: all that feed.schedule_etag and
feed.bulletins_etag are made of.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, true
from sqlalchemy.orm import Session

from .. import db
from ..bulletins.delivery import emergency_signature_rows, signature_of
from ..models import Device, Station
from .operations import find_by_token


@dataclass(frozen=True)
class DevicePoll:
    id: int
    code: str
    token_hash: str
    area_id: int
    station_id: int
    status: str
    last_seen_at: datetime | None
    schedule_version: int
    emergency_signature: str  # bulletins.delivery.signature_of the emergency bulletins it must have now


_DIGEST = bindparam("digest")
_EMERGENCIES = emergency_signature_rows(
    select(Device.area_id).where(Device.token_hash == _DIGEST).scalar_subquery()).subquery()
# One row per emergency bulletin reaching the device (or one with no bulletin): the device's
# columns repeat. Built once, bound on every poll.
_POLL = select(Device.id, Device.code, Device.token_hash, Device.area_id, Device.station_id, Device.status,
               Device.last_seen_at, Station.schedule_version, _EMERGENCIES.c.uuid, _EMERGENCIES.c.media_sha256) \
    .join(Station, Station.id == Device.station_id).outerjoin(_EMERGENCIES, true()) \
    .where(Device.token_hash == _DIGEST).order_by(_EMERGENCIES.c.uuid)


def poll_by_token(session: Session, token: str, now: datetime) -> DevicePoll | None:
    """The calling device as a DevicePoll, or None for a missing, wrong or revoked token."""
    return find_by_token(token, lambda digest: _poll(session, digest, now))


def _poll(session: Session, digest: str, now: datetime) -> DevicePoll | None:
    rows = db.read_alone(session, _POLL, {"digest": digest, "now": now})  # no ORM layer, no transaction
    if not rows:
        return None
    signature = signature_of([(row.uuid, row.media_sha256) for row in rows if row.uuid is not None])
    return DevicePoll(*rows[0][:8], emergency_signature=signature)
