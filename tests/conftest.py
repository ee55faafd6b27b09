"""Fixtures: one app and schema per run (built by the migrations), every test rolled back.

DATABASE_URL chooses the database (SQLite in a temporary file by default; CI runs the `db`
tests again on a throw-away PostgreSQL database). Spread over processes (pytest-xdist, as
setup.sh runs it), each process has a database of its own.
"""
from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from radio import create_app, schema
from radio.auth.web import limiter
from radio.models import Base
from tests.factories.servers import empty_database


def pytest_report_header():
    shift = os.environ.get("RADIO_TEST_CLOCK_SHIFT_DAYS")
    moved = f"moved {int(shift):+d} days" if shift else "not moved"
    return f"clock: {moved}, the tests' process believes today is {date.today():%Y-%m-%d}"


def _drop_everything(engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            Base.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def shared_database_url(tmp_path_factory):
    """DATABASE_URL; or a new database of this process's own (a SQLite file, or one beside
    DATABASE_URL's PostgreSQL database) when none is set or the suite is spread over processes
    (pytest-xdist: each would drop and migrate the others' schema)."""
    url = os.environ.get("DATABASE_URL")
    if url and not os.environ.get("PYTEST_XDIST_WORKER"):
        yield url
        return
    with empty_database(tmp_path_factory.mktemp("db"), "shared") as own:
        yield own


@pytest.fixture(scope="session")
def base_app(tmp_path_factory, shared_database_url):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app({
        "TESTING": True, "INSTANCE_PATH": str(instance), "DATABASE_URL": shared_database_url,
        "SECRET_KEY": "test-secret", "JOBS": "inline", "REDIS_URL": None,
    })
    engine = app.extensions["radio.engine"]
    _drop_everything(engine)
    schema.upgrade(engine)
    yield app
    engine.dispose()


@pytest.fixture
def app(base_app, tmp_path):
    """The app with its database work inside one transaction that the test's end rolls back."""
    engine = base_app.extensions["radio.engine"]
    connection = engine.connect()
    outer = connection.begin()
    original = base_app.extensions["radio.sessionmaker"]
    base_app.extensions["radio.sessionmaker"] = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    base_app.config["MEDIA_DIR"] = str(tmp_path / "media")
    base_app.config["WTF_CSRF_ENABLED"] = True
    limiter.reset()
    with base_app.app_context():
        yield base_app
    base_app.extensions["radio.sessionmaker"] = original
    outer.rollback()
    connection.close()


@pytest.fixture
def db(app):
    from radio import db as radio_db

    return radio_db.session()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def pytest_collection_modifyitems(items):
    """Tests that use the database are marked `db`, so CI runs them again on PostgreSQL: those
    using the shared app, and every test of the shell (tests/radio), whose served-app tests
    build databases of their own from DATABASE_URL. Tests marked `slow` run first: spread over
    processes, a long one started last would keep the whole run waiting for it."""
    for item in items:
        if "base_app" in item.fixturenames or "tests/radio/" in item.nodeid:
            item.add_marker(pytest.mark.db)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
