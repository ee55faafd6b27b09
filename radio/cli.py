"""The `radio` command: Flask's command group with every feature's commands added."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from . import db, schema


def register_commands(app: Flask) -> None:
    from .accounts.cli import user_group
    from .bulletins.cli import bulletin_group
    from .demo import demo_command
    from .inbox.cli import notices_group
    from .devices.cli import device_group, device_token_command
    from .compliance.cli import compliance_group
    from .plans.cli import export_plan_command, import_command, plan_group
    from .playlogs.cli import playlog_group
    from .schedule.cli import schedule_group
    from .exports.cli import export_group, feed_group
    from .media.cli import audio_group
    from .scripts.cli import scripts_group, tts_group
    from .simulation.cli import simulate_command

    for command in (init_db_command, db_revision_command, worker_command, import_command,
                    export_plan_command, user_group, device_token_command, device_group, bulletin_group,
                    demo_command, schedule_group, scripts_group, audio_group, tts_group, export_group, feed_group,
                    playlog_group, compliance_group, simulate_command, notices_group, plan_group):
        app.cli.add_command(command)


@click.command("init-db")
def init_db_command():
    """Create the database schema, or upgrade it to the newest migration."""
    schema.upgrade(db.engine())
    click.echo(f"database ready ({db.engine().url.render_as_string(hide_password=True)})")


@click.command("db-revision")
@click.argument("message")
def db_revision_command(message):
    """(developers) Write a new migration from the difference between models and database."""
    schema.make_revision(db.engine(), message)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads running jobs.")
def worker_command(workers):
    """Run queued jobs (voicing, rendering, big rebuilds, notices) and the periodic checks until stopped."""
    from . import jobs

    jobs.run_worker(workers)


def _create_app() -> Flask:
    from . import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, help="Broadcast schedules for commune radio and village loudspeakers.")
