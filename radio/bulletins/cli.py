"""`radio bulletin issue|cancel|show|list`."""
from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from sqlalchemy import select

from .. import clock, db, lookups
from ..cli_support import SensibleDateTime, as_option, refusals_as_errors, resolve_actor
from ..models import BULLETIN_PRIORITIES, Bulletin
from ..notify import poll_now
from .delivery import deliveries
from .operations import BulletinRules, bulletin_entries, cancel_bulletin, issue_bulletin

LOCAL = SensibleDateTime(["%Y-%m-%d %H:%M", "%Y-%m-%d"])


@click.group("bulletin")
def bulletin_group():
    """Bulletins (Circular 39): normal and priority ones are scheduled, emergency ones play at once."""


def _local(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=clock.station_tz()) if value is not None else None


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(clock.station_tz()):%d/%m/%Y %H:%M}"


@bulletin_group.command("issue")
@click.argument("more_areas", nargs=-1, metavar="")
@click.option("--episode", required=True, metavar="CODE", help="CODE, SERIES/CODE or PLAN/SERIES/CODE.")
@click.option("--areas", "areas", multiple=True, metavar="CODE…", help="Areas to reach (several may follow).")
@click.option("--priority", type=click.Choice(BULLETIN_PRIORITIES), required=True)
@click.option("--from", "valid_from", type=LOCAL, help='Local "YYYY-MM-DD HH:MM" (default: now).')
@click.option("--until", "valid_until", type=LOCAL,
              help="Local end of validity (default: 24 hours on, 2 hours for emergency).")
@click.option("--title", help="Title read out to operators (default: the episode's).")
@as_option
@refusals_as_errors()
def issue_command(more_areas, episode, areas, priority, valid_from, valid_until, title, as_user):
    """Issue an approved episode as a bulletin to areas (and every device below them)."""
    codes = [code for value in (*areas, *more_areas) for code in value.split(",") if code]
    session, config = db.session(), current_app.config
    rules = BulletinRules.from_config(config)
    result = issue_bulletin(session, resolve_actor(as_user), episode=episode, areas=codes, priority=priority,
                            now=clock.now(), tz=clock.station_tz(), valid_from=_local(valid_from),
                            valid_until=_local(valid_until), title=title, rules=rules)
    session.commit()
    bulletin, placement = result.bulletin, result.placement
    click.echo(f"bulletin {bulletin.uuid} ({priority}) valid {_when(bulletin.valid_from)}–{_when(bulletin.valid_until)}")
    for entry in placement.created + placement.moved:
        verb = "placed" if entry in placement.created else "moved"
        click.echo(f"{verb}: {entry.station.code} {_when(entry.start_at)} ({entry.window_name}) entry {entry.uuid}")
    for label in placement.unplaced:
        click.echo(f"no free airtime: {label} (place it by hand, or issue it with a longer validity)")
    for entry in placement.displaced:
        click.echo(f"displaced: {entry.station.code} {_when(entry.start_at)} {entry.title} (rebuild to re-place it)")
    sent = poll_now(result.devices, "bulletin")
    click.echo(f"{len(result.devices)} devices reached" + (f"; {sent} poll-now notices sent" if sent else ""))


@bulletin_group.command("cancel")
@click.argument("uuid_text", metavar="BULLETIN_UUID")
@as_option
@refusals_as_errors()
def cancel_command(uuid_text, as_user):
    """Cancel a bulletin: devices drop it on their next poll; its coming entries are cancelled."""
    session = db.session()
    devices = cancel_bulletin(session, resolve_actor(as_user), lookups.bulletin(session, uuid_text), clock.now())
    session.commit()
    poll_now(devices, "bulletin-cancelled")
    click.echo(f"bulletin {uuid_text} cancelled; {len(devices)} devices told")


@bulletin_group.command("show")
@click.argument("uuid_text", metavar="BULLETIN_UUID")
@refusals_as_errors()
def show_command(uuid_text):
    """A bulletin, its schedule entries, and which devices fetched and played it."""
    session = db.session()
    bulletin = lookups.bulletin(session, uuid_text)
    state = f"cancelled {_when(bulletin.cancelled_at)}" if bulletin.cancelled_at else "active"
    click.echo(f"{bulletin.uuid} {bulletin.priority} {state}: {bulletin.title}")
    click.echo(f"  areas {', '.join(a.code for a in bulletin.areas)}; valid "
               f"{_when(bulletin.valid_from)}–{_when(bulletin.valid_until)}")
    for entry in bulletin_entries(session, bulletin):
        click.echo(f"  entry {entry.uuid} {entry.station.code} {_when(entry.start_at)} {entry.status}")
    for code, fetched, played in deliveries(session, bulletin):
        click.echo(f"  device {code}: fetched {_when(fetched) if fetched else '-'}, "
                   f"played {_when(played) if played else '-'}")


@bulletin_group.command("list")
def list_command():
    """Bulletins, newest first."""
    for bulletin in db.session().scalars(select(Bulletin).order_by(Bulletin.created_at.desc(), Bulletin.id.desc())):
        state = "cancelled" if bulletin.cancelled_at else "active"
        click.echo(f"{bulletin.uuid}\t{bulletin.priority}\t{state}\t{_when(bulletin.valid_from)}\t{bulletin.title}")
