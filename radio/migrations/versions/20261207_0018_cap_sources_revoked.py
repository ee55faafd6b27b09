"""alert sources may be revoked: their token refused and their feed not pulled

Revision ID: b9a3c2de4f19
Revises: a8f2b1cd3e18
Create Date: 2026-12-07 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b9a3c2de4f19'
down_revision = 'a8f2b1cd3e18'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cap_sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # A plain statement: a batch copy of cap_sources would trip the foreign keys pointing at it.
    op.execute("ALTER TABLE cap_sources DROP COLUMN revoked_at")
