"""Engine and session handling: one session per request or command, committed once at its end."""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


_ALONE = "radio_read_alone"  # execution option of read_alone's connections


def _sqlite_begin(connection) -> None:
    """BEGIN, except on a connection of read_alone: its one statement then runs on its own, as any
    statement outside a transaction does in SQLite (pysqlite is left no transaction handling)."""
    if not connection.get_execution_options().get(_ALONE):
        connection.exec_driver_sql("BEGIN")


def _sqlite_pragmas(dbapi_connection, _record):
    """Foreign keys on, and transactions left to SQLAlchemy (pysqlite's own handling breaks
    SAVEPOINT and transactional DDL)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["radio.engine"] = engine
    app.extensions["radio.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["radio.engine"]


def session() -> Session:
    """The session of the current request or command (uncommitted work is rolled back at teardown)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["radio.sessionmaker"]()
    return g.db_session


def in_transaction() -> bool:
    """Whether the current request's or command's session has a transaction open."""
    return "db_session" in g and g.db_session.in_transaction()


def _close_session(_exc) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


IN_CHUNK = 5000  # values per IN (…) of a look-up by the thousand: SQLite takes 32,766 parameters a statement
COPY_FROM_ROWS = 1000  # from this many rows on PostgreSQL, insert_new goes through COPY (bulk.py)


def insert_new(session: Session, table, rows: list[dict], keys: list[str]) -> set[tuple]:
    """Insert the rows whose `keys` are not taken yet, in one statement; returns the keys inserted.

    INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike) instead of "look, then insert":
    two requests racing with the same row (a device retrying a batch while the first is still
    being written) cannot both insert it, and neither fails.
    """
    if not rows:
        return set()
    if session.get_bind().dialect.name == "postgresql" and len(rows) >= COPY_FROM_ROWS:
        from .bulk import insert_new_by_copy
        return insert_new_by_copy(session, table, rows, keys)
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    columns = [table.c[key] for key in keys]
    statement = insert(table).on_conflict_do_nothing(index_elements=keys).returning(*columns)
    # SQLAlchemy's "insertmanyvalues" sends many rows as one multi-row INSERT … RETURNING.
    return {tuple(row) for row in session.execute(statement, rows)}


def end_reads(session: Session) -> None:
    """End the request's reading before it writes, so that its first write starts a transaction.

    SQLite: a transaction that has read and then writes can deadlock with another writer, and
    SQLite then fails one of them at once ("database is locked") instead of waiting; a
    transaction whose first statement writes waits its turn (busy_timeout). Devices poll all at
    once, so this is the common case on a small install. Used where the writes that follow are
    idempotent bookkeeping (last seen, fetched, play logs), so nothing is lost elsewhere.
    """
    session.commit()


def read_alone(session: Session, statement, params: dict) -> list:
    """The rows of one read that needs no transaction around it (the device polls' one query).

    It runs on a pooled connection of its own, without BEGIN and ROLLBACK: on PostgreSQL in
    autocommit mode (those would be two of the three round trips of a request this cheap, and
    each statement sees the latest commits anyway, as under READ COMMITTED); on SQLite with no
    BEGIN sent (_sqlite_begin), a lone statement being a transaction of its own there. In a
    session bound to a caller's connection (a test rolling back) it reads through the session.
    Its connection is back in the pool before the caller writes: a write starts a fresh
    transaction, as db.end_reads would have it.
    """
    bind = session.get_bind()
    if not isinstance(bind, Engine):
        return session.connection().execute(statement, params).all()
    alone = {"isolation_level": "AUTOCOMMIT"} if bind.dialect.name == "postgresql" else {_ALONE: True}
    with bind.connect().execution_options(**alone) as connection:
        return connection.execute(statement, params).all()
