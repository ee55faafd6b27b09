"""`radio export day|calendar` and `radio feed issue|revoke|list`."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from sqlalchemy import select

from audio_library import ToolFailedError

from .. import clock, db, lookups

from ..cli_support import DATE, as_option, refusals_as_errors, resolve_actor
from ..models import FeedToken
from .feeds import FeedError, issue_feed_token, revoke_feed_token
from .operations import FORMATS, ExportError, export_calendar, export_day, export_requirements_calendar


@click.group("export")
def export_group():
    """Export a station's day (playlists, MP3, day pack, log book) or its calendar."""


@export_group.command("day")
@click.option("--station", "station_code", required=True, metavar="CODE")
@click.option("--date", "day", type=DATE, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--window", help="One window only (required for mp3).")
@click.option("--part", type=click.IntRange(min=1), help="The MP3 part of a window cut by relay or live blocks.")
@refusals_as_errors(ValueError, ToolFailedError)
def day_command(station_code, day, fmt, out, window, part):
    """Write one day of a station in FORMAT to OUT."""
    session = db.session()
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    path = export_day(session, lookups.station(session, station_code), day.date(), fmt, out, tz, clock.now(), window,
                      part=part)
    click.echo(f"wrote {path}")


@export_group.command("calendar")
@click.option("--station", "station_code", required=True, metavar="CODE")
@click.option("--from", "first", type=DATE)
@click.option("--to", "last", type=DATE)
@click.option("--requirements", is_flag=True, help="What must be aired (recurring events) instead of the entries.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@refusals_as_errors()
def calendar_command(station_code, first, last, requirements, out):
    """Write a station's entries between two dates (or its requirements) as an iCalendar file."""
    session = db.session()
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    station = lookups.station(session, station_code)
    if requirements:
        export_requirements_calendar(session, station, out, tz, clock.now())
    elif first is None or last is None:
        raise ExportError("give --from and --to (or --requirements)")
    else:
        export_calendar(session, station, first.date(), last.date(), out, tz, clock.now())
    click.echo(f"wrote {out}")


@click.group("feed")
def feed_group():
    """Calendar feed links for calendar apps (a secret token per feed, revocable)."""


@feed_group.command("issue")
@click.option("--station", "station_code", metavar="CODE")
@click.option("--device", "device_code", metavar="CODE")
@click.option("--label", help="Who the link is for.")
@as_option
@refusals_as_errors()
def feed_issue_command(station_code, device_code, label, as_user):
    """Issue a feed link; the token is printed once."""
    session = db.session()
    station = lookups.station(session, station_code) if station_code else None
    device = lookups.device(session, device_code) if device_code else None
    token = issue_feed_token(session, resolve_actor(as_user), station=station, device=device, label=label,
                             now=clock.now())
    session.commit()
    path = f"/stations/{station.code}" if station else f"/devices/{device.code}"
    click.echo(f"{path}/calendar.ics?token={token}")


@feed_group.command("revoke")
@click.argument("feed_id", type=int)
@as_option
@refusals_as_errors()
def feed_revoke_command(feed_id, as_user):
    """Revoke a feed link (the calendar app stops getting updates)."""
    session = db.session()
    feed = session.get(FeedToken, feed_id)
    if feed is None:
        raise FeedError(f"no feed with id {feed_id}")
    revoke_feed_token(session, resolve_actor(as_user), feed, now=clock.now())
    session.commit()
    click.echo(f"feed {feed_id} revoked")


@feed_group.command("list")
def feed_list_command():
    """Feeds with their id, target and state."""
    for feed in db.session().scalars(select(FeedToken).order_by(FeedToken.id)):
        target = f"station {feed.station.code}" if feed.station else f"device {feed.device.code}"
        state = f"revoked {feed.revoked_at:%d/%m/%Y}" if feed.revoked_at else "active"
        click.echo(f"{feed.id}\t{target}\t{state}\t{feed.label or ''}")


