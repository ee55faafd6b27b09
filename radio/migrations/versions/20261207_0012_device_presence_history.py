"""devices' offline periods, when each was added, and where it stands

The loudspeakers page shows each device's offline periods and its availability over a span:
a period opens when the periodic check marks a silent device offline and closes on its next
call. `added_at` starts the span a device is measured over; `lat`/`lon` place it on the map.

Revision ID: a2f6b5c7d812
Revises: f1e5a4b6c711
Create Date: 2026-12-07 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a2f6b5c7d812'
down_revision = 'f1e5a4b6c711'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('device_offline_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('offline_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('back_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_device_offline_periods_device_id_devices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_offline_periods'))
    )
    with op.batch_alter_table('device_offline_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_offline_periods_device_id'), ['device_id'], unique=False)
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('added_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('lon', sa.Float(), nullable=True))


def downgrade():
    # Plain ALTERs (SQLite 3.35+ drops a column in place): a batch copy of devices would trip
    # the foreign keys of the play logs and deliveries that point at it.
    for column in ('lon', 'lat', 'added_at'):
        op.execute(f"ALTER TABLE devices DROP COLUMN {column}")
    with op.batch_alter_table('device_offline_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_offline_periods_device_id'))
    op.drop_table('device_offline_periods')
