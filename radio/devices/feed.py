"""What a device is sent: its schedule for the coming days and the emergency bulletins to play.

The schedule covers whole local days, from today for N days, so that it changes only when the
station's schedule version moves, the day turns, or the set of emergency bulletins changes:
exactly what its ETag is made of. The emergency bulletins have an answer of their own, with
an ETag of the device's area and the same emergency set. A poll of either that changes nothing
is answered from the ETag alone (one query, polling.py; no records built, nothing written
unless last-seen is due), and one ETag always stands for the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from ..area_tree import ancestors_and_self
from ..bulletins.delivery import emergency_bulletins
from .polling import DevicePoll
from ..models import Bulletin, Device, Episode, MediaFile, Plan, Requirement, ScheduleEntry, Series, Station

STREAM_KINDS = ("relay", "live")


@dataclass
class ScheduleFeed:
    device: Device
    station: Station
    first_day: date
    days: int
    items: list[Row]  # flat rows (ITEM_COLUMNS): a 14-day schedule is hundreds of them
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
        return {b.id for b in self.bulletins} | {i.bulletin_id for i in self.items if i.bulletin_id}


def schedule_etag(device: DevicePoll, now: datetime, tz: ZoneInfo, days: int, poll_s: int, emergencies: str,
                  poll_file: str | None) -> str:
    """Strong ETag: station, schedule version (as the poll read it: the entries are read after,
    never older), local day, days asked, the poll interval the answer advertises (so a new
    DEVICE_POLL_SECONDS reaches devices at their next poll), `emergencies`, the signature of
    the emergency set (the poll's, to compare; the one sent, bulletins.delivery.signature_of_sent,
    on a full answer) and the key of the poll file the answer names (poll_files.py), if any."""
    day = now.astimezone(tz).date()
    file = f".f{poll_file[:8]}" if poll_file else ""
    return f"s{device.station_id}.v{device.schedule_version}.{day:%Y%m%d}.{days}d.p{poll_s}.e{emergencies}{file}"


def bulletins_etag(device: DevicePoll, poll_s: int, emergencies: str) -> str:
    """Strong ETag of the emergency bulletins' answer: the device's area, the poll interval and
    `emergencies` (as in schedule_etag). Bulletins are never edited, only issued, cancelled or
    expired, and what is sent of one is fixed by its UUID and its audio's sha256: what the
    signature digests."""
    return f"a{device.area_id}.p{poll_s}.e{emergencies}"


def load_schedule(session: Session, device: Device, now: datetime, tz: ZoneInfo, days: int) -> ScheduleFeed:
    first = now.astimezone(tz).date()
    items = device_items(session, device, first, first + timedelta(days=days - 1))
    return ScheduleFeed(device, device.station, first, days, items, emergency_bulletins(session, device, now), tz)


def _for_device(device: Device, first: date, last: date) -> list:
    """The station's planned entries of those local days, plus those aimed at the device's area
    (or an area above it)."""
    return [ScheduleEntry.station_id == device.station_id, ScheduleEntry.status == "planned",
            ScheduleEntry.local_date >= first, ScheduleEntry.local_date <= last,
            or_(ScheduleEntry.target_area_id.is_(None),
                ScheduleEntry.target_area_id.in_(ancestors_and_self(device.area_id)))]


_EntrySeries, _EpisodeSeries = aliased(Series), aliased(Series)
ITEM_COLUMNS = (
    ScheduleEntry.uuid, ScheduleEntry.start_at, ScheduleEntry.end_at, ScheduleEntry.kind, ScheduleEntry.title,
    ScheduleEntry.window_name, ScheduleEntry.source, ScheduleEntry.bulletin_id,
    _EntrySeries.code.label("series"), Episode.code.label("episode_code"), Episode.title.label("episode_title"),
    _EpisodeSeries.code.label("episode_series"), Plan.code.label("episode_plan"),
    MediaFile.sha256, MediaFile.bytes, MediaFile.duration_s, MediaFile.suffix,
    Requirement.priority.label("requirement_priority"), Bulletin.uuid.label("bulletin_uuid"),
    Bulletin.priority.label("bulletin_priority"),
)


def device_items(session: Session, device: Device, first: date, last: date) -> list[Row]:
    """What device_entries gives, as flat rows in one query: the schedule answer builds no ORM
    objects, so a 14-day schedule costs one round trip and no per-item work beyond the JSON."""
    rows = session.execute(select(*ITEM_COLUMNS).select_from(ScheduleEntry)
                           .outerjoin(_EntrySeries, _EntrySeries.id == ScheduleEntry.series_id)
                           .outerjoin(Episode, Episode.id == ScheduleEntry.episode_id)
                           .outerjoin(_EpisodeSeries, _EpisodeSeries.id == Episode.series_id)
                           .outerjoin(Plan, Plan.id == _EpisodeSeries.plan_id)
                           .outerjoin(MediaFile, MediaFile.sha256 == Episode.media_sha256)
                           .outerjoin(Requirement, Requirement.id == ScheduleEntry.requirement_id)
                           .outerjoin(Bulletin, Bulletin.id == ScheduleEntry.bulletin_id)
                           .where(*_for_device(device, first, last))
                           .order_by(ScheduleEntry.start_at, ScheduleEntry.id)).all()
    return [row for row in rows if (row.source if row.kind in STREAM_KINDS else row.sha256)]


def device_entries(session: Session, device: Device, first: date, last: date) -> list[ScheduleEntry]:
    """The device's entries of those days that it can play, as objects (a day's playlist)."""
    rows = session.scalars(select(ScheduleEntry).where(*_for_device(device, first, last)).options(
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


def item_priority(row: Row) -> str:
    return row.bulletin_priority or row.requirement_priority or "normal"
