"""Rows written by the driver's executemany (`insert_plain`, `insert_new`) or, by the thousand on PostgreSQL,
through COPY are stored exactly as SQLAlchemy stores them."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select, text

from radio.db import COPY_FROM_ROWS, insert_new
from radio.db.bulk import insert_plain
from radio.models import Notice, ScheduleEntry
from tests.factories import create_area, create_station, create_user

TABLE = ScheduleEntry.__table__
HANOI = timezone(timedelta(hours=7))


def _rows(station_id: int) -> list[dict]:
    made = datetime(2027, 3, 1, 9, 30, 15, 123456, tzinfo=timezone.utc)
    return [
        {"uuid": uuid.UUID(int=7), "station_id": station_id, "start_at": datetime(2027, 3, 2, 6, 0, tzinfo=HANOI),
         "end_at": datetime(2027, 3, 2, 6, 15, 30, tzinfo=HANOI), "local_date": date(2027, 3, 2), "window_name": "sáng",
         "kind": "episode", "title": "Tin no\u0302ng nghie\u0323\u0302p",  # NFD
         "source": None, "episode_id": None, "series_id": None, "requirement_id": None, "origin": "planner",
         "status": "planned", "is_pinned": False, "created_at": made},
        {"uuid": uuid.UUID(int=8), "station_id": station_id, "start_at": datetime(2027, 12, 31, 23, 59, 59, tzinfo=timezone.utc),
         "end_at": datetime(2028, 1, 1, 0, 4, 59, tzinfo=timezone.utc), "local_date": date(2028, 1, 1), "window_name": None,
         "kind": "relay", "title": None, "source": "http://127.0.0.1/vov1", "episode_id": None, "series_id": None,
         "requirement_id": None, "origin": "planner", "status": "planned", "is_pinned": True, "created_at": made},
    ]


def _stored(db) -> list[tuple]:
    """The rows as the database holds them (no type conversion on the way out), without their ids."""
    columns = [column.name for column in TABLE.columns if column.name != "id"]
    return [tuple(row) for row in db.execute(text(f"SELECT {', '.join(columns)} FROM schedule_entries ORDER BY uuid"))]


def test_rows_from_the_drivers_executemany_are_stored_as_sqlalchemy_stores_them(db):
    station = create_station(db, create_area(db))
    db.flush()
    db.execute(TABLE.insert(), _rows(station.id))
    by_sqlalchemy = _stored(db)
    db.execute(delete(TABLE))
    insert_plain(db, TABLE, _rows(station.id))
    assert _stored(db) == by_sqlalchemy
    assert len(by_sqlalchemy) == 2
    entries = db.scalars(select(ScheduleEntry).order_by(ScheduleEntry.uuid)).all()
    assert entries[0].start_at == datetime(2027, 3, 1, 23, 0, tzinfo=timezone.utc)
    assert entries[0].title == "Tin nông nghiệp" and entries[0].reported_played is False
    assert entries[1].uuid == uuid.UUID(int=8) and entries[1].is_pinned is True


def _many_stored_by_sqlalchemy(db) -> tuple[list[dict], list[tuple]]:
    """More rows than COPY_FROM_ROWS, and how SQLAlchemy stores them (then deleted again)."""
    station = create_station(db, create_area(db))
    db.flush()
    rows = [{**row, "uuid": uuid.UUID(int=n * 2 + i)} for n in range(COPY_FROM_ROWS // 2 + 100)
            for i, row in enumerate(_rows(station.id))]
    db.execute(TABLE.insert(), rows)
    by_sqlalchemy = _stored(db)
    db.execute(delete(TABLE))
    return rows, by_sqlalchemy


def test_many_rows_from_insert_plain_are_stored_as_sqlalchemy_stores_them(db):
    """By the thousand, through COPY on PostgreSQL (a province-year's build)."""
    rows, by_sqlalchemy = _many_stored_by_sqlalchemy(db)
    insert_plain(db, TABLE, rows)
    assert _stored(db) == by_sqlalchemy and len(by_sqlalchemy) == len(rows) > COPY_FROM_ROWS


def test_a_default_worked_out_per_row_must_be_given(db):
    with pytest.raises(ValueError, match="uuid"):
        insert_plain(db, TABLE, [{key: value for key, value in _rows(1)[0].items() if key != "uuid"}])


def test_many_new_rows_are_stored_as_sqlalchemy_stores_them_and_taken_keys_are_skipped(db):
    rows, by_sqlalchemy = _many_stored_by_sqlalchemy(db)
    db.execute(TABLE.insert(), rows[:5])  # taken already: a retry's
    inserted = insert_new(db, TABLE, rows, ["uuid"])
    assert inserted == {(row["uuid"],) for row in rows[5:]}
    assert _stored(db) == by_sqlalchemy and len(by_sqlalchemy) == len(rows) > COPY_FROM_ROWS
    assert insert_new(db, TABLE, rows, ["uuid"]) == set()  # twice in one transaction: nothing new, nothing left over


def test_many_rows_with_json_values_are_stored_as_sqlalchemy_stores_them(db):
    """Notices (a JSON column; read_at left out), as an event told to thousands of people writes them."""
    user = create_user(db, "nhieu-thong-bao", "operator", create_area(db))
    db.flush()
    rows = [{"recipient_id": user.id, "kind": "device.offline", "about": f"loa-{n}", "link": None,
             "values": {"device": f"Loa thôn {n}", "count": n}, "created_at": datetime(2027, 3, 1, tzinfo=HANOI)}
            for n in range(COPY_FROM_ROWS + 50)]
    columns = 'recipient_id, kind, about, link, "values", created_at, read_at'
    db.execute(Notice.__table__.insert(), rows)
    by_sqlalchemy = db.execute(text(f"SELECT {columns} FROM notices ORDER BY about")).all()
    db.execute(delete(Notice.__table__))
    inserted = insert_new(db, Notice.__table__, rows, ["kind", "about", "recipient_id"])
    assert len(inserted) == len(rows)
    assert db.execute(text(f"SELECT {columns} FROM notices ORDER BY about")).all() == by_sqlalchemy
    assert by_sqlalchemy[0][-1] is None and len(by_sqlalchemy) == len(rows)
