"""`radio export day` and `radio export calendar`."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from sqlalchemy import select

from audio_library import ToolFailedError

from .. import db
from ..cli_support import refusals_as_errors
from ..models import Station, utcnow
from .operations import FORMATS, ExportError, export_calendar, export_day

DATE = click.DateTime(["%Y-%m-%d"])


def _station(session, code: str) -> Station:
    station = session.scalar(select(Station).where(Station.code == code))
    if station is None:
        raise ExportError(f"no station with code {code!r}")
    return station


@click.group("export")
def export_group():
    """Export a station's day (playlists, MP3, day pack, log book) or its calendar."""


@export_group.command("day")
@click.option("--station", "station_code", required=True, metavar="CODE")
@click.option("--date", "day", type=DATE, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--window", help="One window only (required for mp3).")
@refusals_as_errors(ExportError, ValueError, ToolFailedError)
def day_command(station_code, day, fmt, out, window):
    """Write one day of a station in FORMAT to OUT."""
    session = db.session()
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    path = export_day(session, _station(session, station_code), day.date(), fmt, out, tz, utcnow(), window)
    click.echo(f"wrote {path}")


@export_group.command("calendar")
@click.option("--station", "station_code", required=True, metavar="CODE")
@click.option("--from", "first", type=DATE, required=True)
@click.option("--to", "last", type=DATE, required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@refusals_as_errors(ExportError)
def calendar_command(station_code, first, last, out):
    """Write a station's entries between two dates as an iCalendar file."""
    session = db.session()
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    export_calendar(session, _station(session, station_code), first.date(), last.date(), out, tz, utcnow())
    click.echo(f"wrote {out}")
