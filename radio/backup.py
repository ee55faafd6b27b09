"""`radio backup` and `radio restore`: the database and the audio store in one tar archive.

The database is dumped by its engine's own tool: PostgreSQL's pg_dump (custom format, restored
by pg_restore in one transaction) and SQLite's online backup API. Both take a consistent copy
while the app runs, without loading rows into Python, and restore types, sequences and indexes
exactly; a dump of our own would have to redo all of that for every column type. The price: an
archive is restored into the engine it came from (moving SQLite to PostgreSQL is not this).

The audio goes in under the store's own names (media/ab/<sha256>.<suffix>); restoring adds each
file to the configured store (folder or bucket), which checks it against its name.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import click
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

from audio_library.files import atomic_output

from . import db
from .stores import media_store

DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupRefused(click.ClickException):
    """A backup or restore that cannot be done as asked; the message says why."""


def write_backup(engine: Engine, store, out: Path) -> dict:
    """Write the archive to `out` (whole or not at all); returns its manifest."""
    dialect = engine.dialect.name
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    files = sorted(store.files())
    manifest = {"engine": dialect, "revision": revision, "media": len(files)}
    with tempfile.TemporaryDirectory() as tmp, atomic_output(out) as temp, tarfile.open(temp, "w") as archive:
        dump = Path(tmp) / DUMPS[dialect]
        _dump(engine, dump)
        data = Path(tmp) / "manifest.json"
        data.write_text(json.dumps(manifest, indent=1))
        archive.add(data, "manifest.json")
        archive.add(dump, DUMPS[dialect])
        for sha256, suffix in files:
            archive.add(store.path_for(sha256), f"media/{sha256[:2]}/{sha256}.{suffix}")
    return manifest


def restore_backup(engine: Engine, store, archive_path: Path) -> dict:
    """Load the archive into an empty database and add its audio to the store; returns its manifest."""
    with tarfile.open(archive_path) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        if manifest["engine"] != engine.dialect.name:
            raise BackupRefused(f"the archive holds a {manifest['engine']} database and this instance uses "
                                f"{engine.dialect.name}: restore it into the engine it came from")
        tables = inspect(engine).get_table_names()
        if tables:
            raise BackupRefused(f"the database already has {len(tables)} tables: restore into an empty one")
        for member in archive.getmembers():
            if member.name.startswith("media/") and member.isfile():
                _restore_file(store, archive, member)
        with tempfile.TemporaryDirectory() as tmp:
            archive.extract(DUMPS[manifest["engine"]], tmp, filter="data")
            _load(engine, Path(tmp) / DUMPS[manifest["engine"]])
    return manifest


def _restore_file(store, archive: tarfile.TarFile, member: tarfile.TarInfo) -> None:
    name = member.name.rpartition("/")[2]
    sha256, _, suffix = name.partition(".")
    stored = store.add_stream(archive.extractfile(member), suffix)
    if stored.sha256 != sha256:
        if stored.is_new:
            store.remove(stored.sha256)
        raise BackupRefused(f"{member.name} in the archive does not hold the content its name gives")


def _dump(engine: Engine, out: Path) -> None:
    if engine.dialect.name == "sqlite":
        with sqlite3.connect(engine.url.database) as source, sqlite3.connect(out) as copy:
            source.backup(copy)
        return
    _pg(engine, "pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={out}")


def _load(engine: Engine, dump: Path) -> None:
    engine.dispose()  # nothing of ours may hold the database while it is filled
    if engine.dialect.name == "sqlite":
        with sqlite3.connect(dump) as source, sqlite3.connect(engine.url.database) as target:
            source.backup(target)
        return
    _pg(engine, "pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", str(dump))


def _pg(engine: Engine, tool: str, *arguments: str) -> None:
    """Run pg_dump or pg_restore on the engine's database (the password through the environment)."""
    url = make_url(engine.url)
    environment = dict(os.environ, **({"PGPASSWORD": url.password} if url.password else {}))
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run([tool, f"--dbname={libpq}", *arguments], env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupRefused(f"{tool} failed: {done.stderr.strip()[-2000:]}")


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(out):
    """Write the database and the audio store to one archive (tar), for `radio restore`."""
    manifest = write_backup(db.engine(), media_store(), out)
    click.echo(f"{out}: {manifest['engine']} database at {manifest['revision']}, {manifest['media']} audio files")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(archive):
    """Load a `radio backup` archive into this instance's empty database and its audio store."""
    manifest = restore_backup(db.engine(), media_store(), archive)
    click.echo(f"restored {manifest['engine']} database at {manifest['revision']} and {manifest['media']} audio "
               "files; run `radio init-db` if this version of the code is newer")
