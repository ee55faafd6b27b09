"""`radio scripts add|edit|submit|approve|reject|voice|show` and `radio tts preview|glossary|glossary-remove`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from huey.exceptions import TaskException
from sqlalchemy import select

from audio_library.tts import AllEnginesFailedError

from .. import clock, db, jobs, lookups, notices
from ..cli_support import as_option, refusals_as_errors, resolve_actor
from ..models import Episode, Script
from . import operations as ops
from .jobs import voice_script_job
from ..voices import voice_of
from .voicing import (
    ENGINE_NAMES, make_engines, preview_text, remove_glossary_entry, script_voice, set_glossary_entry, voice_script,
)


def _script(session, script_id: int) -> Script:
    script = session.get(Script, script_id)
    if script is None:
        raise ops.ScriptError(f"no script with id {script_id}")
    return script


def _text(text: str | None, file: Path | None) -> str:
    if (text is None) == (file is None):
        raise click.UsageError("give exactly one of --text and --file")
    return text if text is not None else file.read_text(encoding="utf-8")


@click.group("scripts")
def scripts_group():
    """Write scripts, submit them, approve or reject them, voice approved ones."""


@scripts_group.command("add")
@click.option("--series", "series_code", required=True, metavar="CODE")
@click.option("--plan", "plan_code", metavar="CODE", help="When the series code exists in several plans.")
@click.option("--title", required=True)
@click.option("--text")
@click.option("--file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--one-off", is_flag=True,
              help="A one-off item: never placed in the series' requirement slots (aired only by hand).")
@as_option
@refusals_as_errors()
def add_command(series_code, plan_code, title, text, file, one_off, as_user):
    """Write a new script (a draft); prints its id."""
    session = db.session()
    script = ops.add_script(session, resolve_actor(as_user), lookups.series(session, series_code, plan_code),
                            title, _text(text, file), now=clock.now(), for_requirements=not one_off)
    session.commit()
    click.echo(script.id)


@scripts_group.command("edit")
@click.argument("script_id", type=int)
@click.option("--text")
@click.option("--file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
@refusals_as_errors()
def edit_command(script_id, text, file, as_user):
    """Save a new draft version of a script."""
    session = db.session()
    version = ops.edit_script(session, resolve_actor(as_user), _script(session, script_id), _text(text, file),
                              now=clock.now())
    session.commit()
    click.echo(f"script {script_id}: version {version.number} (draft)")


def _decision(name: str, operation, help_text: str):
    @scripts_group.command(name, help=help_text)
    @click.argument("script_id", type=int)
    @as_option
    @refusals_as_errors()
    def command(script_id, as_user):
        session = db.session()
        version = operation(session, resolve_actor(as_user), _script(session, script_id), now=clock.now())
        session.commit()
        notices.dispatch()
        click.echo(f"script {script_id}: version {version.number} {version.status}")

    return command


_decision("submit", ops.submit_script, "Submit the latest draft for approval.")
_decision("approve", ops.approve_script, "Approve the submitted version (approvers of the area only).")


@scripts_group.command("reject")
@click.argument("script_id", type=int)
@click.option("--reason", required=True)
@as_option
@refusals_as_errors()
def reject_command(script_id, reason, as_user):
    """Reject the submitted version, with a reason."""
    session = db.session()
    version = ops.reject_script(session, resolve_actor(as_user), _script(session, script_id), reason, now=clock.now())
    session.commit()
    notices.dispatch()
    click.echo(f"script {script_id}: version {version.number} rejected")


@scripts_group.command("show")
@click.argument("script_id", type=int)
@refusals_as_errors()
def show_command(script_id):
    """A script's versions, their status and who decided."""
    script = _script(db.session(), script_id)
    click.echo(f"script {script.id}: {script.title} (series {script.series.code})")
    for v in script.versions:
        airable = "  ← airable" if v.id == script.approved_version_id else ""
        decided = (f" by {v.decided_by.username if v.decided_by else '?'} at "
                   f"{v.decided_at.astimezone(clock.station_tz()):%d/%m/%Y %H:%M}" if v.decided_at else "")
        reason = f" — {v.reason}" if v.reason else ""
        click.echo(f"  v{v.number} {v.status}{decided}{reason}{airable}")
    click.echo(script.latest.text)


