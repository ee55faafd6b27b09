"""episodes, scripts and recordings say whether they are meant for their series' requirements

An operator's one-off notice in a series stays out of the requirements' rotation. Rows already
stored keep what they did (meant for them).

Revision ID: e6d0f9ab1c16
Revises: d5c9e8fa0b15
Create Date: 2026-12-07 08:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e6d0f9ab1c16'
down_revision = 'd5c9e8fa0b15'
branch_labels = None
depends_on = None

TABLES = ('episodes', 'scripts', 'recordings')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('for_requirements', sa.Boolean(), server_default=sa.true(),
                                          nullable=False))


def downgrade():
    # Plain statements: a batch copy of episodes would trip the foreign keys pointing at it.
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN for_requirements")
