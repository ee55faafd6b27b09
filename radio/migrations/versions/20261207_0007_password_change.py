"""users must change a password someone else set for them

An admin who resets a password knows it; the account's owner must replace it at the next login.

Revision ID: b7a1c0d2e307
Revises: 5c0e7a1f2b94
Create Date: 2026-12-07 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7a1c0d2e307'
down_revision = '5c0e7a1f2b94'
branch_labels = None
depends_on = None


# recreate="never": SQLite adds and drops this column in place (3.35+); a batch copy of users
# would trip the foreign keys of every table that names a user.
def upgrade():
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('must_change_password')
