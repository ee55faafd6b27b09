"""villages can end and devices retire, kept for the history that refers to them

`areas.ended_on` and `devices.retired_on` are local days (the plan file's `ended` and
`retired`). Nullable columns added in place; the downgrade drops them in place too, since a
batch copy of `areas` or `devices`, SQLite's way, would trip the foreign keys that point at them.

Revision ID: c8b2d1e3f408
Revises: b7a1c0d2e307
Create Date: 2026-12-07 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c8b2d1e3f408'
down_revision = 'b7a1c0d2e307'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_on', sa.Date(), nullable=True))
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_on', sa.Date(), nullable=True))


def downgrade():
    op.execute("ALTER TABLE devices DROP COLUMN retired_on")
    op.execute("ALTER TABLE areas DROP COLUMN ended_on")
