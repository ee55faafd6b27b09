"""The `reported_played` flag of an entry, kept by the database's trigger on play_logs (migration
0006): what the compliance report reads as "aired" at the default threshold. Set by a `played`
log from any path (device API, operator's CLI, plain SQL), never by `failed` or `skipped`; and
filled in for the logs already there when an older database is upgraded."""
from __future__ import annotations

import os
import uuid
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from radio import schema
from radio.db import make_engine
from radio.models import Area
from tests.factories import create_user
from tests.radio.compliance_kit import at, seed

WEEK = date(2026, 11, 2)
BEFORE_0006 = "a61ddf76da58"


@pytest.fixture
def thanh_ky(app, client, runner, db, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", None)
    seeded = seed(app, client, runner, db, "002-thanh-ky.yaml", date(2026, 11, 15))
    seeded.set_now(at(date(2026, 11, 16)))
    return seeded


def flags(seeded, entries) -> list[bool]:
    seeded.db.expire_all()
    return [seeded.db.get(type(e), e.id).reported_played for e in entries]


def test_failed_and_skipped_logs_leave_the_flag_down_a_played_one_raises_it(thanh_ky):
    tuesday, thursday = thanh_ky.entries("thanhky", "tk-cds", WEEK, date(2026, 11, 8))
    assert flags(thanh_ky, [tuesday, thursday]) == [False, False]
    thanh_ky.post_logs("loa-tk-01", [tuesday, thursday], status="failed")
    thanh_ky.post_logs("loa-tk-02", [tuesday, thursday], status="skipped")
    assert flags(thanh_ky, [tuesday, thursday]) == [False, False]
    thanh_ky.post_logs("loa-tk-03", [thursday])
    assert flags(thanh_ky, [tuesday, thursday]) == [False, True]
    thanh_ky.post_logs("loa-tk-04", [thursday])  # a second device: still simply true
    assert flags(thanh_ky, [tuesday, thursday]) == [False, True]


def test_an_operators_confirmation_raises_the_flag(thanh_ky, db):
    create_user(db, "dai-tk", "operator", db.scalar(select(Area).where(Area.code == "TH-NT-TK")))
    db.commit()
    tuesday, thursday = thanh_ky.entries("thanhky", "tk-cds", WEEK, date(2026, 11, 8))
    thanh_ky.confirm("thanhky", [tuesday], as_user="dai-tk")
    assert flags(thanh_ky, [tuesday, thursday]) == [True, False]


@pytest.fixture
def fresh_url(tmp_path):
    """A new empty database of the run's kind (SQLite file, or a throw-away PostgreSQL one)."""
    url = os.environ.get("DATABASE_URL")
    if not url or make_url(url).get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'upgrade.db'}"
        return
    name = f"radio_upgrade_{uuid.uuid4().hex[:12]}"
    admin = make_engine(make_url(url).set(database="postgres").render_as_string(False)).execution_options(
        isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrading_fills_the_flag_from_the_logs_already_there_and_downgrading_removes_it(fresh_url):
    engine = make_engine(fresh_url)
    try:
        schema.upgrade(engine, BEFORE_0006)
        start = datetime(2026, 11, 3, 5, 30, tzinfo=timezone.utc)
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO areas (id, code, name, level) VALUES (1, 'X', 'Xã', 'commune')"))
            connection.execute(text("INSERT INTO stations (id, code, name, area_id, schedule_version) "
                                    "VALUES (1, 'st', 'Đài', 1, 1)"))
            for entry_id, status in ((1, "played"), (2, "failed"), (3, None)):
                connection.execute(text(
                    "INSERT INTO schedule_entries (id, uuid, station_id, start_at, end_at, local_date, kind, "
                    "origin, is_pinned, status, created_at) VALUES (:id, :uuid, 1, :start, :start, :day, "
                    "'reservation', 'planner', false, 'planned', :start)"),
                    {"id": entry_id, "uuid": uuid.uuid4().hex, "start": start, "day": date(2026, 11, 3)})
                if status:
                    connection.execute(text(
                        "INSERT INTO play_logs (client_uuid, entry_id, started_at, status, received_at) "
                        "VALUES (:uuid, :entry, :start, :status, :start)"),
                        {"uuid": uuid.uuid4().hex, "entry": entry_id, "start": start, "status": status})
        schema.upgrade(engine)
        read = text("SELECT id, reported_played FROM schedule_entries ORDER BY id")
        with engine.connect() as connection:
            assert [(i, bool(f)) for i, f in connection.execute(read)] == [(1, True), (2, False), (3, False)]
        with engine.begin() as connection:  # and from now on the trigger keeps it
            connection.execute(text("INSERT INTO play_logs (client_uuid, entry_id, started_at, status, received_at) "
                                    "VALUES (:uuid, 3, :start, 'played', :start)"),
                               {"uuid": uuid.uuid4().hex, "start": start})
        with engine.connect() as connection:
            assert [(i, bool(f)) for i, f in connection.execute(read)] == [(1, True), (2, False), (3, True)]
        schema.downgrade(engine, BEFORE_0006)
        with engine.begin() as connection:  # no trigger left behind to trip on the missing column
            connection.execute(text("INSERT INTO play_logs (client_uuid, entry_id, started_at, status, received_at) "
                                    "VALUES (:uuid, 2, :start, 'played', :start)"),
                               {"uuid": uuid.uuid4().hex, "start": start})
            columns = [c for c in connection.execute(text("SELECT * FROM schedule_entries")).keys()]
        assert "reported_played" not in columns
    finally:
        engine.dispose()
