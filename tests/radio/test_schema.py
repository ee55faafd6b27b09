"""The schema: migrations agree with the models; instants, text and the audit log behave."""
import unicodedata
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from radio.audit import record
from radio.schema import is_compared
from radio.models import AuditLog, Base, PlayLog, ScheduleEntry
from tests.factories import MADE, create_area, create_station


def test_migrations_match_the_models(app, db):
    context = MigrationContext.configure(db.connection(), opts={"compare_type": True, "include_object": is_compared})
    assert compare_metadata(context, Base.metadata) == []


def test_text_is_stored_nfc(db):
    decomposed = unicodedata.normalize("NFD", "Thôn Đồng Tâm")
    area = create_area(db, "X1", name=decomposed)
    db.expire_all()
    stored = db.scalar(text("SELECT name FROM areas WHERE code = 'X1'"))
    assert stored == unicodedata.normalize("NFC", "Thôn Đồng Tâm") != decomposed
    assert db.get(type(area), area.id).name == stored


def test_instants_come_back_in_utc(db):
    station = create_station(db, create_area(db))
    hanoi = timezone(timedelta(hours=7))
    entry = ScheduleEntry(station=station, start_at=datetime(2026, 11, 23, 5, 30, tzinfo=hanoi),
                          end_at=datetime(2026, 11, 23, 5, 33, tzinfo=hanoi),
                          local_date=datetime(2026, 11, 23).date(), kind="reservation", created_at=MADE)
    db.add(entry)
    db.flush()
    db.expire_all()
    loaded = db.get(ScheduleEntry, entry.id)
    assert loaded.start_at == datetime(2026, 11, 22, 22, 30, tzinfo=timezone.utc)
    assert loaded.start_at.tzinfo is not None


def test_naive_instants_are_refused(db):
    station = create_station(db, create_area(db))
    db.add(ScheduleEntry(station=station, start_at=datetime(2026, 11, 23, 5, 30),
                         end_at=datetime(2026, 11, 23, 5, 33), local_date=datetime(2026, 11, 23).date(),
                         kind="reservation", created_at=MADE))
    with pytest.raises(Exception, match="naive datetime"):
        db.flush()


def test_play_log_client_uuid_is_unique(db):
    same = uuid.uuid4()
    at = datetime(2026, 11, 23, tzinfo=timezone.utc)
    db.add(PlayLog(client_uuid=same, started_at=at, status="played", received_at=at))
    db.flush()
    db.add(PlayLog(client_uuid=same, started_at=at, status="played", received_at=at))
    with pytest.raises(DatabaseError):
        db.flush()


@pytest.mark.parametrize("column", ["created_at", "received_at", "at"])
def test_a_row_without_its_timestamp_is_refused_not_dated_by_the_clock(db, column):
    """The code making a row dates it with its request's or command's instant; none is filled in."""
    station = create_station(db, create_area(db))
    at = datetime(2026, 11, 23, tzinfo=timezone.utc)
    row = {"created_at": ScheduleEntry(station=station, start_at=at, end_at=at + timedelta(minutes=3),
                                       local_date=at.date(), kind="reservation"),
           "received_at": PlayLog(client_uuid=uuid.uuid4(), started_at=at, status="played"),
           "at": AuditLog(actor="system", action="test.create", object_type="thing", object_key="1")}[column]
    db.add(row)
    with pytest.raises(DatabaseError, match=column):
        db.flush()


def test_audit_rows_cannot_be_changed_through_the_orm(db):
    row = record(db, None, "test.create", "thing", "1", at=MADE)
    db.flush()
    row.action = "rewritten"
    with pytest.raises(PermissionError, match="append-only"):
        db.flush()


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"])
def test_audit_rows_cannot_be_changed_in_the_database(db, statement):
    record(db, None, "test.create", "thing", "1", at=MADE)
    db.flush()
    with pytest.raises(DatabaseError, match="append-only"):
        with db.begin_nested():
            db.execute(text(statement))
    assert db.scalar(select(AuditLog.action).where(AuditLog.object_key == "1")) == "test.create"
