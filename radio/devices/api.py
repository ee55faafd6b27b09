"""The village devices' API under /api/v1/devices, and a station's devices for signed-in users.
Each handler in three steps: load (401/404), check access (403), call the domain and answer with
JSON. Writes are committed at the end (device calls first end their reads: db.end_reads).

The two device polls (schedule, emergency bulletins) share one shape: the poll's one read
(polling.py) gives the ETag; a match is a 304 with nothing else read; otherwise the
answer is loaded in full and its ETag made from what it sends. Either way last-seen is written
only when due, after the reads, and that bookkeeping never costs the device its answer."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Response, current_app, request, url_for
from sqlalchemy.exc import OperationalError

from .. import clock, db, lookups
from ..api import api_blueprint
from ..api.access import authenticated_user
from ..api.responses import json_response, not_modified
from ..api.schemas import days_param, parse_json
from ..auth.permissions import require
from ..bulletins.delivery import emergency_bulletins, record_fetched, signature_of_sent
from ..models import Device
from . import feed, intake, schemas
from .access import authenticated_device
from .media_links import sign_media_link
from .playlists import device_m3u8
from .playlogs import judge_playlogs, store_playlogs
from .poll_files import device_key, poll_file_url, write_for_devices
from .polling import DevicePoll, poll_by_token
from .presence import is_contact_due, mark_seen, note_contact, presence, record_heartbeat, station_devices

bp = api_blueprint("devices_api", __name__)


def _config(name: str):
    return current_app.config[name]


def _media_urls():
    """Absolute media URLs (for devices sending their token): the prefix is built once, not
    once for each of a schedule's hundreds of items."""
    prefix = url_for("media_api.media", sha256="-", _external=True)[:-1]
    return lambda sha256: prefix + sha256


def _polling_device(code: str, now: datetime) -> DevicePoll:
    """The calling device and what its poll's ETag is made of, from one read (polling.py)."""
    return authenticated_device(code, find=lambda session, token: poll_by_token(session, token, now))


def _unchanged(device: DevicePoll, etag: str, now: datetime) -> Response | None:
    """304 when the device holds `etag`, with last-seen written only when due; else None."""
    unchanged = not_modified(etag)
    if unchanged is not None:
        _record_poll(device, now)
    return unchanged


def _full_answer(device: DevicePoll, body: dict, etag: str, now: datetime, bulletin_ids: set[int]) -> Response:
    """A poll's full answer, once it is written down which bulletins it carries. When that could
    not be written, it goes without its ETag, so that the next poll is answered (and recorded)
    in full again rather than with a 304."""
    recorded = _record_poll(device, now, bulletin_ids)
    return json_response(body, etag=etag if recorded or not bulletin_ids else None)


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
            mark_seen(session, device, now)
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
    days = days_param(request.args, _config("SCHEDULE_DEFAULT_DAYS"), _config("SCHEDULE_MAX_DAYS"))
    key = device_key(poll)
    unchanged = _unchanged(poll, feed.schedule_etag(poll, now, tz, days, poll_s, poll.emergency_signature, key), now)
    if unchanged is not None:
        return unchanged
    session = db.session()
    data = feed.load_schedule(session, session.get(Device, poll.id), now, tz, days)
    body = schemas.dump_schedule(data, _media_urls(), poll_s, poll_file_url(key))
    if key is not None:
        write_for_devices([poll.code], now)  # the file it names exists before the device asks for it
    etag = feed.schedule_etag(poll, now, tz, days, poll_s, signature_of_sent(data.bulletins), key)
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
    items = schemas.load_playlogs(parse_json(request.get_data()), _config("PLAYLOG_BATCH_MAX"))
    session, now = db.session(), clock.now()
    judged = judge_playlogs(session, device, items, now, _config("CLOCK_SKEW_SECONDS"))
    db.end_reads(session)
    outcome = store_playlogs(session, device, judged)
    note_contact(session, device, now, _config("DEVICE_POLL_SECONDS"))
    session.commit()
    return json_response(schemas.dump_outcome(outcome))


def heartbeat(code: str):
    device = authenticated_device(code)
    report = schemas.load_heartbeat(parse_json(request.get_data()))
    session, now, poll_s = db.session(), clock.now(), _config("DEVICE_POLL_SECONDS")
    db.end_reads(session)
    record_heartbeat(session, device, report, now, poll_s)
    session.commit()
    answer = {"device": device.code, "status": presence(device, now, poll_s),
              "last_seen_at": now.astimezone(clock.station_tz()).isoformat(),
              "server_time": now.astimezone(clock.station_tz()).isoformat(), "poll_seconds": poll_s}
    playlogs_mqtt = intake.offer(device, current_app.config)
    if playlogs_mqtt is not None:
        answer["playlogs_mqtt"] = playlogs_mqtt
    return json_response(answer)


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
        return url_for("media_api.media", sha256=sha256, token=token, _external=True)

    text = device_m3u8(session, device, day, tz, link)
    _record_poll(device, now)
    response = Response(text, content_type="audio/x-mpegurl; charset=utf-8")
    response.cache_control.no_store = True  # it carries signed links
    return response


def station_presence(code: str):
    user = authenticated_user()
    session = db.session()
    station = lookups.station(session, code)
    require(user, "area.read", station.area)
    now, tz, poll_s = clock.now(), clock.station_tz(), _config("DEVICE_POLL_SECONDS")
    found: list[Device] = station_devices(session, station.id)
    return json_response({"station": station.code, "poll_seconds": poll_s,
                  "devices": [schemas.dump_presence(d, presence(d, now, poll_s), tz) for d in found]})


bp.add_url_rule("/devices/<code>/schedule", view_func=schedule)
bp.add_url_rule("/devices/<code>/bulletins", view_func=bulletins)
bp.add_url_rule("/devices/<code>/playlogs", view_func=playlogs, methods=["POST"])
bp.add_url_rule("/devices/<code>/heartbeat", view_func=heartbeat, methods=["POST"])
bp.add_url_rule("/devices/<code>/today.m3u8", view_func=playlist, defaults={"which": "today"})
bp.add_url_rule("/devices/<code>/tomorrow.m3u8", view_func=playlist, defaults={"which": "tomorrow"})
bp.add_url_rule("/stations/<code>/devices", view_func=station_presence)
