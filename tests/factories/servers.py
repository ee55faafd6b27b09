"""The app served for real on loopback, on a database of its own.

The savepoint-per-test `app` fixture cannot be shared with a server thread (its connection
belongs to the test), so served tests get their own app (`separate_app`) and database: a
SQLite file copied from a migrated template, or, when DATABASE_URL names PostgreSQL, a
throw-away schema in that database, dropped afterwards.
"""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from radio import schema
from radio.db import make_engine
from tests.loopback import serving

_TEMPLATES: dict[str, Path] = {}


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    return url if url and make_url(url).get_backend_name() == "postgresql" else None


@contextmanager
def throwaway_database(workdir: Path) -> Iterator[str]:
    """The URL of a new database at the newest migration, removed when the block ends."""
    base = _postgres_url()
    if base is None:
        path = workdir / "served.db"
        shutil.copyfile(_sqlite_template(workdir), path)
        yield f"sqlite:///{path}"
        return
    name = f"served_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    url = f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={name}')}"
    try:
        engine = make_engine(url)
        schema.upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


@contextmanager
def empty_database(tmp_path: Path, name: str) -> Iterator[str]:
    """A new empty database: a SQLite file, or a PostgreSQL database beside DATABASE_URL's."""
    base = os.environ.get("DATABASE_URL")
    if not base or make_url(base).get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / name}.db"
        return
    database = f"{make_url(base).database}_{name}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield make_url(base).set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def _sqlite_template(workdir: Path) -> Path:
    """One migrated SQLite file per test run; each served app gets a copy (migrations run once)."""
    key = "sqlite"
    if key not in _TEMPLATES or not _TEMPLATES[key].exists():
        path = workdir.parent / f"served-template-{os.getpid()}.db"
        path.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{path}")
        schema.upgrade(engine)
        engine.dispose()
        _TEMPLATES[key] = path
    return _TEMPLATES[key]


@contextmanager
def served(app) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    with serving(make_server("127.0.0.1", 0, app, threaded=True)) as base:
        yield base
