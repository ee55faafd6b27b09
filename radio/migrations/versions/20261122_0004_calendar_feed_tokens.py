"""calendar feed tokens

Revision ID: abb23aa4b296
Revises: 36db1b58da08
Create Date: 2026-11-22 12:14:21.537174
"""
from alembic import op
import sqlalchemy as sa


revision = 'abb23aa4b296'
down_revision = '36db1b58da08'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_feed_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_feed_tokens_device_id_devices')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_feed_tokens_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash'))
    )


def downgrade():
    op.drop_table('feed_tokens')
