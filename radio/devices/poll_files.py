"""Poll files: one small file per device that nginx serves itself, so that a receiver's frequent
poll never reaches the app (a 304 from Flask costs about 80 times nginx's answer of a static file).

With DEVICE_POLL_FILES_DIR set, each device in use has `<dir>/<key>.json`. The key is an HMAC of
the device's code and token digest under SECRET_KEY: nobody can guess another device's file, and
a new token makes a new file (the next refresh removes the old one). The file holds what the
device's schedule and emergency answers are made of: its station's schedule version, the local
day, the poll interval and the signature of the emergency bulletins reaching its village. It is
rewritten, whole and only when its text changes, as soon as one of those moves, so its ETag
(nginx's: modification time and size) changes exactly then. The receiver asks it with
If-None-Match at its bulletin interval and calls the app only when it changed, and for a slow
safety poll (radio/device_client/receiver/sync.py).

When: for the devices told to poll (notify.poll_now: a schedule version moved, an emergency was
issued or cancelled), at once; for every device each minute (`refresh_poll_files`, a periodic
check): the day turning, a bulletin starting or expiring, a new token, a retired device. Without
nginx the app serves the same files (`poll_file`), so a receiver behaves the same either way.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from audio_library.files import atomic_output
from .. import clock, db
from ..bulletins.delivery import emergencies_in_force, signature_of
from ..models import Area, Device, Station, bulletin_areas
from .access import device_secret

KEY = re.compile(r"[0-9a-f]{40}")
bp = Blueprint("poll_files", __name__)


def folder() -> Path | None:
    """DEVICE_POLL_FILES_DIR, or None when poll files are off (the embedded default)."""
    found = current_app.config.get("DEVICE_POLL_FILES_DIR")
    return Path(found) if found else None


def file_key(secret: str, code: str, token_hash: str) -> str:
    """The file's name: unguessable without SECRET_KEY, and new with every token."""
    return device_secret(secret, "poll-file", code, token_hash)[:40]


def device_key(device) -> str | None:
    """The key of a device (a record or a DevicePoll) when poll files are on, else None."""
    if folder() is None or not device.token_hash:
        return None
    return file_key(current_app.config["SECRET_KEY"], device.code, device.token_hash)


def poll_file_url(key: str | None) -> str | None:
    return None if key is None else url_for("poll_files.poll_file", key=key, _external=True)


def write_for_devices(codes: list[str], now: datetime) -> int:
    """The files of these devices, rewritten where they changed (notify.poll_now's listener, and
    a device's full schedule answer); returns how many were written. A folder that cannot be
    written is logged, never the caller's failure: the minute's refresh tries again."""
    if folder() is None or not codes:
        return 0
    try:
        return _write_all(db.session(), now, Device.code.in_(codes))[0]
    except OSError as exc:
        current_app.logger.warning("poll files of %d devices not written: %s", len(codes), exc)
        return 0


def refresh_poll_files() -> int:
    """Every device's file brought up to date, and those of retired devices and old tokens
    removed (a periodic check, every minute); returns how many were written or removed."""
    where = folder()
    if where is None:
        return 0
    now = clock.now()
    written, keep = _write_all(db.session(), now)
    removed = 0
    for path in where.glob("*.json"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    db.session().rollback()  # only read
    return written + removed


def _write_all(session: Session, now: datetime, *where) -> tuple[int, set[str]]:
    """(files written, every key in use) for the devices in use matching `where`."""
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    target.chmod(0o711)  # nginx may open a file it knows the name of, nobody may list them
    config = current_app.config
    secret, poll_s, tz = config["SECRET_KEY"], config["DEVICE_POLL_SECONDS"], clock.station_tz()
    day = now.astimezone(tz).date().isoformat()
    holders = session.execute(
        select(Device.code, Device.token_hash, Device.area_id, Device.station_id, Station.schedule_version)
        .join(Station, Station.id == Device.station_id)
        .where(Device.retired_on.is_(None), Device.token_hash.is_not(None), *where)).all()
    signatures = _emergency_signatures(session, now, {h.area_id for h in holders})
    written, keys = 0, set()
    for holder in holders:
        key = file_key(secret, holder.code, holder.token_hash)
        keys.add(key)
        text = json.dumps({"device": holder.code, "schedule": f"s{holder.station_id}.v{holder.schedule_version}",
                           "day": day, "poll_seconds": poll_s, "emergencies": signatures.get(holder.area_id, "0")})
        written += _write_if_changed(target / f"{key}.json", text)
    return written, keys


def _write_if_changed(path: Path, text: str) -> int:
    """The file rewritten if its text changed, with a later modification second than before:
    nginx's ETag is the whole second and the size, and two versions of a file often have the same
    size (a schedule version going from 4 to 5), so a change within the second would keep it."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return 0
        before = int(path.stat().st_mtime)
    except OSError:
        before = None
    with atomic_output(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
        temporary.chmod(0o644)
        if before is not None and int(temporary.stat().st_mtime) <= before:
            os.utime(temporary, (before + 1, before + 1))
    return 1


def _emergency_signatures(session: Session, now: datetime, area_ids: Iterable[int]) -> dict[int, str]:
    """bulletins.delivery.signature_of the emergency bulletins reaching each area now, for the
    areas that have any: the bulletins valid now are few, so they are matched against each area's
    ancestors here rather than by a query per area."""
    active = emergencies_in_force(session, now)
    if not active:
        return {}
    reaching: dict[int, set[int]] = {}
    for bulletin_id, area_id in session.execute(select(bulletin_areas.c.bulletin_id, bulletin_areas.c.area_id)
                                                .where(bulletin_areas.c.bulletin_id.in_([b.id for b in active]))):
        reaching.setdefault(area_id, set()).add(bulletin_id)
    parents = dict(session.execute(select(Area.id, Area.parent_id)).all())
    signatures = {}
    for area_id in area_ids:
        found, area = set(), area_id
        while area is not None:
            found |= reaching.get(area, set())
            area = parents.get(area)
        if found:
            signatures[area_id] = signature_of(sorted((b.uuid, b.media_sha256) for b in active if b.id in found))
    return signatures


def poll_file(key: str):
    """The file itself where nginx does not serve it (the embedded set-up): conditional GET."""
    where = folder()
    if where is None or not KEY.fullmatch(key):
        abort(404)
    return send_from_directory(where, f"{key}.json", mimetype="application/json", max_age=0, conditional=True)


bp.add_url_rule("/poll/<key>.json", view_func=poll_file)
