"""The periodic check of the devices: silent ones become offline, and the station's operators
are told when a loudspeaker has been silent for NOTICE_DEVICE_OFFLINE_POLLS polls and when it
calls again (its offline period, devices/presence.py, closes on that call)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm import Session

from .. import clock, db, notices
from ..auth.scope import users_who_may
from ..models import OfflinePeriod
from ..notices import kinds
from .presence import came_back, mark_offline, went_silent


@dataclass(frozen=True)
class DeviceChanges:
    went_offline: list[OfflinePeriod]
    came_back: list[OfflinePeriod]


def check_devices() -> DeviceChanges:
    """Mark silent devices offline and tell the operators what changed; commits, then hands the
    notices' e-mails and webhooks to the queue."""
    session, now = db.session(), clock.now()
    config = current_app.config
    poll_s = config["DEVICE_POLL_SECONDS"]
    silence = timedelta(seconds=config["NOTICE_DEVICE_OFFLINE_POLLS"] * poll_s)
    mark_offline(session, now, poll_s)
    changes = DeviceChanges(went_silent(session, now, silence), came_back(session, now, silence))
    tell_operators(session, changes, now)
    session.commit()
    notices.dispatch()
    return changes


def tell_operators(session: Session, changes: DeviceChanges, now: datetime) -> None:
    """One notice per change to those who may "device.alerts" on the device's station (idempotent:
    each offline period is told once, gone and back)."""
    for kind, periods in ((kinds.DEVICE_OFFLINE, changes.went_offline), (kinds.DEVICE_BACK, changes.came_back)):
        for period in periods:
            device = period.device
            values = {"device": device.name or f"Loa {device.area.name}", "village": device.area.name,
                      "station": device.station.name, "since_at": period.offline_from.isoformat()}
            if period.back_at is not None:
                values["back_at"] = period.back_at.isoformat()
            link = notices.page("devices.station_page", code=device.station.code)
            notices.emit(session, kind, users_who_may(session, "device.alerts", device.station.area_id),
                         about=f"{kind}:{device.id}:{period.offline_from.isoformat()}", values=values, link=link,
                         now=now)
