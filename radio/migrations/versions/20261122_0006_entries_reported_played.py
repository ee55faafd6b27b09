"""entries know whether a play log reports them played (kept by a trigger on play_logs)

The compliance report of a province-year asks "aired?" of every entry; probing the play logs
(ten per entry) for each one was most of its database time. A flag on the entry, set once by
the database whenever a `played` log of it arrives, whatever the path (device upload, operator
confirmation, bulk load), answers it from the entry's own row. Play logs are never changed or
removed, so the flag is never taken back.

Revision ID: 5c0e7a1f2b94
Revises: a61ddf76da58
Create Date: 2026-11-22 16:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5c0e7a1f2b94'
down_revision = 'a61ddf76da58'
branch_labels = None
depends_on = None

_MARK = "UPDATE schedule_entries SET reported_played = {true} WHERE id = NEW.entry_id AND NOT reported_played"


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    true = "1" if sqlite else "true"
    # Plain ALTERs here and in downgrade: a batch copy of schedule_entries, SQLite's way, would
    # trip the play logs' foreign keys on a database that has them.
    op.add_column('schedule_entries', sa.Column('reported_played', sa.Boolean(), server_default=sa.false(),
                                                nullable=False))
    op.execute(f"UPDATE schedule_entries SET reported_played = {true} WHERE EXISTS (SELECT 1 FROM play_logs "
               "WHERE play_logs.entry_id = schedule_entries.id AND play_logs.status = 'played')")
    if sqlite:
        op.execute("CREATE TRIGGER play_logs_mark_entry AFTER INSERT ON play_logs "
                   "WHEN NEW.status = 'played' AND NEW.entry_id IS NOT NULL "
                   f"BEGIN {_MARK.format(true=true)}; END")
    else:
        op.execute("CREATE FUNCTION play_logs_mark_entry() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN {_MARK.format(true=true)}; RETURN NULL; END $$")
        op.execute("CREATE TRIGGER play_logs_mark_entry AFTER INSERT ON play_logs FOR EACH ROW "
                   "WHEN (NEW.status = 'played' AND NEW.entry_id IS NOT NULL) "
                   "EXECUTE FUNCTION play_logs_mark_entry()")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER play_logs_mark_entry")
    else:
        op.execute("DROP TRIGGER play_logs_mark_entry ON play_logs")
        op.execute("DROP FUNCTION play_logs_mark_entry()")
    op.execute("ALTER TABLE schedule_entries DROP COLUMN reported_played")
