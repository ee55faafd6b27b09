"""Who may download a stored audio file: the devices that are to play it and the users whose
areas schedule it or issued its plan. Media digests are not secrets, so knowing one is not
enough."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..area_tree import ancestors_and_self
from ..auth.permissions import area_ids_in_scope
from ..models import Bulletin, Device, Episode, Plan, ScheduleEntry, Series, Station, User, bulletin_areas


def device_may_fetch(session: Session, device: Device, sha256: str) -> bool:
    """Audio on the device's station schedule (any village of it: the file is the same), or of a
    bulletin issued to its area or an area above it."""
    scheduled = select(ScheduleEntry.id).join(Episode, Episode.id == ScheduleEntry.episode_id).where(
        Episode.media_sha256 == sha256, ScheduleEntry.station_id == device.station_id,
        ScheduleEntry.status == "planned").limit(1)
    if session.scalar(scheduled) is not None:
        return True
    reaching = select(bulletin_areas.c.bulletin_id).where(
        bulletin_areas.c.area_id.in_(ancestors_and_self(device.area_id)))
    issued = select(Bulletin.id).join(Episode, Episode.id == Bulletin.episode_id).where(
        Episode.media_sha256 == sha256, Bulletin.id.in_(reaching), Bulletin.cancelled_at.is_(None)).limit(1)
    return session.scalar(issued) is not None


def user_may_fetch(session: Session, user: User, sha256: str) -> bool:
    """Audio of a plan issued in the user's areas, or scheduled at a station in them."""
    scope = area_ids_in_scope(session, user, "area.read")
    if not scope:
        return False
    of_plan = select(Episode.id).join(Series).join(Plan).where(
        Episode.media_sha256 == sha256, Plan.issued_by_id.in_(scope)).limit(1)
    if session.scalar(of_plan) is not None:
        return True
    at_station = select(ScheduleEntry.id).join(Episode, Episode.id == ScheduleEntry.episode_id).join(
        Station, Station.id == ScheduleEntry.station_id).where(
        Episode.media_sha256 == sha256, Station.area_id.in_(scope)).limit(1)
    return session.scalar(at_station) is not None
