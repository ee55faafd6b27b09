"""play logs partitioned by month on PostgreSQL (SQLite: unchanged)

Logs grow for years (100,000 receivers, dozens of airings a day each): one partition a month
lets old months be archived and dropped whole (radio/playlogs/partitions.py) instead of
deleted row by row. PostgreSQL wants the partition key in every unique key, so the primary key
becomes (id, started_at) and a log's uuid is unique with its start (a retried log keeps both).
Existing rows are copied into monthly partitions; a default partition takes any row outside
the months made (the periodic check makes the coming ones ahead).

Revision ID: a8f2b1cd3e18
Revises: e6d0f9ab1c16
Create Date: 2026-12-07 09:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a8f2b1cd3e18'
down_revision = 'e6d0f9ab1c16'
branch_labels = None
depends_on = None

_FOREIGN_KEYS = (("bulletin_id", "bulletins"), ("device_id", "devices"), ("entry_id", "schedule_entries"),
                 ("episode_id", "episodes"), ("station_id", "stations"), ("user_id", "users"))
_TRIGGER = ("CREATE TRIGGER play_logs_mark_entry AFTER INSERT ON play_logs FOR EACH ROW "
            "WHEN (NEW.status = 'played' AND NEW.entry_id IS NOT NULL) EXECUTE FUNCTION play_logs_mark_entry()")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE play_logs RENAME TO play_logs_unpartitioned")
    op.execute("CREATE TABLE play_logs (LIKE play_logs_unpartitioned INCLUDING DEFAULTS) "
               "PARTITION BY RANGE (started_at)")
    op.execute("CREATE TABLE play_logs_default PARTITION OF play_logs DEFAULT")
    months = op.get_bind().execute(sa.text(
        "SELECT generate_series(date_trunc('month', least(min(started_at), now()) AT TIME ZONE 'UTC'), "
        "date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months', interval '1 month') "
        "FROM play_logs_unpartitioned")).scalars().all()
    for month in months:
        op.execute(f"CREATE TABLE play_logs_{month:y%Ym%m} PARTITION OF play_logs FOR VALUES FROM "
                   f"('{month:%Y-%m-%d} 00:00+00') TO ('{_next(month):%Y-%m-%d} 00:00+00')")
    op.execute("INSERT INTO play_logs SELECT * FROM play_logs_unpartitioned")
    op.execute("ALTER SEQUENCE play_logs_id_seq OWNED BY play_logs.id")
    op.execute("DROP TABLE play_logs_unpartitioned")
    _constraints(primary=("id", "started_at"), unique=("client_uuid", "started_at"))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE play_logs RENAME TO play_logs_partitioned")
    op.execute("CREATE TABLE play_logs (LIKE play_logs_partitioned INCLUDING DEFAULTS)")
    op.execute("INSERT INTO play_logs SELECT * FROM play_logs_partitioned")
    op.execute("ALTER SEQUENCE play_logs_id_seq OWNED BY play_logs.id")
    op.execute("DROP TABLE play_logs_partitioned CASCADE")
    _constraints(primary=("id",), unique=("client_uuid",))


def _constraints(primary: tuple, unique: tuple) -> None:
    """Keys, foreign keys, indexes and the reported-played trigger, under their usual names
    (made after the copy: one pass over each partition instead of a check per row)."""
    op.execute(f"ALTER TABLE play_logs ADD CONSTRAINT pk_play_logs PRIMARY KEY ({', '.join(primary)})")
    op.execute(f"ALTER TABLE play_logs ADD CONSTRAINT uq_play_logs_client_uuid UNIQUE ({', '.join(unique)})")
    for column, table in _FOREIGN_KEYS:
        op.execute(f"ALTER TABLE play_logs ADD CONSTRAINT fk_play_logs_{column}_{table} "
                   f"FOREIGN KEY ({column}) REFERENCES {table}(id)")
    for column in ("device_id", "entry_id", "station_id"):
        op.execute(f"CREATE INDEX ix_play_logs_{column} ON play_logs ({column})")
    op.execute("CREATE INDEX ix_play_logs_unscheduled_started_at ON play_logs (started_at) WHERE entry_id IS NULL")
    op.execute(_TRIGGER)


def _next(month):
    return month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
