"""`radio audio add|normalise`."""
from __future__ import annotations

from pathlib import Path

import click

from audio_library import NotAudioError

from .. import clock, db, lookups
from ..cli_support import DATE, as_option, refusals_as_errors, resolve_actor
from .library import add_episode_audio, normalise_library


@click.group("audio")
def audio_group():
    """The audio library: add audio as episodes, bring stored audio to the canonical format."""


@audio_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--series", "series_code", required=True, metavar="CODE")
@click.option("--plan", "plan_code", metavar="CODE", help="When the series code exists in several plans.")
@click.option("--title", help="Episode title (default: the file name).")
@click.option("--code", "episode_code", help="Episode code (default: from the file name).")
@click.option("--available-from", type=DATE)
@click.option("--expires", type=DATE)
@click.option("--allow-duplicate", is_flag=True, help="Add it even if an episode of the series has this audio.")
@click.option("--one-off", is_flag=True,
              help="A one-off item: never placed in the series' requirement slots (aired only by hand).")
@as_option
@refusals_as_errors(NotAudioError)
def add_command(file, series_code, plan_code, title, episode_code, available_from, expires, allow_duplicate,
                one_off, as_user):
    """Add an audio file as an episode (converted to the canonical format and loudness)."""
    session = db.session()
    episode = add_episode_audio(
        session, resolve_actor(as_user), lookups.series(session, series_code, plan_code), file, title=title,
        code=episode_code, available_from=available_from.date() if available_from else None,
        expires=expires.date() if expires else None, allow_duplicate=allow_duplicate,
        for_requirements=not one_off, now=clock.now())
    session.commit()
    media = episode.media
    click.echo(f"episode {episode.code}: {media.duration_s:.1f} s, {media.loudness_lufs or float('nan'):.1f} LUFS, "
               f"sha256 {media.sha256}")


@audio_group.command("normalise")
@as_option
def normalise_command(as_user):
    """Convert stored audio not yet in the canonical format; episodes move to the converted file."""
    session = db.session()
    converted = normalise_library(session, resolve_actor(as_user), now=clock.now())
    session.commit()
    click.echo(f"{converted} file(s) converted to the canonical format")
