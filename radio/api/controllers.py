"""Handlers of /api/v1, each in three steps: load (401/404), check access (403), call the domain
and answer with JSON. Writes are committed at the end (device calls first end their reads:
db.end_reads); MQTT notices go out after the commit.

The two device polls (schedule, emergency bulletins) share one shape: the poll's one read
(devices/polling.py) gives the ETag; a match is a 304 with nothing else read; otherwise the
answer is loaded in full and its ETag made from what it sends. Either way last-seen is written
only when due, after the reads, and that bookkeeping never costs the device its answer."""
from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta

from flask import Response, current_app, request, send_file, url_for
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import Forbidden, NotFound, Unauthorized

from .. import clock, db, lookups
from ..auth.permissions import may, require
from ..bulletins.delivery import deliveries, emergency_bulletins, record_fetched, signature_of_sent
from ..bulletins.operations import (
    BulletinRules, bulletin_entries, cancel_bulletin, issue_bulletin,
)
from ..devices import feed
from ..devices.media_links import device_for_media_link, sign_media_link
from ..devices.notify import poll_now
from ..devices.operations import device_by_token
from ..devices.polling import DevicePoll, poll_by_token
from ..devices.playlists import device_m3u8
from ..devices.playlogs import judge_playlogs, store_playlogs
from ..devices.presence import is_contact_due, mark_seen, note_contact, presence, record_heartbeat, station_devices
from ..media.access import device_may_fetch, mime_type, user_may_fetch
from ..media.operations import media_store
from ..errors import NotFound as NotFoundRecord, RadioError
from ..models import Device, MediaFile, Station
from . import schemas
from .access import authenticated_device, authenticated_user, bearer_token
from .openapi import DOCUMENT

SHA256 = re.compile(r"[0-9a-f]{64}")
ONE_YEAR_S = 365 * 24 * 3600


def _config(name: str):
    return current_app.config[name]


def _json(body: dict, status: int = 200, etag: str | None = None) -> Response:
    """Compact UTF-8 JSON (Vietnamese titles stay readable and small), never cached unchecked."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    response = Response(text, status=status, content_type="application/json; charset=utf-8")
    if etag is not None:
        response.set_etag(etag)
        response.cache_control.no_cache = True
        response.cache_control.private = True
    return response


def _not_modified(etag: str) -> Response | None:
    if request.if_none_match.star_tag or request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.set_etag(etag)
        response.cache_control.no_cache = True
        response.cache_control.private = True
        return response
    return None


def _media_urls():
    """Absolute media URLs (for devices sending their token): the prefix is built once, not
    once for each of a schedule's hundreds of items."""
    prefix = url_for("api.media", sha256="-", _external=True)[:-1]
    return lambda sha256: prefix + sha256


# -- devices ---------------------------------------------------------------------------------

def _polling_device(code: str, now: datetime) -> DevicePoll:
    """The calling device and what its poll's ETag is made of, from one read (polling.py)."""
    return authenticated_device(code, find=lambda session, token: poll_by_token(session, token, now))


def _unchanged(device: DevicePoll, etag: str, now: datetime) -> Response | None:
    """304 when the device holds `etag`, with last-seen written only when due; else None."""
    unchanged = _not_modified(etag)
    if unchanged is not None:
        _record_poll(device, now)
    return unchanged


def _full_answer(device: DevicePoll, body: dict, etag: str, now: datetime, bulletin_ids: set[int]) -> Response:
    """A poll's full answer, once it is written down which bulletins it carries. When that could
    not be written, it goes without its ETag, so that the next poll is answered (and recorded)
    in full again rather than with a 304."""
    recorded = _record_poll(device, now, bulletin_ids)
    return _json(body, etag=etag if recorded or not bulletin_ids else None)


