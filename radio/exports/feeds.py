"""Subscribable calendar feeds: a secret token per feed, revocable, only its hash stored."""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from schedules.exports import entries_calendar

from .. import audit
from ..auth.permissions import require
from ..auth.tokens import hash_token
from ..errors import RadioError
from ..models import Device, FeedToken, Station, User
from .playlist import entries_between, play_item

PAST_DAYS, FUTURE_DAYS = 7, 28  # what a feed shows around today


class FeedError(RadioError):
    """A feed operation refused, with a message that says why."""


def issue_feed_token(session: Session, actor: User | None, station: Station | None = None,
                     device: Device | None = None, label: str | None = None, *, now: datetime) -> str:
    """A new secret for one station's or device's feed; returned once, stored hashed."""
    if (station is None) == (device is None):
        raise FeedError("a feed is for one station or one device")
    area = station.area if station else device.area
    if actor is None:
        raise FeedError("issuing a feed token needs --as USERNAME (it is audited)")
    require(actor, "feed.manage", area)
    token = secrets.token_urlsafe(24)
    feed = FeedToken(token_hash=hash_token(token), station=station, device=device, label=label,
                     created_by_id=actor.id, created_at=now)
    session.add(feed)
    session.flush()
    audit.record(session, actor, "feed.issue", "feed", str(feed.id), at=now, area=area,
                 after={"station": station.code if station else None, "device": device.code if device else None})
    return token


def revoke_feed_token(session: Session, actor: User | None, feed: FeedToken, *, now: datetime) -> None:
    area = feed.station.area if feed.station else feed.device.area
    if actor is None:
        raise FeedError("revoking a feed token needs --as USERNAME (it is audited)")
    require(actor, "feed.manage", area)
    feed.revoked_at = now
    audit.record(session, actor, "feed.revoke", "feed", str(feed.id), at=now, area=area)
    session.flush()


def feed_for(session: Session, token: str | None) -> FeedToken | None:
    """The live feed this token opens, or None (unknown or revoked)."""
    if not token:
        return None
    feed = session.scalar(select(FeedToken).where(FeedToken.token_hash == hash_token(token)))
    return feed if feed is not None and feed.revoked_at is None else None


def station_feed(session: Session, station: Station, tz: ZoneInfo, now: datetime) -> bytes:
    first, last = _range(now, tz)
    items = [play_item(e, tz) for e in entries_between(session, station, first, last, with_cancelled=True)]
    return entries_calendar(station.code, station.name, items, tz.key, now)


def device_feed(session: Session, device: Device, tz: ZoneInfo, now: datetime) -> bytes:
    """The device's station's entries for everyone, plus those aimed at its village."""
    first, last = _range(now, tz)
    entries = [e for e in entries_between(session, device.station, first, last, with_cancelled=True)
               if e.target_area_id in (None, device.area_id)]
    items = [play_item(e, tz) for e in entries]
    return entries_calendar(device.code, f"{device.station.name} – {device.area.name}", items, tz.key, now)


def _range(now: datetime, tz: ZoneInfo) -> tuple[date, date]:
    today = now.astimezone(tz).date()
    return today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
