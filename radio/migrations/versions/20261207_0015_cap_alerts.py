"""emergency alerts in CAP 1.2: sources, alerts received, areas admin_code

Areas may carry their official administrative-unit code, which CAP <geocode> values name.

Revision ID: d5c9e8fa0b15
Revises: c4b8d7e9fa14
Create Date: 2026-12-07 05:44:06
"""
from alembic import op
import sqlalchemy as sa


revision = 'd5c9e8fa0b15'
down_revision = 'c4b8d7e9fa14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cap_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('trusted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('feed_url', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cap_sources')),
    sa.UniqueConstraint('code', name=op.f('uq_cap_sources_code')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_cap_sources_token_hash'))
    )
    op.create_table('cap_source_areas',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_cap_source_areas_area_id_areas')),
    sa.ForeignKeyConstraint(['source_id'], ['cap_sources.id'], name=op.f('fk_cap_source_areas_source_id_cap_sources')),
    sa.PrimaryKeyConstraint('source_id', 'area_id', name=op.f('pk_cap_source_areas'))
    )
    op.create_table('cap_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=255), nullable=False),
    sa.Column('sender', sa.String(length=255), nullable=False),
    sa.Column('sent', sa.String(length=32), nullable=False),
    sa.Column('msg_type', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('headline', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('area_desc', sa.Text(), nullable=False),
    sa.Column('expires', sa.DateTime(timezone=True), nullable=True),
    sa.Column('xml', sa.Text(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('bulletin_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletins.id'], name=op.f('fk_cap_alerts_bulletin_id_bulletins')),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_cap_alerts_episode_id_episodes')),
    sa.ForeignKeyConstraint(['source_id'], ['cap_sources.id'], name=op.f('fk_cap_alerts_source_id_cap_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cap_alerts')),
    sa.UniqueConstraint('identifier', 'sender', 'sent', name=op.f('uq_cap_alerts_identifier_sender_sent'))
    )
    with op.batch_alter_table('cap_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cap_alerts_source_id'), ['source_id'], unique=False)

    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admin_code', sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_areas_admin_code'), ['admin_code'], unique=False)


def downgrade():
    # Plain statements: a batch copy of areas would trip the many foreign keys pointing at it.
    op.drop_index('ix_areas_admin_code', table_name='areas')
    op.execute("ALTER TABLE areas DROP COLUMN admin_code")

    with op.batch_alter_table('cap_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cap_alerts_source_id'))

    op.drop_table('cap_alerts')
    op.drop_table('cap_source_areas')
    op.drop_table('cap_sources')