def _record_poll(device: Device | DevicePoll, now: datetime, bulletin_ids: set[int] = frozenset()) -> bool:
    """Last seen when due (presence.is_contact_due), and which bulletins the device was sent,
    after every read is done; most polls need neither, and then nothing is written or committed.

    This bookkeeping never costs a device its answer, which may carry an emergency: when the
    database will not take it now (locked past its timeout, a lock or deadlock error), it is
    rolled back and logged, and False returned; a due last-seen is written on the next call.
    """
    session = db.session()
    seen_due = is_contact_due(device, now, _config("DEVICE_POLL_SECONDS"))
    if not (seen_due or bulletin_ids):
        return True
    try:
        db.end_reads(session)
        if seen_due:
            mark_seen(session, device.id, now)
        record_fetched(session, device, bulletin_ids, now)
        session.commit()
    except OperationalError as exc:
        session.rollback()
        current_app.logger.warning("device %s: last seen and bulletins fetched not written, answered anyway: %s",
                                   device.code, exc.orig)
        return False
    return True


def schedule(code: str):
    now, tz, poll_s = clock.now(), clock.station_tz(), _config("DEVICE_POLL_SECONDS")
    poll = _polling_device(code, now)
    days = schemas.days_param(request.args, _config("SCHEDULE_DEFAULT_DAYS"), _config("SCHEDULE_MAX_DAYS"))
    unchanged = _unchanged(poll, feed.schedule_etag(poll, now, tz, days, poll_s, poll.emergency_signature), now)
    if unchanged is not None:
        return unchanged
    session = db.session()
    data = feed.load_schedule(session, session.get(Device, poll.id), now, tz, days)
    body = schemas.dump_schedule(data, _media_urls(), poll_s)
    etag = feed.schedule_etag(poll, now, tz, days, poll_s, signature_of_sent(data.bulletins))
    return _full_answer(poll, body, etag, now, data.bulletin_ids)


def bulletins(code: str):
    now, tz, poll_s = clock.now(), clock.station_tz(), _config("DEVICE_POLL_SECONDS")
    poll = _polling_device(code, now)
    unchanged = _unchanged(poll, feed.bulletins_etag(poll, poll_s, poll.emergency_signature), now)
    if unchanged is not None:
        return unchanged
    found = emergency_bulletins(db.session(), poll, now)
    body = schemas.dump_device_bulletins(poll.code, found, tz, _media_urls(), poll_s)
    etag = feed.bulletins_etag(poll, poll_s, signature_of_sent(found))
    return _full_answer(poll, body, etag, now, {b.id for b in found})


def playlogs(code: str):
    device = authenticated_device(code)
    items = schemas.load_playlogs(schemas.parse_json(request.get_data()), _config("PLAYLOG_BATCH_MAX"))
    session, now = db.session(), clock.now()
    judged = judge_playlogs(session, device, items, now, _config("CLOCK_SKEW_SECONDS"))
    db.end_reads(session)
    outcome = store_playlogs(session, device, judged)
    note_contact(device, now, _config("DEVICE_POLL_SECONDS"))
    session.commit()
    return _json(schemas.dump_outcome(outcome))


def heartbeat(code: str):
    device = authenticated_device(code)
    report = schemas.load_heartbeat(schemas.parse_json(request.get_data()))
    session, now, poll_s = db.session(), clock.now(), _config("DEVICE_POLL_SECONDS")
    db.end_reads(session)
    record_heartbeat(device, report, now, poll_s)
    session.commit()
    return _json({"device": device.code, "status": presence(device, now, poll_s),
                  "last_seen_at": now.astimezone(clock.station_tz()).isoformat(),
                  "server_time": now.astimezone(clock.station_tz()).isoformat(), "poll_seconds": poll_s})


def playlist(code: str, which: str):
    """today.m3u8 / tomorrow.m3u8 for players that can only open a URL (token in the query)."""
    device = authenticated_device(code, token_in_url=True)
    session, now, tz = db.session(), clock.now(), clock.station_tz()
    day = now.astimezone(tz).date() + timedelta(days=1 if which == "tomorrow" else 0)
    expires = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz) + \
        timedelta(seconds=_config("MEDIA_TOKEN_GRACE_SECONDS"))
    secret = _config("SECRET_KEY")

    def link(sha256: str) -> str:
        token = sign_media_link(secret, device, sha256, expires)
        return url_for("api.media", sha256=sha256, token=token, _external=True)

    text = device_m3u8(session, device, day, tz, link)
    _record_poll(device, now)
    response = Response(text, content_type="audio/x-mpegurl; charset=utf-8")
    response.cache_control.no_store = True  # it carries signed links
    return response


