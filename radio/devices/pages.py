"""The loudspeakers pages: a station's or an area's village receivers, each with its state, its
latest report, its offline periods and availability over the last 30 days; a summary; a map
when MAP_TILE_URL is set; and the availability export (CSV, XLSX) for the office's report.

Every figure comes from overview.py; this module only loads, checks scope and renders.
"""
from __future__ import annotations

import io
from datetime import datetime, timedelta

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_decimal, format_percent, gettext as _, lazy_gettext as _l
from flask_login import login_required
from werkzeug.exceptions import Forbidden

from .. import clock, db
from ..downloads import send_download
from ..ui.i18n import format_dmy_hm
from ..ui.nav import NavItem, register_nav
from ..ui.errors import error_page
from ..ui.fields import form_refusal
from ..ui.scope import areas_in_scope, scoped_area, scoped_station
from .availability_files import CONTENT_TYPES, availability_csv, availability_xlsx
from .forms import ERROR_LABELS, NETWORK_LABELS, STATE_LABELS, AvailabilityForm
from .overview import Overview, area_overview, local_span, recent_span, station_overview

ACTION = "device.view"

bp = Blueprint("devices", __name__, url_prefix="/loudspeakers")
bp.record_once(lambda state: register_nav(
    state.app, NavItem("devices.index", _l("Loa thôn"), ("operator", "oversight"), "/loudspeakers")))


def _poll_s() -> int:
    return current_app.config["DEVICE_POLL_SECONDS"]


@login_required
def index():
    """The widest area the user may see the loudspeakers of."""
    areas = areas_in_scope(ACTION)
    if not areas:
        raise Forbidden("the loudspeakers pages are for station operators and the culture office")
    widest = min(areas, key=lambda a: len(a.ancestors_and_self()))
    return redirect(url_for("devices.area_page", code=widest.code))


@login_required
def area_page(code: str):
    area = scoped_area(code, ACTION)
    now = clock.now()
    found = area_overview(db.session(), area.id, recent_span(now), now=now, tz=clock.station_tz(), poll_s=_poll_s())
    return _render(found, heading=_("Loa thôn: %(area)s", area=area.name), area=area)


@login_required
def station_page(code: str):
    station = scoped_station(code, ACTION)
    now = clock.now()
    found = station_overview(db.session(), station.id, recent_span(now), now=now, tz=clock.station_tz(),
                             poll_s=_poll_s())
    return _render(found, heading=_("Loa thôn của %(station)s", station=station.name), area=station.area)


def _render(found: Overview, *, heading: str, area):
    today = clock.now().astimezone(clock.station_tz()).date()
    form = AvailabilityForm(data={"date_from": today - timedelta(days=29), "date_to": today})
    tile_url = current_app.config["MAP_TILE_URL"]
    markers = [_marker(row) for row in found.rows if row.device.lat is not None and row.device.lon is not None]
    return render_template("devices/loudspeakers.html", overview=found, heading=heading, area=area, form=form,
                           labels=STATE_LABELS, tile_url=tile_url, markers=markers if tile_url else [],
                           attribution=current_app.config["MAP_ATTRIBUTION"])


def _marker(row) -> dict:
    device = row.device
    return {"lat": device.lat, "lon": device.lon, "state": row.state,
            "label": f"{device.area.name} — {STATE_LABELS[row.state]}"}


