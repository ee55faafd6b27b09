"""What a device is sent: its schedule for the coming days and the emergency bulletins to play.

The schedule covers whole local days, from today for N days, so that it changes only when the
station's schedule version moves, the day turns, or the set of emergency bulletins changes:
exactly what its ETag is made of. A poll that changes nothing is answered from the ETag alone
(three small queries, no entries loaded), and one ETag always stands for the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ..area_tree import ancestors_and_self
from ..bulletins.delivery import emergency_bulletins, emergency_signature
from ..models import Bulletin, Device, Episode, ScheduleEntry, Series, Station

STREAM_KINDS = ("relay", "live")


@dataclass
class ScheduleFeed:
    device: Device
    station: Station
    first_day: date
    days: int
    entries: list[ScheduleEntry]
    bulletins: list[Bulletin]
    tz: ZoneInfo

    @property
    def valid_until(self) -> datetime:
        """The end of the last day covered: a device cut off may play from its cache until then."""
        return datetime.combine(self.first_day + timedelta(days=self.days), time(), tzinfo=self.tz)

    @property
    def generated_at(self) -> datetime:
        """When what is sent last changed (the schedule version's time, or a newer bulletin), so
        that the same ETag always comes with the same body."""
        moments = [b.created_at for b in self.bulletins]
        if self.station.schedule_changed_at is not None:
            moments.append(self.station.schedule_changed_at)
        return max(moments, default=datetime.combine(self.first_day, time(), tzinfo=self.tz))

    @property
    def bulletin_ids(self) -> set[int]:
        """Every bulletin the answer carries, scheduled or to play at once."""
        return {b.id for b in self.bulletins} | {e.bulletin_id for e in self.entries if e.bulletin_id}


def schedule_etag(session: Session, device: Device, now: datetime, tz: ZoneInfo, days: int) -> str:
    """Strong ETag: station, schedule version, local day, days asked and the emergency set."""
    signature = emergency_signature(session, device, now)
    day = now.astimezone(tz).date()
    return f"s{device.station_id}.v{device.station.schedule_version}.{day:%Y%m%d}.{days}d.e{signature}"


def bulletins_etag(session: Session, device: Device, now: datetime) -> str:
    return f"a{device.area_id}.e{emergency_signature(session, device, now)}"


def load_schedule(session: Session, device: Device, now: datetime, tz: ZoneInfo, days: int) -> ScheduleFeed:
    first = now.astimezone(tz).date()
    entries = device_entries(session, device, first, first + timedelta(days=days - 1))
    return ScheduleFeed(device, device.station, first, days, entries, emergency_bulletins(session, device, now), tz)


def device_entries(session: Session, device: Device, first: date, last: date) -> list[ScheduleEntry]:
    """The station's planned entries for those local days, plus those aimed at the device's area
    (or an area above it), that a device can play; a fixed number of queries whatever their number."""
    rows = session.scalars(select(ScheduleEntry).where(
        ScheduleEntry.station_id == device.station_id, ScheduleEntry.status == "planned",
        ScheduleEntry.local_date >= first, ScheduleEntry.local_date <= last,
        or_(ScheduleEntry.target_area_id.is_(None),
            ScheduleEntry.target_area_id.in_(ancestors_and_self(device.area_id))),
    ).options(
        selectinload(ScheduleEntry.episode).options(
            selectinload(Episode.media), selectinload(Episode.series).selectinload(Series.plan)),
        selectinload(ScheduleEntry.series),
        selectinload(ScheduleEntry.requirement), selectinload(ScheduleEntry.bulletin),
    ).order_by(ScheduleEntry.start_at, ScheduleEntry.id)).all()
    return [row for row in rows if is_playable(row)]


def is_playable(entry: ScheduleEntry) -> bool:
    """Audio to download, or a stream to open; a reservation nobody filled is neither."""
    if entry.kind in STREAM_KINDS:
        return bool(entry.source)
    return entry.episode is not None and entry.episode.media is not None


def item_priority(entry: ScheduleEntry) -> str:
    if entry.bulletin is not None:
        return entry.bulletin.priority
    return entry.requirement.priority if entry.requirement else "normal"
