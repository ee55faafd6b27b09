"""Play logs by month on PostgreSQL: partitions made ahead (rows waiting in the default partition
move into their month), months past retention archived as CSV.gz and dropped. SQLite keeps a
plain table, so these run on PostgreSQL only."""
from __future__ import annotations

import csv
import gzip
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select, text

from radio.models import PlayLog
from radio.playlogs import partitions

AHEAD = datetime(2031, 5, 10, 8, 0, tzinfo=timezone.utc)  # months no migration made


@pytest.fixture
def postgres(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("play logs are partitioned on PostgreSQL only")
    return db


def log(db, at: datetime) -> PlayLog:
    row = PlayLog(client_uuid=uuid.uuid4(), started_at=at, status="played", received_at=at, note="dòng\nhai")
    db.add(row)
    db.flush()
    return row


def test_a_month_is_made_ahead_and_its_rows_leave_the_default_partition(postgres):
    early = log(postgres, AHEAD)
    connection = postgres.connection()
    assert partitions.partition_name(partitions.month_start(AHEAD)) not in _names(postgres)
    made = partitions.make_ahead(connection, AHEAD)
    assert made == ["play_logs_y2031m05", "play_logs_y2031m06", "play_logs_y2031m07", "play_logs_y2031m08"]
    assert _table_of(postgres, early.id) == "play_logs_y2031m05"
    assert partitions.make_ahead(connection, AHEAD) == []  # once
    later = log(postgres, datetime(2031, 7, 31, 23, 59, tzinfo=timezone.utc))
    assert _table_of(postgres, later.id) == "play_logs_y2031m07"


def test_months_past_retention_are_archived_then_dropped_and_the_rest_kept(postgres, tmp_path):
    connection = postgres.connection()
    partitions.make_ahead(connection, AHEAD)
    old = log(postgres, datetime(2031, 5, 31, 23, 0, tzinfo=timezone.utc))
    kept = log(postgres, datetime(2031, 7, 1, 0, 0, tzinfo=timezone.utc))
    now = datetime(2031, 8, 15, tzinfo=timezone.utc)
    assert partitions.expire(connection, now, 0, tmp_path) == []  # 0: kept for ever
    written = partitions.expire(connection, now, 1, tmp_path)
    assert tmp_path / "play_logs_y2031m05.csv.gz" in written
    assert "play_logs_y2031m05" not in _names(postgres) and "play_logs_y2031m07" in _names(postgres)
    with gzip.open(tmp_path / "play_logs_y2031m05.csv.gz", "rt", newline="") as archived:
        [row] = list(csv.DictReader(archived))
    assert (row["client_uuid"], row["note"]) == (str(old.client_uuid), "dòng\nhai")
    postgres.expunge_all()
    assert postgres.scalar(select(func.count()).select_from(PlayLog).where(PlayLog.id == old.id)) == 0
    assert postgres.scalar(select(func.count()).select_from(PlayLog).where(PlayLog.id == kept.id)) == 1


def _names(db) -> set[str]:
    return {partitions.partition_name(month) for month in partitions.months_held(db.connection())}


def _table_of(db, log_id: int) -> str:
    return db.execute(text("SELECT tableoid::regclass::text FROM play_logs WHERE id = :id"),
                      {"id": log_id}).scalar_one()