@scripts_group.command("voice")
@click.argument("script_id", type=int)
@click.option("--engine", type=click.Choice(ENGINE_NAMES), help="Use only this engine (default: the configured order).")
@as_option
@refusals_as_errors(AllEnginesFailedError)
def voice_command(script_id, engine, as_user):
    """Voice the approved version into its episode (anything else is refused)."""
    session = db.session()
    script = _script(session, script_id)
    engines = make_engines([engine], script_voice(session, script)) if engine else None
    episode = voice_script(session, resolve_actor(as_user), script, engines, now=clock.now())
    session.commit()
    click.echo(f"script {script_id} voiced with {episode.tts_engine} into episode {episode.code} "
               f"({episode.duration_s:.1f} s)")


@scripts_group.command("voice-batch")
@click.option("--series", "series_code", metavar="CODE", help="Only this series.")
@click.option("--plan", "plan_code", metavar="CODE")
@click.option("--engine", type=click.Choice(ENGINE_NAMES))
def voice_batch_command(series_code, plan_code, engine):
    """Voice every approved script whose episode has no audio yet, as jobs, showing progress."""
    session = db.session()
    query = select(Script).where(Script.approved_version_id.is_not(None)).order_by(Script.id)
    if series_code:
        query = query.where(Script.series_id == lookups.series(session, series_code, plan_code).id)
    todo = [s.id for s in session.scalars(query) if not _has_audio(session, s)]
    session.commit()  # nothing written: ends the reads, each job has a session of its own
    results = [(script_id, jobs.enqueue(voice_script_job, script_id, [engine] if engine else None))
               for script_id in todo]
    failed = []
    with click.progressbar(results, label=f"voicing {len(todo)} scripts", show_pos=True) as bar:
        for script_id, result in bar:
            try:
                result.get(blocking=True)
            except TaskException as exc:
                failed.append(f"script {script_id}: {exc.metadata.get('error', exc)}")
    click.echo(f"{len(todo) - len(failed)} scripts voiced")
    for line in failed:
        click.echo(f"failed: {line}", err=True)
    if failed:
        sys.exit(1)


def _has_audio(session, script: Script) -> bool:
    episode = session.scalar(select(Episode).where(Episode.script_id == script.id))
    return episode is not None and episode.media_sha256 is not None and episode.script_version_id == script.approved_version_id


@click.group("tts")
def tts_group():
    """Text-to-speech helpers."""


@tts_group.command("preview")
@click.argument("text")
@click.option("--area", "area_code", metavar="CODE", help="Use this area's glossary and voice.")
@click.option("--station", "station_code", metavar="CODE", help="Use this station's voice and its area's glossary.")
@refusals_as_errors()
def preview_command(text, area_code, station_code):
    """Print the text as the voice will read it, in the region of the station or area (default: the
    configured voice); the last line is the normalised text."""
    if area_code and station_code:
        raise click.UsageError("give --area or --station, not both")
    session = db.session()
    station = lookups.station(session, station_code) if station_code else None
    area = station.area if station else lookups.area(session, area_code) if area_code else None
    click.echo(preview_text(session, text, area, voice_of(station or area, current_app.config).region))


@tts_group.command("glossary")
@click.argument("term")
@click.argument("reading")
@click.option("--area", "area_code", required=True, metavar="CODE")
@as_option
@refusals_as_errors()
def glossary_command(term, reading, area_code, as_user):
    """Teach the voice how to read an abbreviation in an area (e.g. a province's own)."""
    session = db.session()
    set_glossary_entry(session, resolve_actor(as_user), lookups.area(session, area_code), term, reading, now=clock.now())
    session.commit()
    click.echo(f"{area_code}: {term} → {reading}")


@tts_group.command("glossary-remove")
@click.argument("term")
@click.option("--area", "area_code", required=True, metavar="CODE")
@as_option
@refusals_as_errors()
def glossary_remove_command(term, area_code, as_user):
    """Forget an area's own reading of an abbreviation."""
    session = db.session()
    remove_glossary_entry(session, resolve_actor(as_user), lookups.area(session, area_code), term, now=clock.now())
    session.commit()
    click.echo(f"{area_code}: {term} removed")
