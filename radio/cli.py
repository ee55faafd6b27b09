"""The `radio` command: Flask's command group with every feature's commands added.

The commands are loaded by name when one is run (`COMMANDS`), so that `radio --help` imports
no feature and a command imports only its own: every command pays the start-up before its work."""
from __future__ import annotations

from importlib import import_module

import click
from click.utils import make_default_short_help
from flask import current_app
from flask.cli import AppGroup, FlaskGroup

from .collector import collector_paused

# name: (module:attribute, its one-line help as `radio --help` shows it; a test keeps them equal)
COMMANDS = {
    "audio": ("radio.media.cli:audio_group",
              "The audio library: add audio as episodes, bring stored audio to the canonical format."),
    "backup": ("radio.backup:backup_command",
               "Write the database and the audio store to one archive (tar), for `radio restore`."),
    "bulletin": ("radio.bulletins.cli:bulletin_group",
                 "Bulletins (Circular 39): normal and priority ones are scheduled, emergency ones play at once."),
    "compliance": ("radio.compliance.cli:compliance_group",
                   "Required vs planned vs aired per requirement, station and period (whole periods touching "
                   "--from..--to)."),
    "db-revision": ("radio.cli:db_revision_command",
                    "(developers) Write a new migration from the difference between models and database."),
    "demo": ("radio.demo:demo_command",
             "Load the demo plans, create demo users, approve and voice the scripts (offline)."),
    "device": ("radio.devices.cli:device_group", "Village loudspeaker devices."),
    "device-token": ("radio.devices.cli:device_token_command",
                     "Issue a new secret token for a device and print it once (the old one stops working)."),
    "export": ("radio.exports.cli:export_group",
               "Export a station's day (playlists, MP3, day pack, log book) or its calendar."),
    "export-plan": ("radio.plans.cli:export_plan_command",
                    "Write a plan from the database back out in the plan-file format."),
    "feed": ("radio.exports.cli:feed_group",
             "Calendar feed links for calendar apps (a secret token per feed, revocable)."),
    "import": ("radio.plans.cli:import_command",
               "Validate a plan file (YAML or JSON) in full, then load it in one transaction."),
    "init-db": ("radio.cli:init_db_command", "Create the database schema, or upgrade it to the newest migration."),
    "notices": ("radio.inbox.cli:notices_group",
                "Run the periodic checks and deliver notices by hand (`radio worker` does both on its own)."),
    "plan": ("radio.plans.cli:plan_group", "Official plan documents."),
    "playlog": ("radio.playlogs.cli:playlog_group",
                "Confirm airings by hand (stations without devices) and record unscheduled ones."),
    "restore": ("radio.backup:restore_command",
                "Load a `radio backup` archive into this instance's empty database and its audio store."),
    "schedule": ("radio.schedule.cli:schedule_group",
                 "Build station schedules from the requirements, list them, edit them by hand."),
    "scripts": ("radio.scripts.cli:scripts_group",
                "Write scripts, submit them, approve or reject them, voice approved ones."),
    "simulate": ("radio.simulation.cli:simulate_command",
                 "Run the product through a simulated season and check, every day, that nothing was lost."),
    "tts": ("radio.scripts.cli:tts_group", "Text-to-speech helpers."),
    "user": ("radio.accounts.cli:user_group", "Add users, grant and revoke roles, set passwords."),
    "worker": ("radio.cli:worker_command",
               "Run queued jobs (voicing, rendering, big rebuilds, notices) and the periodic checks until stopped."),
}


def load_command(name: str) -> click.Command:
    module, attribute = COMMANDS[name][0].split(":")
    return getattr(import_module(module), attribute)


class CommandGroup(AppGroup):
    """`app.cli`: the commands of `COMMANDS`, each imported when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | COMMANDS.keys())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return load_command(name) if name in COMMANDS else super().get_command(ctx, name)


class RadioGroup(FlaskGroup):
    """Flask's group (run, shell, routes get the whole app) that lists `COMMANDS` from the table
    and runs one in an app without the pages."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted(set(click.Group.list_commands(self, ctx)) | COMMANDS.keys())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return super().get_command(ctx, name)
        with collector_paused():  # start-up makes many long-lived objects and no cyclic garbage
            if not current_app:
                from . import create_app

                ctx.with_resource(create_app(pages=False).app_context())
            return load_command(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            if name in COMMANDS:
                rows.append((name, make_default_short_help(COMMANDS[name][1], limit)))
            elif (command := click.Group.get_command(self, ctx, name)) is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.command("init-db")
def init_db_command():
    """Create the database schema, or upgrade it to the newest migration."""
    from . import db, schema

    schema.upgrade(db.engine())
    click.echo(f"database ready ({db.engine().url.render_as_string(hide_password=True)})")


@click.command("db-revision")
@click.argument("message")
def db_revision_command(message):
    """(developers) Write a new migration from the difference between models and database."""
    from . import db, schema

    schema.make_revision(db.engine(), message)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads running jobs.")
def worker_command(workers):
    """Run queued jobs (voicing, rendering, big rebuilds, notices) and the periodic checks until stopped."""
    from . import jobs

    jobs.run_worker(workers)


def _create_app():
    from . import create_app

    return create_app()


main = RadioGroup(create_app=_create_app, help="Broadcast schedules for commune radio and village loudspeakers.")
