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
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    return engine


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


def _close_session(_exc) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


def insert_new(session: Session, table, rows: list[dict], keys: list[str]) -> set[tuple]:
    """Insert the rows whose `keys` are not taken yet, in one statement; returns the keys inserted.

    INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike) instead of "look, then insert":
    two requests racing with the same row (a device retrying a batch while the first is still
    being written) cannot both insert it, and neither fails.
    """
    if not rows:
        return set()
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
    """The rows of one read that needs no transaction around it (the device poll's one query).

    On PostgreSQL it runs on a pooled connection in autocommit mode: no BEGIN and no ROLLBACK,
    which would be two of the three round trips of a request this cheap (and each statement
    sees the latest commits anyway, as under READ COMMITTED). On SQLite, in-process where those
    cost next to nothing, and in a session bound to a caller's connection (a test rolling back),
    it reads through the session as usual.
    """
    bind = session.get_bind()
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            return connection.execute(statement, params).all()
    return session.connection().execute(statement, params).all()
