"""The operator's pages: home, the day ("Hôm nay") with its "đã phát" ticks, the calendar and its link;
the day's hand edits and airings off the schedule are edits.py's handlers, routed here."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import clock, db
from ..auth.permissions import area_ids_in_scope, may, require
from ..exports.feeds import issue_feed_token
from ..models import Station
from ..playlogs.confirmations import (
    CONFIRMABLE_KINDS, ConfirmationError, confirm_entries, ticks_of_day, undo_confirmation,
)
from ..ui.fields import address_date
from ..ui.nav import NavItem, register_nav
from ..ui.names import ORIGIN_LABELS
from ..ui.scope import scoped_station
from ..ui.words import words
from . import edits
from .days import calendar_days, calendar_range, day_view

CALENDAR_VIEWS = ("week", "month")

bp = Blueprint("today", __name__)
bp.record_once(lambda state: register_nav(
    state.app, NavItem("today.home", _l("Hôm nay"), ("operator", "approver", "oversight"), "/stations/")))


@login_required
def home():
    """The stations in the user's areas; an operator of one station goes straight to its day."""
    session = db.session()
    area_ids = area_ids_in_scope(session, current_user, "area.read")
    stations = session.scalars(
        select(Station).where(Station.area_id.in_(area_ids)).order_by(Station.code)
    ).all()
    if len(stations) == 1 and request.args.get("all") is None:
        return redirect(url_for("today.today", code=stations[0].code))
    return render_template("today/home.html", stations=stations)


def _local_today() -> date:
    return clock.now().astimezone(clock.station_tz()).date()


def _parse_day(value: str | None, default: date) -> date:
    if value is None:
        return default
    return address_date(value)


@login_required
def today(code: str):
    return _day_page(scoped_station(code, "day.view"), _local_today())


@login_required
def day(code: str, day: str):
    return _day_page(scoped_station(code, "day.view"), _parse_day(day, _local_today()))


def _day_page(station: Station, when: date):
    session, now = db.session(), clock.now()
    view = day_view(session, station, when, clock.station_tz(), now, current_app.config["DEVICE_POLL_SECONDS"],
                    _media_url)
    ticks = ticks_of_day(session, station=station, day=when)
    may_confirm = may(current_user, "playlog.confirm", station.area)
    # Items may be ticked from their window's opening (an item outside every window, from its start).
    opened = {w.name for w in view.windows if w.start is not None and w.start <= now}
    tickable = {i.id for i in view.playlist.items
                if may_confirm and i.kind in CONFIRMABLE_KINDS and (i.window in opened or i.start <= now)}
    today = _local_today()
    undoable = {key for key, tick in ticks.items()
                if may_confirm and tick.at.astimezone(clock.station_tz()).date() == today}
    may_edit = may(current_user, "schedule.edit", station.area)
    editable = {i.id for i in view.playlist.items if may_edit and i.start > now}
    return render_template("today/day.html", station=station, day=when, today=today, view=view,
                           previous_day=when - timedelta(days=1), next_day=when + timedelta(days=1),
                           ticks=ticks, tickable=tickable, undoable=undoable, may_edit=may_edit, editable=editable,
                           may_record=may_confirm and when <= today, origins=ORIGIN_LABELS)


@login_required
def mark_aired(code: str, day: str):
    """The "đã phát" tick: the operator confirms one item, or (`window`) every item of a window that
    has opened, was aired (who and when are recorded)."""
    session, station = db.session(), scoped_station(code, "day.view")
    when = _parse_day(day, _local_today())
    window = request.form.get("window") or None
    try:
        if window is not None:
            confirm_entries(session, station=station, day=when, user=current_user, now=clock.now(), window=window)
        else:
            confirm_entries(session, station=station, day=when, user=current_user, now=clock.now(),
                            entry_uuids=[request.form.get("entry", "")])
    except ConfirmationError as refused:
        session.rollback()
        flash(_("Không đánh dấu được: %(reason)s", reason=words(refused)), "error")
    else:
        session.commit()
        flash(_("Đã ghi nhận: cả buổi đã phát.") if window else _("Đã ghi nhận: mục đã phát."), "success")
    return _back_to_day(station, when)


