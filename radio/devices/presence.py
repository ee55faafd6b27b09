"""Whether a device is alive: last seen on every authenticated call, heartbeats, offline detection.

A device is offline once it has missed three polls (3 × the advertised poll interval without a
call), or three of its own heartbeats when it said they come less often (`contact_s`: a receiver
that hears MQTT "poll now" notices only makes a safety poll every two hours); a retired device
is expected to call no more, so it is never offline, only retired.
Last-seen is written at most every few seconds per device, so a device polling hard does not
turn every cheap 304 into a database write.

Each time offline is kept as an OfflinePeriod: opened by mark_offline (from the device's last
call), closed by its next call. Only a device marked offline pays that extra write.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import Device, OfflinePeriod

MISSED_POLLS = 3
MAX_SEEN_GRANULARITY_S = 30
# How far back a periodic check looks for devices gone silent or back: it tells each event once
# (the notices are idempotent per event), so it may run as often as it likes, or miss a few runs.
LOOKBACK = timedelta(days=1)


def offline_after(poll_s: int) -> timedelta:
    return timedelta(seconds=MISSED_POLLS * poll_s)


def contact_s(device: Device, poll_s: int) -> int:
    """How often the device calls at the least: the poll interval, or its heartbeats' if longer."""
    return max(poll_s, (device.heartbeat or {}).get("contact_s") or 0)


def presence(device: Device, now: datetime, poll_s: int) -> str:
    """retired, never_seen, online or offline, from last-seen alone (no stored state needed)."""
    if device.retired_on is not None:
        return "retired"
    if device.last_seen_at is None:
        return "never_seen"
    return "offline" if now - device.last_seen_at > offline_after(contact_s(device, poll_s)) else "online"


def is_contact_due(device, now: datetime, poll_s: int) -> bool:
    """Whether a call now must be written down: the device is not online, or was last seen more
    than min(30 s, half a poll interval) ago (or in the future). `device`: a record or a row."""
    granularity = timedelta(seconds=min(MAX_SEEN_GRANULARITY_S, poll_s / 2))
    seen = device.last_seen_at
    return not (device.status == "online" and seen is not None and timedelta(0) <= now - seen < granularity)


def note_contact(session: Session, device: Device, now: datetime, poll_s: int) -> bool:
    """Record that the device called; True when a write was needed."""
    if not is_contact_due(device, now, poll_s):
        return False
    _close_offline_period(session, device, now)
    device.last_seen_at, device.status = now, "online"
    return True


def note_contacts(session: Session, devices: list[Device], now: datetime, poll_s: int) -> None:
    """note_contact for many devices (the intake's batch) in two statements, not one per device."""
    due = [device for device in devices if is_contact_due(device, now, poll_s)]
    back = [device.id for device in due if device.status == "offline"]
    if back:
        session.execute(update(OfflinePeriod).where(OfflinePeriod.device_id.in_(back), OfflinePeriod.back_at.is_(None))
                        .values(back_at=now), execution_options={"synchronize_session": False})
    if due:
        session.execute(update(Device).where(Device.id.in_([device.id for device in due]))
                        .values(last_seen_at=now, status="online"), execution_options={"synchronize_session": False})


def mark_seen(session: Session, device, now: datetime) -> None:
    """note_contact as one UPDATE by id, for the polls, which hold a row (polling.DevicePoll),
    not a record; the caller asks is_contact_due first and ends its reads (db.end_reads)."""
    _close_offline_period(session, device, now)
    session.execute(update(Device).where(Device.id == device.id).values(last_seen_at=now, status="online"))


def _close_offline_period(session: Session, device, now: datetime) -> None:
    """The device (a record or a row) called: its open offline period, if marked offline, ends now."""
    if device.status == "offline":
        session.execute(update(OfflinePeriod).where(OfflinePeriod.device_id == device.id,
                                                    OfflinePeriod.back_at.is_(None)).values(back_at=now))


def record_heartbeat(session: Session, device: Device, report: dict, now: datetime, poll_s: int) -> None:
    """Keep the latest report; a clock offset is worked out from the device's own time if sent."""
    report = dict(report)
    device_time = report.pop("device_time", None)
    if device_time is not None:
        report["clock_offset_s"] = round((device_time - now).total_seconds(), 3)
    device.heartbeat, device.heartbeat_at = report, now
    note_contact(session, device, now, poll_s)
    device.last_seen_at = now


def mark_offline(session: Session, now: datetime, poll_s: int, station_id: int | None = None) -> list[Device]:
    """Devices that have missed three polls (or three of their slower heartbeats) become offline,
    each with an offline period opened from its last call; returns those that changed."""
    query = select(Device).where(Device.status == "online", Device.last_seen_at < now - offline_after(poll_s),
                                 Device.retired_on.is_(None))
    if station_id is not None:
        query = query.where(Device.station_id == station_id)
    changed = [device for device in session.scalars(query.order_by(Device.code))
               if now - device.last_seen_at > offline_after(contact_s(device, poll_s))]
    for device in changed:
        device.status = "offline"
        session.add(OfflinePeriod(device=device, offline_from=device.last_seen_at))
    session.flush()
    return changed


def went_silent(session: Session, now: datetime, silence: timedelta) -> list[OfflinePeriod]:
    """Offline periods still open after `silence` (crossed within the last LOOKBACK), of devices in use."""
    return list(session.scalars(
        select(OfflinePeriod).join(Device).where(
            OfflinePeriod.back_at.is_(None), OfflinePeriod.offline_from <= now - silence,
            OfflinePeriod.offline_from > now - silence - LOOKBACK, Device.retired_on.is_(None))
        .order_by(Device.code)))


def came_back(session: Session, now: datetime, silence: timedelta) -> list[OfflinePeriod]:
    """Offline periods that lasted longer than `silence` and ended within the last LOOKBACK."""
    return [period for period in session.scalars(
        select(OfflinePeriod).join(Device).where(OfflinePeriod.back_at > now - LOOKBACK, OfflinePeriod.back_at <= now)
        .order_by(Device.code, OfflinePeriod.offline_from))
        if period.back_at - period.offline_from > silence]


def station_devices(session: Session, station_id: int) -> list[Device]:
    """The station's devices in use (not retired)."""
    return list(session.scalars(select(Device).where(Device.station_id == station_id, Device.retired_on.is_(None))
                                .order_by(Device.code)))
