"""Play logs by month on PostgreSQL: the coming months' partitions made ahead, the months past
retention archived and dropped whole (a DROP, not millions of DELETEs). SQLite keeps one plain
table: nothing here runs there.

Retention: raw logs stay PLAYLOG_RETENTION_MONTHS months (0: for ever). What outlives them: each
entry's "reported played" (schedule_entries.reported_played, set by a trigger as a log arrives)
and the frozen compliance reports. Before a month is dropped, its rows are written to
PLAYLOG_ARCHIVE_DIR/play_logs_yYYYYmMM.csv.gz (COPY … CSV HEADER), and the file's row count is
checked against the partition's: a month whose archive fails stays.
"""
from __future__ import annotations

import gzip
import os
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection

MONTHS_AHEAD = 3
DEFAULT = "play_logs_default"


def month_start(moment: datetime, months: int = 0) -> datetime:
    """The first instant (UTC) of the month of `moment`, moved `months` on (or back)."""
    index = moment.astimezone(timezone.utc).year * 12 + moment.astimezone(timezone.utc).month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=timezone.utc)


def partition_name(month: datetime) -> str:
    return f"play_logs_{month:y%Ym%m}"


def months_held(connection: Connection) -> list[datetime]:
    """The months play_logs has a partition for, oldest first (the default partition aside)."""
    names = connection.execute(text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'play_logs'::regclass")).scalars()
    return sorted(datetime.strptime(name, "play_logs_y%Ym%m").replace(tzinfo=timezone.utc)
                  for name in names if name != DEFAULT)


def make_ahead(connection: Connection, now: datetime, months: int = MONTHS_AHEAD) -> list[str]:
    """Partitions for this month and the next `months`; returns those made. Rows that waited in
    the default partition for their month (a clock set far ahead) move into it."""
    held, made = set(months_held(connection)), []
    for month in (month_start(now, n) for n in range(months + 1)):
        if month in held:
            continue
        name, bounds = partition_name(month), (month, month_start(month, 1))
        connection.execute(text(f"ALTER TABLE play_logs DETACH PARTITION {DEFAULT}"))
        connection.execute(text(f"CREATE TABLE {name} PARTITION OF play_logs FOR VALUES "
                                f"FROM ('{bounds[0].isoformat()}') TO ('{bounds[1].isoformat()}')"))
        moved = {"a": bounds[0], "b": bounds[1]}
        connection.execute(text(f"INSERT INTO {name} SELECT * FROM {DEFAULT} "
                                "WHERE started_at >= :a AND started_at < :b"), moved)
        connection.execute(text(f"DELETE FROM {DEFAULT} WHERE started_at >= :a AND started_at < :b"), moved)
        connection.execute(text(f"ALTER TABLE play_logs ATTACH PARTITION {DEFAULT} DEFAULT"))
        made.append(name)
    return made


def expire(connection: Connection, now: datetime, retention_months: int, archive: Path) -> list[Path]:
    """Archive, then drop, every month wholly older than `retention_months` before this one;
    returns the archive files written. 0 keeps every month."""
    if retention_months == 0:
        return []
    oldest_kept, written = month_start(now, -retention_months), []
    for month in months_held(connection):
        if month >= oldest_kept:
            break
        written.append(archive_month(connection, month, archive))
        connection.execute(text(f"DROP TABLE {partition_name(month)}"))
    return written


def archive_month(connection: Connection, month: datetime, archive: Path) -> Path:
    """The month's rows as CSV.gz (header first, by id), written whole (a temporary file renamed)
    or not at all; raises when the rows written are not the partition's count."""
    name = partition_name(month)
    archive.mkdir(parents=True, exist_ok=True)
    path, part = archive / f"{name}.csv.gz", archive / f"{name}.csv.gz.part"
    expected = connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
    with gzip.open(part, "wb") as out, connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY (SELECT * FROM {name} ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for data in copy:
                out.write(data)
        copied = cursor.rowcount
    if copied != expected:
        part.unlink()
        raise RuntimeError(f"{name}: archived {copied} rows of {expected}; the month is kept")
    os.replace(part, path)
    return path