@login_required
def unmark_aired(code: str, day: str):
    """Undo a "đã phát" tick made today by mistake (audited)."""
    session, station = db.session(), scoped_station(code, "day.view")
    when = _parse_day(day, _local_today())
    try:
        undo_confirmation(session, station=station, entry_uuid=request.form.get("entry", ""), user=current_user,
                          now=clock.now())
    except ConfirmationError as refused:
        session.rollback()
        flash(_("Không bỏ được dấu đã phát: %(reason)s", reason=words(refused)), "error")
    else:
        session.commit()
        flash(_("Đã bỏ dấu đã phát."), "success")
    return _back_to_day(station, when)


def _back_to_day(station: Station, when: date):
    """The day page at the item (or window) just changed; url_for quotes the anchor: no CRLF into the header."""
    anchor = ("entry-" + request.form["entry"]) if request.form.get("entry") else (
        "window-" + request.form.get("window", ""))
    return redirect(url_for("today.day", code=station.code, day=when.isoformat(), _anchor=anchor))


def _media_url(sha256: str) -> str:
    return url_for("media_api.media", sha256=sha256)


@login_required
def calendar(code: str):
    view = request.args.get("view", "week")
    if view not in CALENDAR_VIEWS:
        abort(404)
    return _calendar_page(scoped_station(code, "day.view"), view, _parse_day(request.args.get("day"), _local_today()))


@login_required
def issue_feed(code: str):
    """A new calendar link for the station, shown once on its week (only its hash is kept)."""
    session, station = db.session(), scoped_station(code, "day.view")
    require(current_user, "feed.manage", station.area)
    token = issue_feed_token(session, current_user, station=station, now=clock.now())
    session.commit()
    return _calendar_page(station, "week", _local_today(),
                          url_for("exports.station_calendar", code=station.code, token=token, _external=True))


def _calendar_page(station: Station, view: str, anchor: date, feed_url: str | None = None):
    first, last, previous, following = calendar_range(view, anchor)
    return render_template("today/calendar.html", station=station, view=view, anchor=anchor, first=first, last=last,
                           previous=previous, following=following, today=_local_today(),
                           days=calendar_days(db.session(), station, view, anchor), feed_url=feed_url,
                           may_edit=may(current_user, "schedule.edit", station.area), now=clock.now())


bp.add_url_rule("/", view_func=home)
bp.add_url_rule("/stations/<code>/today", view_func=today)
bp.add_url_rule("/stations/<code>/on/<day>", view_func=day)
bp.add_url_rule("/stations/<code>/on/<day>/aired", view_func=mark_aired, methods=["POST"])
bp.add_url_rule("/stations/<code>/on/<day>/unaired", view_func=unmark_aired, methods=["POST"])
bp.add_url_rule("/stations/<code>/calendar", view_func=calendar)
bp.add_url_rule("/stations/<code>/calendar/link", view_func=issue_feed, methods=["POST"])
bp.add_url_rule("/stations/<code>/entries/<uuid_text>", view_func=edits.entry_page)
bp.add_url_rule("/stations/<code>/entries/<uuid_text>/move", view_func=edits.move, methods=["POST"])
bp.add_url_rule("/stations/<code>/entries/<uuid_text>/cancel", view_func=edits.cancel, methods=["POST"])
bp.add_url_rule("/stations/<code>/entries/<uuid_text>/pin", view_func=edits.pin, methods=["POST"])
bp.add_url_rule("/stations/<code>/entries/<uuid_text>/fill", view_func=edits.fill, methods=["POST"])
bp.add_url_rule("/stations/<code>/on/<day>/add", view_func=edits.add, methods=["GET", "POST"])
bp.add_url_rule("/stations/<code>/on/<day>/unscheduled", view_func=edits.unscheduled, methods=["GET", "POST"])
