"""plan drafts: an official plan document read into a draft, kept while the office reviews it

Revision ID: b3a7c6d8e913
Revises: a2f6b5c7d812
Create Date: 2026-12-07 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b3a7c6d8e913'
down_revision = 'a2f6b5c7d812'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plan_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('draft', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('edits', sa.JSON(), nullable=False),
    sa.Column('dropped', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_plan_drafts_area_id_areas')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_plan_drafts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_drafts'))
    )
    with op.batch_alter_table('plan_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_drafts_area_id'), ['area_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_drafts_area_id'))
    op.drop_table('plan_drafts')
