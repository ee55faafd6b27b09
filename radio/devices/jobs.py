"""The periodic check of the devices: silent ones become offline, and the station's operators
are told when a loudspeaker has been silent for NOTICE_DEVICE_OFFLINE_POLLS polls and when it
calls again (its offline period, devices/presence.py, closes on that call)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy.orm import Session

from .. import clock, db
from ..models import OfflinePeriod
from .presence import came_back, mark_offline, went_silent

DEVICE_OFFLINE = "device.offline"
DEVICE_BACK = "device.back"


@dataclass(frozen=True)
class DeviceChanges:
    went_offline: list[OfflinePeriod]
    came_back: list[OfflinePeriod]


class Telling(NamedTuple):
    """One notice to the operators of a station (the arguments of notices.emit, the recipients
    being those who may "device.alerts" on `area_id`)."""
    kind: str
    area_id: int
    about: str
    values: dict[str, str]
    link: str


def check_devices() -> DeviceChanges:
    """Mark silent devices offline and tell the operators what changed; commits."""
    session, now = db.session(), clock.now()
    config = current_app.config
    poll_s = config["DEVICE_POLL_SECONDS"]
    silence = timedelta(seconds=config["NOTICE_DEVICE_OFFLINE_POLLS"] * poll_s)
    mark_offline(session, now, poll_s)
    changes = DeviceChanges(went_silent(session, now, silence), came_back(session, now, silence))
    tell_operators(session, changes.went_offline, changes.came_back, now)
    session.commit()
    return changes


def tell_operators(session: Session, went_offline: list[OfflinePeriod], came_back: list[OfflinePeriod],
                   now: datetime) -> list[Telling]:
    """The one place the notices of devices are made: each Telling becomes
    notices.emit(session, t.kind, users_who_may(session, "device.alerts", t.area_id), about=t.about,
    values=t.values, link=t.link, now=now)."""
    return [_telling(DEVICE_OFFLINE, period) for period in went_offline] + \
        [_telling(DEVICE_BACK, period) for period in came_back]


def _telling(kind: str, period: OfflinePeriod) -> Telling:
    device = period.device
    values = {"village": device.area.name, "station": device.station.name,
              "offline_from_at": period.offline_from.isoformat()}
    if period.back_at is not None:
        values["back_at"] = period.back_at.isoformat()
    about = f"{kind.replace('.', '-')}:{device.id}:{period.offline_from.isoformat()}"
    link = current_app.url_map.bind("").build("devices.station_page", {"code": device.station.code})
    return Telling(kind, device.station.area_id, about, values, link)
