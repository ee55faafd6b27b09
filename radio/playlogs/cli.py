"""`radio playlog confirm|add`: operators of stations without devices report what they aired."""
from __future__ import annotations

import click

from .. import clock, db, lookups
from ..cli_support import DATE, SensibleDateTime, refusals_as_errors, resolve_actor
from .confirmations import add_unscheduled, confirm_entries, undo_confirmation

required_as = click.option("--as", "as_user", metavar="USERNAME", required=True,
                           help="The operator confirming (audited).")


@click.group("playlog")
def playlog_group():
    """Confirm airings by hand (stations without devices) and record unscheduled ones."""


@playlog_group.command("confirm")
@click.option("--station", "station_code", required=True, metavar="CODE")
@click.option("--date", "day", type=DATE, required=True, help="The station's local day.")
@click.option("--entries", "entries", multiple=True, metavar="UUID…",
              help="Only these entries (repeat, or separate by spaces/commas); default: all aired so far.")
@click.option("--window", metavar="NAME", help="Every entry of this window, once it has opened.")
@required_as
@refusals_as_errors()
def confirm_command(station_code, day, entries, window, as_user):
    """Confirm that the day's entries were aired."""
    session = db.session()
    uuids = [part for text in entries for part in text.replace(",", " ").split()] or None
    created = confirm_entries(session, station=lookups.station(session, station_code), day=day.date(),
                              user=resolve_actor(as_user), now=clock.now(), entry_uuids=uuids, window=window)
    session.commit()
    click.echo(f"confirmed {len(created)} entr{'y' if len(created) == 1 else 'ies'} of {station_code} "
               f"on {day:%d/%m/%Y}" + ("" if created or uuids is None else " (already confirmed)"))


@playlog_group.command("undo")
@click.option("--station", "station_code", required=True, metavar="CODE")
@click.option("--entry", "entry", required=True, metavar="UUID")
@required_as
@refusals_as_errors()
def undo_command(station_code, entry, as_user):
    """Take back today's "đã phát" tick of an entry (audited)."""
    session = db.session()
    undo_confirmation(session, station=lookups.station(session, station_code), entry_uuid=entry,
                      user=resolve_actor(as_user), now=clock.now())
    session.commit()
    click.echo(f"took back the tick of {entry} at {station_code}")


@playlog_group.command("add")
@click.option("--station", "station_code", required=True, metavar="CODE")
@click.option("--episode", "episode_ref", required=True, metavar="CODE",
              help="CODE, SERIES/CODE or PLAN/SERIES/CODE.")
@click.option("--at", "at", type=SensibleDateTime(["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]), required=True,
              help='Local start, "YYYY-MM-DD HH:MM".')
@required_as
@refusals_as_errors()
def add_command(station_code, episode_ref, at, as_user):
    """Record an airing that was not on the schedule."""
    session = db.session()
    log = add_unscheduled(session, station=lookups.station(session, station_code),
                          episode=lookups.episode(session, episode_ref), at=at.replace(tzinfo=clock.station_tz()),
                          user=resolve_actor(as_user), now=clock.now())
    session.commit()
    click.echo(f"recorded {episode_ref} at {station_code} on {at:%d/%m/%Y %H:%M} (log {log.client_uuid})")
