"""Handlers of the export downloads: load, check the area scope, export, send.

A download that cannot be made (no such station or day, a closed day, a window with nothing
to play) answers a page in the site's layout that says why in the reader's language: 404, or
400 for an MP3 asked for a whole day. The operations' refusals carry a code and values
(`ExportError`); the words for them are here.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from .. import clock, db, lookups
from ..auth.permissions import require
from ..downloads import send_download, sent_by_nginx
from ..errors import NotFound
from ..models import ScheduleEntry, Station
from ..playlogs.confirmations import ticks_of_day
from ..ui.fields import out_of_range
from ..ui.i18n import format_dmy
from .feeds import device_feed, feed_for, station_feed
from .operations import CONTENT_TYPES, FORMATS, LOG_BOOK_FORMATS, ExportError, export_day

bp = Blueprint("exports", __name__)
ACCEL_EXPORTS = "/internal/exports/"  # nginx's internal location for EXPORT_DIR (deploy/nginx.conf)
KEPT_DAYS = timedelta(days=2)

# ExportError.code (with "_window" when one window was asked for) -> what the page says.
REFUSALS = {
    "closed_day": _l("%(station)s nghỉ ngày %(day)s: không có gì để tải về."),
    "off_air": _l("%(station)s không phát sóng ngày %(day)s: không có gì để tải về."),
    "unknown_window": _l("%(station)s không có buổi phát “%(window)s”."),
    "window_off_air": _l("%(window)s không phát sóng ngày %(day)s."),
    "window_needed": _l("Tệp MP3 được làm cho từng buổi phát: hãy tải MP3 của một buổi trên trang của ngày."),
    "nothing_scheduled": _l("Ngày %(day)s chưa có mục nào trong lịch phát."),
    "nothing_scheduled_window": _l("%(window)s ngày %(day)s chưa có mục nào trong lịch phát."),
    "nothing_to_play": _l("Ngày %(day)s chưa có gì để phát: các mục trong lịch chưa có nội dung."),
    "nothing_to_play_window": _l("%(window)s ngày %(day)s chưa có gì để phát: các mục chưa có nội dung."),
    "part_needed": _l("%(window)s ngày %(day)s có %(parts)s tệp MP3 quanh phần tiếp sóng hoặc trực tiếp: "
                      "hãy tải từng phần trên trang của ngày."),
    "unknown_part": _l("%(window)s ngày %(day)s không có phần MP3 này (chỉ có %(parts)s phần)."),
}


def day_file(code: str, day: str, ext: str):
    """A logged-in user whose area covers the station, or the station's feed token, may download."""
    session = db.session()
    feed = feed_for(session, request.args.get("token"))
    if feed is None and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    try:
        station = lookups.station(session, code)
    except NotFound:
        return _cannot(_("Không có đài này."))
    if ext not in FORMATS:
        return _cannot(_("Không có kiểu tệp “.%(ext)s” để tải về.", ext=ext))
    try:
        when = clock.iso_date(day)
    except clock.DateOutOfRange:
        return _cannot(out_of_range(), 400)
    except ValueError:
        return _cannot(_("Đường dẫn không ghi một ngày có thật."))
    if feed is None:
        require(current_user, "day.view", station.area)
    elif feed.station_id != station.id:
        abort(403)
    window = request.args.get("window") or None
    part = _part(request.args.get("part"))
    if part == 0:
        return _cannot(_("Đường dẫn không ghi một phần MP3 có thật."))
    etag = f"{station.code}-{station.schedule_version}-{when.isoformat()}-{ext}" + (
        f"-{quote(window, safe='')}" if window else "") + (f"-{part}" if part else "") + (
        f"-{_ticks_stamp(session, station, when)}" if ext in LOG_BOOK_FORMATS else "")
    if request.if_none_match.contains_weak(etag):  # weak comparison (RFC 9110): nginx weakens it when it gzips
        return "", 304, {"ETag": f'"{etag}"'}
    now, tz = clock.now(), ZoneInfo(current_app.config["TIMEZONE"])
    today = now.astimezone(tz).date()
    accel = current_app.config["MEDIA_ACCEL"] == "nginx" and when >= today - KEPT_DAYS
    name = (f"{station.name} {when:%d-%m-%Y}{' ' + station.window_title(window) if window else ''}"
            f"{f' {part}' if part else ''}.{ext}")
    last_change = _last_change(session, station, when)
    with tempfile.TemporaryDirectory() as tmp:
        out = _kept(when, etag, ext, today) if accel else Path(tmp) / f"export.{ext}"
        if not out.exists():
            try:
                export_day(session, station, when, ext, out, tz, now, window=window, media_url=_media_url, part=part)
            except ExportError as refused:
                return _cannot(_reason(refused, station), refused.status)
            if accel and last_change is not None:  # nginx's Last-Modified is the file's
                os.utime(out, (last_change.timestamp(), last_change.timestamp()))
        data = out if accel else io.BytesIO(out.read_bytes())
        response = send_download(data, CONTENT_TYPES[ext], as_attachment=True, download_name=name, etag=etag,
                                 last_modified=last_change, conditional=False)
    if accel:
        return sent_by_nginx(response, ACCEL_EXPORTS + out.relative_to(current_app.config["EXPORT_DIR"]).as_posix())
    return response


def _kept(day: date, etag: str, ext: str, today: date) -> Path:
    """Where nginx sends a day download from: EXPORT_DIR/<day>/, named by its ETag and the
    address asked (playlists carry absolute links), so a schedule's version is made once. Days
    from KEPT_DAYS before today on are kept (older ones are sent by Python); older folders go."""
    root = Path(current_app.config["EXPORT_DIR"])
    for old in root.glob("????-??-??"):
        if old.name < (today - KEPT_DAYS).isoformat():
            shutil.rmtree(old, ignore_errors=True)
    key = hashlib.sha256(f"{etag}|{request.host_url}".encode()).hexdigest()
    (root / day.isoformat()).mkdir(parents=True, exist_ok=True)
    return root / day.isoformat() / f"{key}.{ext}"


def _part(text: str | None) -> int | None:
    """`?part=N` (a window's MP3 part, from 1); 0 stands for anything else that was sent."""
    if text is None or text == "":
        return None
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 4 else 0


def _ticks_stamp(session, station: Station, when: date) -> str:
    """The "đã phát" ticks printed in a log book, as a short digest: a tick makes a new file."""
    ticks = sorted((key, tick.by, tick.at.isoformat()) for key, tick in ticks_of_day(
        session, station=station, day=when).items())
    return hashlib.sha256(repr(ticks).encode("utf-8")).hexdigest()[:12]


def _reason(refused: ExportError, station: Station) -> str:
    key = f"{refused.code}_window" if refused.window and f"{refused.code}_window" in REFUSALS else refused.code
    if key not in REFUSALS:
        return _("Không tải được tệp này.")
    window = station.window_title(refused.window, _) if refused.window else ""
    return str(REFUSALS[key]) % {"station": station.name, "day": format_dmy(refused.day), "window": window,
                                 "parts": refused.parts}


def _cannot(message: str, status: int = 404):
    """The refusal as a page of the site, with the reason."""
    return render_template("error.html", title=_("Không tải được"), message=message), status


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