# -- media -----------------------------------------------------------------------------------

def media(sha256: str):
    allowed = _media_requester(sha256)
    row = db.session().get(MediaFile, sha256) if SHA256.fullmatch(sha256) else None
    if row is None:
        raise NotFound(f"no audio file {sha256}")
    if not allowed(row.sha256):
        raise Forbidden("this audio is not on your schedule")
    try:
        path = media_store().path_for(row.sha256)
    except FileNotFoundError:
        raise NotFound(f"audio file {sha256} is recorded but missing from the store") from None
    response = send_file(path, mimetype=mime_type(row.suffix), conditional=True, etag=row.sha256,
                         max_age=ONE_YEAR_S, last_modified=row.created_at)
    response.cache_control.public = False
    response.cache_control.private = True
    response.cache_control.immutable = True  # named by its content: it never changes
    return response


def _media_requester(sha256: str):
    """Who asks (401 if nobody): a check of whether they may have the file with that digest."""
    session, link_token = db.session(), request.args.get("token")
    if link_token:
        device = device_for_media_link(session, _config("SECRET_KEY"), link_token, sha256, clock.now())
        if device is None:
            raise Forbidden("the media link is not valid for this file, has expired, or was tampered with")
        return lambda digest: device_may_fetch(session, device, digest)
    if bearer_token():
        device = device_by_token(session, bearer_token())
        if device is None:
            raise Unauthorized("the device token is wrong or has been revoked")
        return lambda digest: device_may_fetch(session, device, digest)
    user = authenticated_user()
    return lambda digest: user_may_fetch(session, user, digest)


# -- users -----------------------------------------------------------------------------------

def _rules() -> BulletinRules:
    return BulletinRules(lead_s=_config("BULLETIN_LEAD_SECONDS"), valid_hours=_config("BULLETIN_VALID_HOURS"))


def issue():
    user = authenticated_user(writes=True)
    payload = schemas.load_bulletin_issue(schemas.parse_json(request.get_data()))
    session, now, tz = db.session(), clock.now(), clock.station_tz()
    try:
        result = issue_bulletin(session, user, now=now, tz=tz, rules=_rules(), **payload)
    except NotFoundRecord as exc:  # an episode or area the payload names: the payload is refused
        raise RadioError(exc.message, status=422, code="refused") from None
    session.commit()
    poll_now(result.devices, "bulletin")
    placement = result.placement
    body = schemas.dump_bulletin(result.bulletin, tz, placement.created + placement.moved, [],
                                 placement.unplaced, placement.displaced)
    return _json(body, status=201)


def show_bulletin(uuid_text: str):
    user = authenticated_user()
    bulletin = lookups.bulletin(db.session(), uuid_text)
    if not any(may(user, "area.read", area) for area in bulletin.areas):
        raise Forbidden("this bulletin was issued outside your areas")
    session = db.session()
    return _json(schemas.dump_bulletin(bulletin, clock.station_tz(), bulletin_entries(session, bulletin),
                                       deliveries(session, bulletin)))


def cancel(uuid_text: str):
    user = authenticated_user(writes=True)
    bulletin = lookups.bulletin(db.session(), uuid_text)
    session, now = db.session(), clock.now()
    devices = cancel_bulletin(session, user, bulletin, now)
    session.commit()
    poll_now(devices, "bulletin-cancelled")
    return _json(schemas.dump_bulletin(bulletin, clock.station_tz(), bulletin_entries(session, bulletin),
                                       deliveries(session, bulletin)))


def station_presence(code: str):
    user = authenticated_user()
    session = db.session()
    station = session.scalar(select(Station).where(Station.code == code)) if schemas.is_storable(code) else None
    if station is None:
        raise NotFound(f"no station {code}")
    require(user, "area.read", station.area)
    now, tz, poll_s = clock.now(), clock.station_tz(), _config("DEVICE_POLL_SECONDS")
    found: list[Device] = station_devices(session, station.id)
    return _json({"station": station.code, "poll_seconds": poll_s,
                  "devices": [schemas.dump_presence(d, presence(d, now, poll_s), tz) for d in found]})


def openapi():
    return _json(DOCUMENT)
