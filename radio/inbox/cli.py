"""`radio notices check|send`: the periodic checks once, and the deliveries that are due."""
from __future__ import annotations

import click

from .. import jobs
from ..notices import deliver_due


@click.group("notices")
def notices_group():
    """Run the periodic checks and deliver notices by hand (`radio worker` does both on its own)."""


@notices_group.command("check")
def check_command():
    """Run every periodic check once now (offline devices, due reports, empty slots, retries)."""
    for check in jobs.periodic_checks():
        check()
        click.echo(f"ran {check.__name__}")


@notices_group.command("send")
def send_command():
    """Deliver the e-mails and webhook calls that are due now."""
    click.echo(f"{deliver_due()} sent")
