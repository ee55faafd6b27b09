"""Device tokens: a random secret shown once; only its SHA-256 is stored (radio/auth/tokens.py)."""
from __future__ import annotations

import hmac
import secrets
from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from .. import audit, lookups
from ..auth.tokens import hash_token
from ..errors import RadioError
from ..models import Device, User


class DeviceError(RadioError):
    """A device operation refused, with a message that says why."""


def issue_token(session: Session, actor: User | None, device_code: str, *, now: datetime) -> str:
    """A new token for the device; the old one stops working at once. A retired device gets none."""
    device = lookups.device(session, device_code)
    if device.retired_on is not None:
        raise DeviceError(f"device {device_code} was retired on {device.retired_on:%d/%m/%Y}", code="retired")
    token = secrets.token_urlsafe(32)
    device.token_hash = hash_token(token)
    device.token_issued_at = now
    audit.record(session, actor, "device.token", "device", device.code, at=now, area=device.area)
    session.flush()
    return token


def revoke_token(session: Session, actor: User | None, device_code: str, *, now: datetime) -> None:
    """The device's token stops working and no new one is issued (a stolen or retired box)."""
    device = lookups.device(session, device_code)
    if device.token_hash is None:
        raise DeviceError(f"device {device_code} has no token to revoke")
    device.token_hash, device.token_issued_at = None, None
    audit.record(session, actor, "device.revoke", "device", device.code, at=now, area=device.area)
    session.flush()


def retire_device(session: Session, actor: User | None, device_code: str, *, on: date, now: datetime) -> Device:
    """Take the device out of use from the local day `on`: its token stops working and nobody
    expects it to call again (presence.py). The record stays, with the logs it reported."""
    device = lookups.device(session, device_code)
    if device.retired_on is not None:
        raise DeviceError(f"device {device_code} was retired on {device.retired_on:%d/%m/%Y}", code="retired")
    device.retired_on = on
    device.token_hash, device.token_issued_at = None, None
    audit.record(session, actor, "device.retire", "device", device.code, at=now, area=device.area,
                 after={"retired_on": on.isoformat()})
    session.flush()
    return device


_BY_TOKEN = select(Device).options(joinedload(Device.station)).where(Device.token_hash == bindparam("digest"))


def device_by_token(session: Session, token: str) -> Device | None:
    """The device whose current token this is, with its station (one query).

    Found by the token's SHA-256 through the unique index. Timing can tell at most how much of
    a guessed *hash* matched, which brings a guess at the token itself no closer.
    """
    return find_by_token(token, lambda digest: session.scalar(_BY_TOKEN, {"digest": digest}))


def find_by_token(token: str, find):
    """What `find` gives for the token's digest (a record or a row with a token_hash), when its
    token_hash matches (compared in constant time); else None."""
    if not token:
        return None
    digest = hash_token(token)
    found = find(digest)  # statements built once: this runs on every call
    return found if found is not None and hmac.compare_digest(found.token_hash, digest) else None


def device_for_token(session: Session, device_code: str, token: str) -> Device | None:
    """The device when `token` is its current one (compared in constant time), else None."""
    device = session.scalar(select(Device).where(Device.code == device_code))
    if device is None or device.token_hash is None:
        return None
    return device if hmac.compare_digest(device.token_hash, hash_token(token)) else None
