"""audio library and tts

Revision ID: ce812fcbe8f8
Revises: 2f0e65c6a997
Create Date: 2026-11-22 11:05:56.301136
"""
from alembic import op
import sqlalchemy as sa


revision = 'ce812fcbe8f8'
down_revision = '2f0e65c6a997'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('glossary_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.Column('reading', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_glossary_entries_area_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_glossary_entries')),
    sa.UniqueConstraint('area_id', 'term', name=op.f('uq_glossary_entries_area_id_term'))
    )
    op.create_table('tts_cache',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('media_sha256', sa.String(length=64), nullable=False),
    sa.Column('engine', sa.String(length=32), nullable=False),
    sa.Column('voice', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['media_sha256'], ['media_files.sha256'], name=op.f('fk_tts_cache_media_sha256_media_files')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_tts_cache'))
    )
    with op.batch_alter_table('episodes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('script_version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('tts_engine', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_episodes_script_version_id_script_versions'), 'script_versions', ['script_version_id'], ['id'])

    with op.batch_alter_table('media_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('true_peak_dbtp', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('is_canonical', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('original_sha256', sa.String(length=64), nullable=True))

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intro_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('outro_sha256', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_series_intro_sha256_media_files'), 'media_files', ['intro_sha256'], ['sha256'])
        batch_op.create_foreign_key(batch_op.f('fk_series_outro_sha256_media_files'), 'media_files', ['outro_sha256'], ['sha256'])



def downgrade():
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_series_outro_sha256_media_files'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_series_intro_sha256_media_files'), type_='foreignkey')
        batch_op.drop_column('outro_sha256')
        batch_op.drop_column('intro_sha256')

    with op.batch_alter_table('media_files', schema=None) as batch_op:
        batch_op.drop_column('original_sha256')
        batch_op.drop_column('is_canonical')
        batch_op.drop_column('true_peak_dbtp')

    with op.batch_alter_table('episodes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_episodes_script_version_id_script_versions'), type_='foreignkey')
        batch_op.drop_column('tts_engine')
        batch_op.drop_column('script_version_id')

    op.drop_table('tts_cache')
    op.drop_table('glossary_entries')
