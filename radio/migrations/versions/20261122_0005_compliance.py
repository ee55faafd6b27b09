"""compliance: operator play logs name their station; frozen (as-submitted) reports

Revision ID: a61ddf76da58
Revises: abb23aa4b296
Create Date: 2026-11-22 13:31:22.690070
"""
from alembic import op
import sqlalchemy as sa


revision = 'a61ddf76da58'
down_revision = 'abb23aa4b296'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('frozen_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('frozen_by_id', sa.Integer(), nullable=True),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_frozen_reports_area_id_areas')),
    sa.ForeignKeyConstraint(['frozen_by_id'], ['users.id'], name=op.f('fk_frozen_reports_frozen_by_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_frozen_reports_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_frozen_reports')),
    sa.UniqueConstraint('uuid', name=op.f('uq_frozen_reports_uuid'))
    )
    with op.batch_alter_table('frozen_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_frozen_reports_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_frozen_reports_plan_id'), ['plan_id'], unique=False)

    with op.batch_alter_table('play_logs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('station_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_play_logs_station_id'), ['station_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_play_logs_station_id_stations'), 'stations', ['station_id'], ['id'])
        batch_op.create_index('ix_play_logs_unscheduled_started_at', ['started_at'], unique=False,
                              sqlite_where=sa.text('entry_id IS NULL'), postgresql_where=sa.text('entry_id IS NULL'))
    _frozen_reports_immutable()



def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER frozen_reports_immutable ON frozen_reports")
        op.execute("DROP FUNCTION frozen_reports_refuse()")
    with op.batch_alter_table('play_logs', schema=None) as batch_op:
        batch_op.drop_index('ix_play_logs_unscheduled_started_at')
        batch_op.drop_constraint(batch_op.f('fk_play_logs_station_id_stations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_play_logs_station_id'))
        batch_op.drop_column('station_id')

    with op.batch_alter_table('frozen_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_frozen_reports_plan_id'))
        batch_op.drop_index(batch_op.f('ix_frozen_reports_area_id'))

    op.drop_table('frozen_reports')


def _frozen_reports_immutable():
    """A report handed in is evidence: the database refuses to change or remove it."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER frozen_reports_no_{verb.lower()} BEFORE {verb} ON frozen_reports "
                       "BEGIN SELECT RAISE(ABORT, 'a frozen report cannot be changed'); END")
    else:
        op.execute("CREATE FUNCTION frozen_reports_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'a frozen report cannot be changed'; END $$")
        op.execute("CREATE TRIGGER frozen_reports_immutable BEFORE UPDATE OR DELETE ON frozen_reports "
                   "FOR EACH ROW EXECUTE FUNCTION frozen_reports_refuse()")
