"""Operator confirmations and unscheduled airings, stored as play logs with who and when.

Each log's client UUID is derived from what it records (the entry; or station, episode and
start), so confirming again, by anyone, finds the log already there and never counts twice;
the rows go in with `INSERT … ON CONFLICT DO NOTHING` like device logs. An entry may be ticked
from its window's opening (an operator ticks the window's items as the window airs, or all at
once), and a tick undone on the day it was made (a mis-tap), both audited. Area scope is checked
here (an operator of the station's area or above, or an admin), so the CLI and the web pages
share the check.
"""
from __future__ import annotations

import uuid as uuid_module
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schedules.exports import Tick
from schedules.marking import N_
from schedules.planfile.messages import Term

from .. import audit, clock, db
from ..auth.permissions import require
from ..bulletins.operations import episode_key
from ..core_inputs import station_input
from ..errors import RadioError
from ..models import Device, Episode, PlayLog, ScheduleEntry, Series, Station, User, uuid_key

# Namespace of the derived client UUIDs (a fixed random value: it only has to be ours).
_NAMESPACE = uuid_module.UUID("5b0f3c1e-8d57-4c52-9a53-3f2c0e6a7d11")
# Kinds an operator can confirm: reservations have nothing to air until an episode fills them.
CONFIRMABLE_KINDS = ("episode", "bulletin", "relay", "live")


class ConfirmationError(RadioError):
    """A confirmation or unscheduled airing refused, with what and where. `code` names the rule
    broken, and is also what its page says (`messages`, filled with `values`)."""

    messages = {
        "in_future": N_("Lúc %(at)s chưa tới: chỉ ghi nhận được những gì đã phát."),
        "not_airable_entries": N_("Mục này không có trong lịch phát của đài ngày này."),
        "not_started": N_("Buổi phát của mục này chưa bắt đầu."),
        "window_not_started": N_("Buổi phát này chưa bắt đầu."),
        "window_empty": N_("Buổi phát này không có mục nào để đánh dấu."),
        "no_window": N_("Ngày này không có buổi phát này."),
        "window_off_day": N_("“%(window)s” không phát vào ngày %(day)s."),
        "not_ticked": N_("Mục này chưa được đánh dấu đã phát."),
        "undo_too_late": N_("Chỉ bỏ được dấu đã phát trong ngày đã đánh dấu (lúc %(at)s)."),
        "no_audio": N_("Tin “%(title)s” chưa có âm thanh để phát."),
    }

    def __init__(self, message: str, *, code: str = "refused", **values: object):
        super().__init__(message, code=code, reason=code if code in self.messages else None, values=values)


def confirmation_uuid(entry_uuid: uuid_module.UUID) -> uuid_module.UUID:
    return uuid_module.uuid5(_NAMESPACE, f"confirm/{entry_uuid}")


def unscheduled_uuid(station: Station, episode: Episode, at: datetime) -> uuid_module.UUID:
    return uuid_module.uuid5(_NAMESPACE, f"unscheduled/{station.code}/{episode.id}/{at.timestamp():.0f}")


def confirm_entries(session: Session, *, station: Station, day: date, user: User, now: datetime,
                    entry_uuids=None, window: str | None = None) -> list[PlayLog]:
    """Confirm that the station aired its entries of local `day`: all those already started when
    `entry_uuids` and `window` are None; all of `window` once it has opened (refused on a day it
    is not on air, as the day page does not list it then); else exactly
    `entry_uuids` (refused as a whole when one is not the station's entry of that day, is
    cancelled or its window has not opened yet). Returns the logs this call created; entries
    confirmed before are left as they were."""
    require(user, "playlog.confirm", station.area)
    if window is not None:
        entries = _window_entries(session, station, day, now, window)
    else:
        entries = _entries_to_confirm(session, station, day, now, entry_uuids)
    rows = [{"client_uuid": confirmation_uuid(e.uuid), "station_id": station.id, "user_id": user.id,
             "entry_id": e.id, "episode_id": e.episode_id, "bulletin_id": e.bulletin_id,
             "started_at": e.start_at, "ended_at": e.end_at, "status": "played",
             "note": "confirmed by operator", "received_at": now} for e in entries]
    created = {key for key, *_ in db.insert_new(session, PlayLog.__table__, rows, uuid_key(session))}
    if created:
        audit.record(session, user, "playlog.confirm", "station", station.code, at=now, area=station.area,
                     after={"date": day.isoformat(),
                            "entries": [str(e.uuid) for e in entries if confirmation_uuid(e.uuid) in created]})
    session.flush()
    return list(session.scalars(select(PlayLog).where(PlayLog.client_uuid.in_(created))
                                .order_by(PlayLog.started_at, PlayLog.id))) if created else []


