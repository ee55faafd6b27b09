"""initial schema

Revision ID: 2f0e65c6a997
Revises: 
Create Date: 2026-11-22 10:40:00.038577
"""
from alembic import op
import sqlalchemy as sa


revision = '2f0e65c6a997'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['areas.id'], name=op.f('fk_areas_parent_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_areas')),
    sa.UniqueConstraint('code', name=op.f('uq_areas_code'))
    )
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_areas_parent_id'), ['parent_id'], unique=False)

    op.create_table('media_files',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('suffix', sa.String(length=8), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False),
    sa.Column('duration_s', sa.Double(), nullable=False),
    sa.Column('codec', sa.String(length=32), nullable=False),
    sa.Column('sample_rate', sa.Integer(), nullable=False),
    sa.Column('channels', sa.Integer(), nullable=False),
    sa.Column('loudness_lufs', sa.Double(), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_media_files'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=False),
    sa.Column('object_key', sa.String(length=200), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_audit_log_area_id_areas')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_user_id'), ['user_id'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('document', sa.String(length=100), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('report_due', sa.Date(), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['areas.id'], name=op.f('fk_plans_issued_by_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('code', name=op.f('uq_plans_code'))
    )
    op.create_table('role_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_role_grants_area_id_areas')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_role_grants_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grants')),
    sa.UniqueConstraint('user_id', 'role', 'area_id', name=op.f('uq_role_grants_user_id_role_area_id'))
    )
    op.create_table('stations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('schedule_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_stations_area_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stations')),
    sa.UniqueConstraint('code', name=op.f('uq_stations_code'))
    )
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stations_area_id'), ['area_id'], unique=False)

    op.create_table('broadcast_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('days', sa.String(length=200), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_broadcast_windows_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcast_windows')),
    sa.UniqueConstraint('station_id', 'name', name=op.f('uq_broadcast_windows_station_id_name'))
    )
    op.create_table('closed_dates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_closed_dates_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closed_dates')),
    sa.UniqueConstraint('station_id', 'day', name=op.f('uq_closed_dates_station_id_day'))
    )
    op.create_table('devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('token_issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_devices_area_id_areas')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_devices_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices')),
    sa.UniqueConstraint('code', name=op.f('uq_devices_code')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_devices_token_hash'))
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_devices_station_id'), ['station_id'], unique=False)

    op.create_table('series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_series_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_series_plan_id_code'))
    )
    op.create_table('fixed_blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('window_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.Time(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=True),
    sa.Column('duration_s', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_fixed_blocks_station_id_stations')),
    sa.ForeignKeyConstraint(['window_id'], ['broadcast_windows.id'], name=op.f('fk_fixed_blocks_window_id_broadcast_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fixed_blocks'))
    )
    op.create_table('requirements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('min_airings', sa.Integer(), nullable=False),
    sa.Column('max_airings', sa.Integer(), nullable=True),
    sa.Column('new_episodes', sa.Integer(), nullable=False),
    sa.Column('days', sa.String(length=200), nullable=False),
    sa.Column('windows', sa.String(length=200), nullable=False),
    sa.Column('levels', sa.String(length=200), nullable=False),
    sa.Column('duration_min', sa.Integer(), nullable=True),
    sa.Column('duration_max', sa.Integer(), nullable=True),
    sa.Column('min_gap_days', sa.Integer(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('report_due', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_requirements_plan_id_plans')),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_requirements_series_id_series')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requirements')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_requirements_plan_id_code'))
    )
    op.create_table('scripts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_version_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_scripts_series_id_series')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scripts'))
    )
    with op.batch_alter_table('scripts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scripts_series_id'), ['series_id'], unique=False)

    op.create_table('episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('media_sha256', sa.String(length=64), nullable=True),
    sa.Column('script_id', sa.Integer(), nullable=True),
    sa.Column('available_from', sa.Date(), nullable=True),
    sa.Column('expires', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['media_sha256'], ['media_files.sha256'], name=op.f('fk_episodes_media_sha256_media_files')),
    sa.ForeignKeyConstraint(['script_id'], ['scripts.id'], name=op.f('fk_episodes_script_id_scripts')),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_episodes_series_id_series')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_episodes')),
    sa.UniqueConstraint('series_id', 'code', name=op.f('uq_episodes_series_id_code'))
    )
    with op.batch_alter_table('episodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_episodes_series_id'), ['series_id'], unique=False)

    op.create_table('requirement_areas',
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_requirement_areas_area_id_areas')),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirements.id'], name=op.f('fk_requirement_areas_requirement_id_requirements')),
    sa.PrimaryKeyConstraint('requirement_id', 'area_id', name=op.f('pk_requirement_areas'))
    )
    op.create_table('requirement_stations',
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirements.id'], name=op.f('fk_requirement_stations_requirement_id_requirements')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_requirement_stations_station_id_stations')),
    sa.PrimaryKeyConstraint('requirement_id', 'station_id', name=op.f('pk_requirement_stations'))
    )
    op.create_table('script_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('script_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_script_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_script_versions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['script_id'], ['scripts.id'], name=op.f('fk_script_versions_script_id_scripts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_script_versions')),
    sa.UniqueConstraint('script_id', 'number', name=op.f('uq_script_versions_script_id_number'))
    )
    op.create_table('bulletins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_bulletins_episode_id_episodes')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_bulletins_issued_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletins')),
    sa.UniqueConstraint('uuid', name=op.f('uq_bulletins_uuid'))
    )
    op.create_table('bulletin_areas',
    sa.Column('bulletin_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_bulletin_areas_area_id_areas')),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletins.id'], name=op.f('fk_bulletin_areas_bulletin_id_bulletins')),
    sa.PrimaryKeyConstraint('bulletin_id', 'area_id', name=op.f('pk_bulletin_areas'))
    )
    op.create_table('schedule_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('window_name', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('source', sa.String(length=500), nullable=True),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('requirement_id', sa.Integer(), nullable=True),
    sa.Column('bulletin_id', sa.Integer(), nullable=True),
    sa.Column('target_area_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('is_pinned', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletins.id'], name=op.f('fk_schedule_entries_bulletin_id_bulletins')),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_schedule_entries_episode_id_episodes')),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirements.id'], name=op.f('fk_schedule_entries_requirement_id_requirements')),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_schedule_entries_series_id_series')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_schedule_entries_station_id_stations')),
    sa.ForeignKeyConstraint(['target_area_id'], ['areas.id'], name=op.f('fk_schedule_entries_target_area_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_entries')),
    sa.UniqueConstraint('uuid', name=op.f('uq_schedule_entries_uuid'))
    )
    with op.batch_alter_table('schedule_entries', schema=None) as batch_op:
        batch_op.create_index('ix_schedule_entries_station_day', ['station_id', 'local_date'], unique=False)

    op.create_table('play_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_uuid', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('bulletin_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletins.id'], name=op.f('fk_play_logs_bulletin_id_bulletins')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_play_logs_device_id_devices')),
    sa.ForeignKeyConstraint(['entry_id'], ['schedule_entries.id'], name=op.f('fk_play_logs_entry_id_schedule_entries')),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_play_logs_episode_id_episodes')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_play_logs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_play_logs')),
    sa.UniqueConstraint('client_uuid', name=op.f('uq_play_logs_client_uuid'))
    )
    with op.batch_alter_table('play_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_play_logs_device_id'), ['device_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_play_logs_entry_id'), ['entry_id'], unique=False)

    # scripts and script_versions refer to each other: the second link comes once both exist.
    with op.batch_alter_table('scripts', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_scripts_approved_version_id_script_versions'),
                                    'script_versions', ['approved_version_id'], ['id'])
    _audit_log_append_only()


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_refuse()")
    with op.batch_alter_table('play_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_play_logs_entry_id'))
        batch_op.drop_index(batch_op.f('ix_play_logs_device_id'))

    op.drop_table('play_logs')
    with op.batch_alter_table('schedule_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_schedule_entries_station_day')

    op.drop_table('schedule_entries')
    op.drop_table('bulletin_areas')
    op.drop_table('bulletins')
    op.drop_table('script_versions')
    op.drop_table('requirement_stations')
    op.drop_table('requirement_areas')
    with op.batch_alter_table('episodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_episodes_series_id'))

    op.drop_table('episodes')
    with op.batch_alter_table('scripts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scripts_series_id'))

    op.drop_table('scripts')
    op.drop_table('requirements')
    op.drop_table('fixed_blocks')
    op.drop_table('series')
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_devices_station_id'))
        batch_op.drop_index(batch_op.f('ix_devices_area_id'))

    op.drop_table('devices')
    op.drop_table('closed_dates')
    op.drop_table('broadcast_windows')
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stations_area_id'))

    op.drop_table('stations')
    op.drop_table('role_grants')
    op.drop_table('plans')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_area_id'))

    op.drop_table('audit_log')
    op.drop_table('users')
    op.drop_table('media_files')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_areas_parent_id'))

    op.drop_table('areas')


def _audit_log_append_only():
    """The database itself refuses to change or remove audit rows, whatever client writes."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                       "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    else:
        op.execute("CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$")
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()")
