"""The app served for real on loopback, on a database of its own.

The savepoint-per-test `app` fixture cannot be shared with a server thread (its connection
belongs to the test), so served tests get their own app (`separate_app`) and database, a copy
of one migrated once per test run (the migrations take longer than the tests that need them): a
SQLite file copied, or, when DATABASE_URL names PostgreSQL, a database made from a migrated
template database beside DATABASE_URL's (`CREATE DATABASE … TEMPLATE`), dropped afterwards.
"""
from __future__ import annotations

import atexit
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from radio import schema
from radio.db import make_engine
from tests.loopback import serving, wsgi_server

_TEMPLATES: dict[str, Path | str] = {}


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
    with _admin(base) as admin:
        template = _postgres_template(base, admin)
        database = f"{template}_{uuid.uuid4().hex[:8]}"
        admin.execute(text(f'CREATE DATABASE "{database}" TEMPLATE "{template}"'))
        try:
            yield make_url(base).set(database=database).render_as_string(hide_password=False)
        finally:
            _drop(admin, database)


@contextmanager
def _admin(base: str) -> Iterator[Connection]:
    """A connection to DATABASE_URL's server that can create and drop databases."""
    engine = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _postgres_template(base: str, admin: Connection) -> str:
    """A database migrated once per test run, named after DATABASE_URL's; dropped at exit."""
    if "postgresql" not in _TEMPLATES:
        name = f"{make_url(base).database}_served_{os.getpid()}"
        _drop(admin, name)
        admin.execute(text(f'CREATE DATABASE "{name}"'))
        engine = make_engine(make_url(base).set(database=name).render_as_string(hide_password=False))
        schema.upgrade(engine)
        engine.dispose()  # a template is copied only while nobody is connected to it
        _TEMPLATES["postgresql"] = name
        atexit.register(_drop_on_server, base, name)
    return _TEMPLATES["postgresql"]


def _drop_on_server(base: str, name: str) -> None:
    with _admin(base) as admin:
        _drop(admin, name)


def _drop(admin: Connection, name: str) -> None:
    admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def empty_database(tmp_path: Path, name: str) -> Iterator[str]:
    """A new empty database: a SQLite file, or a PostgreSQL database beside DATABASE_URL's."""
    base = os.environ.get("DATABASE_URL")
    if not base or make_url(base).get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / name}.db"
        return
    database = f"{make_url(base).database}_{name}_{uuid.uuid4().hex[:8]}"
    with _admin(base) as admin:
        admin.execute(text(f'CREATE DATABASE "{database}"'))
        try:
            yield make_url(base).set(database=database).render_as_string(hide_password=False)
        finally:
            _drop(admin, database)


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
    with serving(wsgi_server(app)) as base:
        yield base