def _confirmable(session: Session, station: Station, day: date) -> list[ScheduleEntry]:
    return session.scalars(select(ScheduleEntry).where(
        ScheduleEntry.station_id == station.id, ScheduleEntry.local_date == day,
        ScheduleEntry.status == "planned", ScheduleEntry.kind.in_(CONFIRMABLE_KINDS),
    ).order_by(ScheduleEntry.start_at, ScheduleEntry.id)).all()


def _window_opening(station: Station, day: date, window: str | None, tz: ZoneInfo) -> datetime | None:
    """When `window` opens on `day` (None for an unknown window): from then its items may be ticked."""
    found = next((w for w in station.windows if w.name == window), None)
    return None if found is None else datetime.combine(day, found.start_time, tzinfo=tz)


def _tickable_from(entry: ScheduleEntry, tz: ZoneInfo) -> datetime:
    """An entry may be ticked from its window's opening; one outside every window, from its start."""
    opens = _window_opening(entry.station, entry.local_date, entry.window_name, tz)
    return entry.start_at if opens is None else min(opens, entry.start_at)


def _window_entries(session: Session, station: Station, day: date, now: datetime, window: str) -> list[ScheduleEntry]:
    opens = _window_opening(station, day, window, clock.station_tz())
    if opens is None:
        raise ConfirmationError(f"{station.code} has no window {window!r}", code="no_window")
    plain = station_input(station)  # as the day page lists the day's windows: closed days, dates, weekdays
    if day in plain.closed or not plain.window(window).is_open_on(day):
        raise ConfirmationError(f"window {window!r} of {station.code} is not on air on {day:%d/%m/%Y}",
                                code="window_off_day", window=Term(station.window_title(window)), day=day)
    if opens > now:
        raise ConfirmationError(f"window {window!r} opens at {opens.isoformat()} (now {now.isoformat()})",
                                code="window_not_started")
    entries = [e for e in _confirmable(session, station, day) if e.window_name == window]
    if not entries:  # nothing to tick: never "the whole window aired"
        raise ConfirmationError(f"window {window!r} of {station.code} has no entry to confirm on {day:%d/%m/%Y}",
                                code="window_empty")
    return entries


def _entries_to_confirm(session, station, day, now, entry_uuids) -> list[ScheduleEntry]:
    of_day = _confirmable(session, station, day)
    if entry_uuids is None:
        return [e for e in of_day if e.start_at <= now]
    wanted = [_as_uuid(u) for u in entry_uuids]
    by_uuid = {e.uuid: e for e in of_day}
    foreign = [str(u) for u in wanted if u not in by_uuid]
    if foreign:
        raise ConfirmationError(f"not planned entries of {station.code} on {day:%d/%m/%Y} that can be aired: "
                                + ", ".join(foreign), code="not_airable_entries")
    tz = clock.station_tz()
    early = [str(u) for u in wanted if _tickable_from(by_uuid[u], tz) > now]
    if early:
        raise ConfirmationError(f"window not started yet (now {now.isoformat()}): {', '.join(early)}",
                                code="not_started")
    return [by_uuid[u] for u in dict.fromkeys(wanted)]


def undo_confirmation(session: Session, *, station: Station, entry_uuid, user: User, now: datetime) -> None:
    """Take back an operator's "đã phát" tick of one entry, on the local day the tick was made
    (a mis-tap is put right at once; a tick of an earlier day is a record to keep). Audited with
    who ticked it and when; a device's own report of the airing is left as it was."""
    require(user, "playlog.confirm", station.area)
    wanted = _as_uuid(entry_uuid)
    entry = session.scalar(select(ScheduleEntry).where(ScheduleEntry.uuid == wanted,
                                                       ScheduleEntry.station_id == station.id))
    log = entry and session.scalar(select(PlayLog).where(PlayLog.client_uuid == confirmation_uuid(entry.uuid)))
    if log is None:
        raise ConfirmationError(f"entry {wanted} of {station.code} is not ticked", code="not_ticked")
    tz = clock.station_tz()
    if log.received_at.astimezone(tz).date() != now.astimezone(tz).date():
        raise ConfirmationError(f"ticked at {log.received_at.isoformat()}: a tick is undone on the day it was made",
                                code="undo_too_late", at=f"{log.received_at.astimezone(tz):%H:%M %d/%m/%Y}")
    ticked_by = session.get(User, log.user_id) if log.user_id else None
    audit.record(session, user, "playlog.unconfirm", "station", station.code, at=now, area=station.area,
                 before={"date": entry.local_date.isoformat(), "entries": [str(entry.uuid)],
                         "by": ticked_by.name if ticked_by else None, "at": log.received_at.isoformat()})
    session.delete(log)
    session.flush()