@login_required
def availability_file(code: str, fmt: str):
    """One row per device of the area: its availability over the chosen days (default the last 30)."""
    if fmt not in CONTENT_TYPES:
        abort(404)
    area = scoped_area(code, ACTION)
    now, tz = clock.now(), clock.station_tz()
    today = now.astimezone(tz).date()
    form = AvailabilityForm(request.args)
    form.validate()
    first, last = form.date_from.data or today - timedelta(days=29), form.date_to.data or today
    if form.errors:
        return error_page(400, form_refusal(form))
    if last < first:
        return error_page(400, _("Ngày không hợp lệ: viết theo dạng ngày/tháng/năm, ví dụ 31/12/2026; "
                                 "ngày kết thúc không trước ngày bắt đầu."))
    # Days after today add nothing (the span ends now), nor do days before a device was added.
    span = local_span(first, min(last, today), tz, now)
    found = area_overview(db.session(), area.id, span, now=now, tz=tz, poll_s=_poll_s())
    headers = [_("Đài"), _("Thôn"), _("Mã thiết bị"), _("Tình trạng"), _("Liên lạc lần cuối"),
               _("Số lần mất liên lạc"), _("Số giờ mất liên lạc"), _("Tỷ lệ hoạt động (%)")]
    rows = [_export_row(row) for row in sorted(found.rows, key=lambda r: (r.device.station.name, r.device.area.name,
                                                                          r.device.code))]
    name = f"loa-{area.code}-{first:%Y%m%d}-{last:%Y%m%d}.{fmt}"
    data = availability_csv(headers, rows) if fmt == "csv" else \
        availability_xlsx(_("Tỷ lệ hoạt động"), headers, rows)
    return send_download(io.BytesIO(data), CONTENT_TYPES[fmt], as_attachment=True, download_name=name)


def _export_row(row) -> list:
    measured, device = row.availability, row.device
    ratio = None if measured is None else measured.ratio
    return [device.station.name, device.area.name, device.code, str(STATE_LABELS[row.state]),
            format_dmy_hm(device.last_seen_at) or None, None if measured is None else measured.periods,
            None if measured is None else round(measured.offline.total_seconds() / 3600, 1),
            None if ratio is None else round(ratio * 100, 1)]


def percent(ratio: float | None) -> str:
    return "" if ratio is None else format_percent(ratio, format="#,##0.0%")


def uptime(seconds) -> str:
    """How long the receiver has been running, in days, hours and minutes."""
    if not isinstance(seconds, int) or seconds < 0:
        return ""
    days, rest = divmod(seconds, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return _("%(days)s ngày %(hours)s giờ", days=days, hours=hours)
    return _("%(hours)s giờ %(minutes)s phút", hours=hours, minutes=minutes)


def network(report) -> str:
    """The network a receiver says it uses, and its signal when it can tell."""
    if not isinstance(report, dict) or not report.get("type"):
        return ""
    kind = str(NETWORK_LABELS.get(report["type"], _("mạng khác")))
    signal = report.get("signal_dbm")
    return _("%(kind)s, sóng %(dbm)s dBm", kind=kind, dbm=signal) if isinstance(signal, int) else kind


def error_words(report) -> str:
    """A receiver's last playback error in the reader's words, when its code is known; "" when
    not (the page then shows the receiver's own message)."""
    if not isinstance(report, dict):
        return ""
    words = ERROR_LABELS.get(report.get("code"))
    return str(words) if words is not None else ""


def reported_at(text) -> str:
    """An instant a receiver reported (ISO text), as the pages write instants; "" when unreadable."""
    try:
        return format_dmy_hm(datetime.fromisoformat(text))
    except (TypeError, ValueError):
        return ""


def clock_offset(seconds) -> str:
    if not isinstance(seconds, (int, float)):
        return ""
    shown = format_decimal(round(abs(seconds), 1), format="#,##0.#")  # the reader's decimal mark (0,8 in Vietnamese)
    return _("nhanh %(s)s giây", s=shown) if seconds >= 0 else _("chậm %(s)s giây", s=shown)


def disk_size(size) -> str:
    """Bytes as GB (MB below 1 GB) with the reader's decimal mark: "5,2 GB" in Vietnamese."""
    if not isinstance(size, int):
        return ""
    if size >= 1_000_000_000:
        return f"{format_decimal(size / 1e9, format='#,##0.0')} GB"
    return f"{format_decimal(size / 1e6, format='#,##0.0')} MB"


bp.add_app_template_filter(percent, "percent")
bp.add_app_template_filter(uptime, "uptime")
bp.add_app_template_filter(network, "network")
bp.add_app_template_filter(reported_at, "reported_at")
bp.add_app_template_filter(error_words, "error_words")
bp.add_app_template_filter(clock_offset, "clock_offset")
bp.add_app_template_filter(disk_size, "disk_size")
bp.add_url_rule("/", view_func=index)
bp.add_url_rule("/area/<code>", view_func=area_page)
bp.add_url_rule("/station/<code>", view_func=station_page)
bp.add_url_rule("/area/<code>/availability.<fmt>", view_func=availability_file)
