"""`radio device-token`."""
import click

from .. import db
from ..cli_support import as_option, refusals_as_errors, resolve_actor
from .operations import DeviceError, issue_token


@click.command("device-token")
@click.argument("device_code")
@as_option
@refusals_as_errors(DeviceError)
def device_token_command(device_code, as_user):
    """Issue a new secret token for a device and print it once (the old one stops working)."""
    session = db.session()
    token = issue_token(session, resolve_actor(as_user), device_code)
    session.commit()
    click.echo(token)
