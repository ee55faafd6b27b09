"""The loudspeakers of a station or an area as the pages and the availability export show them:
each device's state, its offline periods within a span and its availability over it, and a
summary (how many online, offline, never seen; which villages are silent)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from ..area_tree import subtree_ids
from ..models import Device, OfflinePeriod
from .availability import Availability, availability
from .presence import presence

RECENT_DAYS = 30
STATES = ("online", "offline", "never_seen", "retired")


@dataclass(frozen=True)
class DeviceRow:
    device: Device
    state: str  # presence.presence
    periods: list[OfflinePeriod]  # those overlapping the span, latest first
    availability: Availability | None  # None: never seen


@dataclass(frozen=True)
class Overview:
    rows: list[DeviceRow]
    start: datetime
    end: datetime

    @property
    def counts(self) -> Counter:
        return Counter(row.state for row in self.rows)

    @property
    def silent(self) -> list[DeviceRow]:
        """Devices in use that are offline or were never seen: the villages not hearing the station."""
        return [row for row in self.rows if row.state in ("offline", "never_seen")]

    def by_station(self) -> dict:
        """The rows grouped by station, stations by name."""
        grouped: dict = {}
        for row in sorted(self.rows, key=lambda r: (r.device.station.name, r.device.area.name, r.device.code)):
            grouped.setdefault(row.device.station, []).append(row)
        return grouped


def local_span(first: date, last: date, tz: ZoneInfo, now: datetime) -> tuple[datetime, datetime]:
    """The instants of local days `first` to `last` inclusive, ending no later than now."""
    start = datetime.combine(first, time(), tzinfo=tz)
    return start, max(start, min(now, datetime.combine(last + timedelta(days=1), time(), tzinfo=tz)))


def recent_span(now: datetime) -> tuple[datetime, datetime]:
    return now - timedelta(days=RECENT_DAYS), now


def station_overview(session: Session, station_id: int, span: tuple[datetime, datetime], *, now: datetime,
                     tz: ZoneInfo, poll_s: int) -> Overview:
    return _overview(session, Device.station_id == station_id, span, now, tz, poll_s)


def area_overview(session: Session, area_id: int, span: tuple[datetime, datetime], *, now: datetime,
                  tz: ZoneInfo, poll_s: int) -> Overview:
    return _overview(session, Device.area_id.in_(subtree_ids(session, [area_id])), span, now, tz, poll_s)


def _overview(session, where, span, now, tz, poll_s) -> Overview:
    start, end = span
    devices = list(session.scalars(select(Device).where(where).options(
        joinedload(Device.area), joinedload(Device.station)).order_by(Device.code)))
    periods: dict[int, list[OfflinePeriod]] = {}
    found = session.scalars(select(OfflinePeriod).where(
        OfflinePeriod.device_id.in_([d.id for d in devices]), OfflinePeriod.offline_from < end,
        or_(OfflinePeriod.back_at.is_(None), OfflinePeriod.back_at > start)).order_by(OfflinePeriod.offline_from.desc()))
    for period in found:
        periods.setdefault(period.device_id, []).append(period)
    rows = []
    for device in devices:
        own = periods.get(device.id, [])
        retired_at = None if device.retired_on is None else datetime.combine(device.retired_on, time(), tzinfo=tz)
        measured = availability([(p.offline_from, p.back_at) for p in own], start, end, added_at=device.added_at,
                                retired_at=retired_at, is_seen=device.last_seen_at is not None)
        rows.append(DeviceRow(device, presence(device, now, poll_s), own, measured))
    return Overview(rows, start, end)
