"""Handlers of the export downloads: load, check the area scope, export, send."""
from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import clock, db
from ..auth.permissions import require
from ..downloads import send_download
from ..models import ScheduleEntry, Station
from .feeds import device_feed, feed_for, station_feed
from .operations import CONTENT_TYPES, FORMATS, export_day

bp = Blueprint("exports", __name__)


def day_file(code: str, day: str, ext: str):
    """A logged-in user whose area covers the station, or the station's feed token, may download."""
    session = db.session()
    feed = feed_for(session, request.args.get("token"))
    if feed is None and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    station = session.scalar(select(Station).where(Station.code == code))
    if station is None or ext not in FORMATS:
        abort(404)
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if feed is None:
        require(current_user, "day.view", station.area)
    elif feed.station_id != station.id:
        abort(403)
    etag = f"{station.code}-{station.schedule_version}-{when.isoformat()}-{ext}"
    if request.if_none_match.contains(etag):
        return "", 304, {"ETag": f'"{etag}"'}
    window = request.args.get("window")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"export.{ext}"
        export_day(session, station, when, ext, out, ZoneInfo(current_app.config["TIMEZONE"]), clock.now(),
                   window=window, media_url=_media_url)
        data = io.BytesIO(out.read_bytes())
    name = f"{station.name} {when:%d-%m-%Y}{' ' + window if window else ''}.{ext}"
    return send_download(data, CONTENT_TYPES[ext], as_attachment=True, download_name=name, etag=etag,
                     last_modified=_last_change(session, station, when), conditional=False)


def _media_url(sha256: str) -> str:
    return url_for("media_api.media", sha256=sha256, _external=True)


def _last_change(session, station: Station, when: date):
    """Last-Modified: the latest creation or cancellation among the day's entries."""
    rows = session.execute(select(ScheduleEntry.created_at, ScheduleEntry.cancelled_at).where(
        ScheduleEntry.station_id == station.id, ScheduleEntry.local_date == when)).all()
    stamps = [s for row in rows for s in row if s is not None]
    return max(stamps) if stamps else None


def station_calendar(code: str):
    """A station's feed for calendar apps: the token in the URL is the only credential."""
    return _feed_response(lambda feed: feed.station, code, station_feed)


def device_calendar(code: str):
    """A village device's feed: its station's entries plus those aimed at its village."""
    return _feed_response(lambda feed: feed.device, code, device_feed)


def _feed_response(target_of, code: str, render):
    session = db.session()
    feed = feed_for(session, request.args.get("token"))
    target = target_of(feed) if feed is not None else None
    if target is None or target.code != code:
        abort(403)
    data = render(session, target, ZoneInfo(current_app.config["TIMEZONE"]), clock.now())
    return data, 200, {"Content-Type": CONTENT_TYPES["ics"], "Cache-Control": "private, max-age=300"}


bp.add_url_rule("/stations/<code>/days/<day>.<ext>", view_func=day_file)
bp.add_url_rule("/stations/<code>/calendar.ics", view_func=station_calendar)
bp.add_url_rule("/devices/<code>/calendar.ics", view_func=device_calendar)
