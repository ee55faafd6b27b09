"""broadcast windows get an optional title: how people read the window's name

A window's name is a code that requirements and blocks refer to (`sang`, `chieu`); pages,
log books and calendars show its title instead ("Buổi sáng"), or the usual words for the name
when the plan file gives none. Existing windows keep no title and read as before.

Revision ID: d9c3e2f4a509
Revises: c8b2d1e3f408
Create Date: 2026-12-07 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd9c3e2f4a509'
down_revision = 'c8b2d1e3f408'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('broadcast_windows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sa.String(length=200), nullable=True))


def downgrade():
    # A plain ALTER (SQLite 3.35+ drops a column in place): a batch copy of broadcast_windows
    # would trip the foreign keys of the fixed blocks that point at it.
    op.execute("ALTER TABLE broadcast_windows DROP COLUMN title")