def _as_uuid(value) -> uuid_module.UUID:
    if isinstance(value, uuid_module.UUID):
        return value
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        raise ConfirmationError(f"{value!r} is not an entry UUID", code="not_airable_entries") from None


def add_unscheduled(session: Session, *, station: Station, episode: Episode, at: datetime, user: User,
                    now: datetime) -> PlayLog:
    """Record an airing that was not on the schedule (it counts toward requirements it matches);
    recording the same station, episode and start again returns the log already there."""
    require(user, "playlog.confirm", station.area)
    if at.tzinfo is None:
        raise ConfirmationError("the airing's start needs a time zone")
    if at > now:
        raise ConfirmationError(f"{at.isoformat()} is in the future (now {now.isoformat()})", code="in_future",
                                at=f"{at:%d/%m/%Y %H:%M}")
    if episode.media is None:
        raise ConfirmationError(f"episode {episode.code} has no audio, so it cannot have been aired",
                                code="no_audio", title=episode.title)
    key = unscheduled_uuid(station, episode, at)
    row = {"client_uuid": key, "station_id": station.id, "user_id": user.id, "entry_id": None,
           "episode_id": episode.id, "bulletin_id": None, "started_at": at,
           "ended_at": at + timedelta(seconds=episode.media.duration_s), "status": "played",
           "note": "unscheduled airing recorded by operator", "received_at": now}
    if db.insert_new(session, PlayLog.__table__, [row], uuid_key(session)):
        audit.record(session, user, "playlog.add", "station", station.code, at=now, area=station.area,
                     after={"episode": episode_key(episode), "at": at.isoformat(),
                            "log": str(key)})
        session.flush()
    return session.scalar(select(PlayLog).where(PlayLog.client_uuid == key))


class UnscheduledAiring(NamedTuple):
    started_at: datetime
    ended_at: datetime | None
    episode: str  # its title
    series: str  # its series' title
    recorded_by: str | None  # the operator's name; None when a device reported it


def unscheduled_airings(session: Session, *, station: Station, first: datetime,
                        last: datetime) -> list[UnscheduledAiring]:
    """The airings off the schedule recorded at `station` (by its operators or its devices) that
    started in [first, last), in time order."""
    rows = session.execute(
        select(PlayLog.started_at, PlayLog.ended_at, Episode.title, Series.title,
               func.coalesce(User.display_name, User.username))
        .join(Episode, Episode.id == PlayLog.episode_id).join(Series, Series.id == Episode.series_id)
        .outerjoin(User, User.id == PlayLog.user_id).outerjoin(Device, Device.id == PlayLog.device_id)
        .where(func.coalesce(PlayLog.station_id, Device.station_id) == station.id, PlayLog.entry_id.is_(None),
               PlayLog.bulletin_id.is_(None), PlayLog.status == "played",
               PlayLog.started_at >= first, PlayLog.started_at < last)
        .order_by(PlayLog.started_at, PlayLog.id))
    return [UnscheduledAiring(*row) for row in rows]


def ticks_of_day(session: Session, *, station: Station, day: date) -> dict[str, Tick]:
    """The "đã phát" ticks of the station's entries of local `day`, by entry UUID: who ticked
    (their name) and when, for the day page and the printed log book."""
    rows = session.execute(
        select(ScheduleEntry.uuid, User, PlayLog.received_at)
        .join(PlayLog, PlayLog.entry_id == ScheduleEntry.id).join(User, User.id == PlayLog.user_id)
        .where(ScheduleEntry.station_id == station.id, ScheduleEntry.local_date == day,
               PlayLog.device_id.is_(None), PlayLog.status == "played")
        .order_by(PlayLog.received_at, PlayLog.id))
    return {str(entry): Tick(user.name, at) for entry, user, at in rows}
