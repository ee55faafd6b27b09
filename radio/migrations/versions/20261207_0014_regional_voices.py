"""areas and stations may choose their voice: region, speed and pause between sentences

All three are optional: unset, a station takes its area's (or the nearest area's above),
and with none at all the configuration's (the northern voice, TTS_ESPEAK_SPEED_WPM,
TTS_ESPEAK_PAUSE_MS). Existing areas and stations choose nothing and sound as before.

Revision ID: c4b8d7e9fa14
Revises: b3a7c6d8e913
Create Date: 2026-12-07 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4b8d7e9fa14'
down_revision = 'b3a7c6d8e913'
branch_labels = None
depends_on = None

_COLUMNS = ("voice_region", "voice_speed_wpm", "voice_pause_ms")


def upgrade():
    for table in ("areas", "stations"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('voice_region', sa.String(length=16), nullable=True))
            batch_op.add_column(sa.Column('voice_speed_wpm', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('voice_pause_ms', sa.Integer(), nullable=True))


def downgrade():
    # Plain ALTERs (SQLite 3.35+ drops a column in place): a batch copy of areas or stations
    # would trip the foreign keys of the many tables that point at them.
    for table in ("areas", "stations"):
        for column in _COLUMNS:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
