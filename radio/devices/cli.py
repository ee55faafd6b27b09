"""`radio device-token`, `radio device status` and `radio device intake`."""
import click
from flask import current_app
from sqlalchemy import select

from .. import clock, db, lookups
from ..cli_support import as_option, refusals_as_errors, resolve_actor
from ..models import Device
from .operations import issue_token, revoke_token
from .presence import mark_offline, presence


@click.command("device-token")
@click.argument("device_code")
@click.option("--revoke", is_flag=True, help="Only revoke the current token (the device is locked out).")
@as_option
@refusals_as_errors()
def device_token_command(device_code, revoke, as_user):
    """Issue a new secret token for a device and print it once (the old one stops working)."""
    session = db.session()
    if revoke:
        revoke_token(session, resolve_actor(as_user), device_code, now=clock.now())
        session.commit()
        click.echo(f"token of {device_code} revoked")
        return
    token = issue_token(session, resolve_actor(as_user), device_code, now=clock.now())
    session.commit()
    click.echo(token)


@click.group("device")
def device_group():
    """Village loudspeaker devices."""


@device_group.command("status")
@click.option("--station", "station_code", metavar="CODE", help="Only this station's devices.")
@refusals_as_errors()
def status_command(station_code):
    """List devices as online, offline (3 missed polls) or never seen; marks the offline ones."""
    session, now, poll_s = db.session(), clock.now(), current_app.config["DEVICE_POLL_SECONDS"]
    query = select(Device).order_by(Device.code)
    station_id = None
    if station_code:
        station = lookups.station(session, station_code)
        station_id = station.id
        query = query.where(Device.station_id == station_id)
    went_offline = {d.code for d in mark_offline(session, now, poll_s, station_id)}
    session.commit()
    tz = clock.station_tz()
    for device in session.scalars(query):
        seen = f"{device.last_seen_at.astimezone(tz):%d/%m/%Y %H:%M:%S}" if device.last_seen_at else "-"
        note = " (now offline)" if device.code in went_offline else ""
        click.echo(f"{device.code}\t{presence(device, now, poll_s)}{note}\tlast seen {seen}")


@device_group.command("intake")
@click.option("--batch", default=500, show_default=True, type=click.IntRange(1, 20000),
              help="Messages stored together, at most.")
@click.option("--wait", "wait_s", default=0.2, show_default=True, type=click.FloatRange(0, 10),
              help="Seconds a batch waits for more messages once one has come.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 16),
              help="Batches stored at the same time, each in its own transaction.")
def intake_command(batch, wait_s, workers):
    """Take the play logs receivers send over MQTT (PLAYLOG_INTAKE=mqtt), until stopped."""
    from .intake import is_on, run_intake

    if not is_on(current_app.config):
        raise click.UsageError("set MQTT_URL and RADIO_PLAYLOG_INTAKE=mqtt first: receivers are offered the intake "
                               "only then")
    click.echo(f"taking play logs from {current_app.config['MQTT_URL']} (Ctrl-C to stop)")
    taken = run_intake(current_app._get_current_object(), batch, wait_s, workers)
    click.echo(f"stopped after {taken} messages")
