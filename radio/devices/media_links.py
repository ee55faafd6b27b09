"""Signed media links for simple players, which can fetch a URL but never send a header.

A link names one device and one audio file and carries its expiry; it is signed with the
app's secret (itsdangerous, which Flask ships) and tied to the device's current token, so
issuing a new token or revoking it also ends every link made before.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Device

SALT = "radio.media-link"


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def _fingerprint(device: Device) -> str:
    """Changes whenever the device's token does; reveals nothing usable about it."""
    return hashlib.sha256(f"media-link:{device.token_hash}".encode()).hexdigest()[:16]


def sign_media_link(secret: str, device: Device, sha256: str, expires: datetime) -> str:
    payload = {"d": device.code, "m": sha256, "e": int(expires.timestamp()), "k": _fingerprint(device)}
    return _serializer(secret).dumps(payload)


def device_for_media_link(session: Session, secret: str, token: str, sha256: str, now: datetime) -> Device | None:
    """The device a valid, unexpired link for this very file was made for; None otherwise."""
    try:
        payload = _serializer(secret).loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("m") != sha256:
        return None
    if not isinstance(payload.get("e"), int) or payload["e"] <= now.timestamp():
        return None
    if not isinstance(payload.get("d"), str):
        return None
    device = session.scalar(select(Device).where(Device.code == payload["d"]))
    if device is None or device.token_hash is None or payload.get("k") != _fingerprint(device):
        return None
    return device
