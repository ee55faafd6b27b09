"""device api and bulletins: heartbeats, bulletin deliveries, schedule change times

Revision ID: 36db1b58da08
Revises: ce812fcbe8f8
Create Date: 2026-11-22 11:55:14.886822
"""
from alembic import op
import sqlalchemy as sa


revision = '36db1b58da08'
down_revision = 'ce812fcbe8f8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bulletin_deliveries',
    sa.Column('bulletin_id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('played_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletins.id'], name=op.f('fk_bulletin_deliveries_bulletin_id_bulletins')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_bulletin_deliveries_device_id_devices')),
    sa.PrimaryKeyConstraint('bulletin_id', 'device_id', name=op.f('pk_bulletin_deliveries'))
    )
    with op.batch_alter_table('bulletin_areas', schema=None) as batch_op:
        batch_op.create_index('ix_bulletin_areas_area_id', ['area_id'], unique=False)

    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('heartbeat', sa.JSON(), nullable=True))

    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('schedule_changed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_column('schedule_changed_at')

    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_column('heartbeat')
        batch_op.drop_column('heartbeat_at')

    with op.batch_alter_table('bulletin_areas', schema=None) as batch_op:
        batch_op.drop_index('ix_bulletin_areas_area_id')

    op.drop_table('bulletin_deliveries')
