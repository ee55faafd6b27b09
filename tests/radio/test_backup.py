"""`radio backup` then `radio restore` into an empty instance (its own database and audio folder):
every row of every table and every audio file come back, on SQLite and on PostgreSQL."""
from __future__ import annotations

import io
import tarfile

import pytest
from sqlalchemy import MetaData, select

from radio import db, schema
from radio.models import Area
from radio.stores import media_store
from tests.factories import create_area
from tests.factories.apps import separate_app
from tests.factories.servers import empty_database
from tests.radio.api_kit import seed, tones  # noqa: F401 (fixture)

pytestmark = pytest.mark.db


def everything(app) -> dict[str, list[tuple]]:
    """Every table's rows in primary-key order (the Alembic version included)."""
    engine, tables = app.extensions["radio.engine"], MetaData()
    tables.reflect(engine)
    with engine.connect() as connection:
        return {name: connection.execute(select(table).order_by(*(table.primary_key.columns or table.columns))).all()
                for name, table in sorted(tables.tables.items())}


def test_a_backup_restored_into_an_empty_instance_is_the_same_instance(tmp_path, tones):
    archive = tmp_path / "backup.tar"
    with empty_database(tmp_path, "source") as url, \
            separate_app(tmp_path / "source", DATABASE_URL=url, MEDIA_DIR=str(tmp_path / "source-media")) as source:
        schema.upgrade(source.extensions["radio.engine"])
        with source.app_context():
            seed(db.session(), tones)
            db.session().commit()
            made = source.test_cli_runner().invoke(args=["backup", str(archive)])
            assert made.exit_code == 0, made.output
            files = {sha: media_store().path_for(sha).read_bytes() for sha, _ in media_store().files()}
        before = everything(source)
    assert len(files) == 3 and sum(len(rows) for rows in before.values()) > 30
    with tarfile.open(archive) as packed:
        assert {"manifest.json", f"media/{min(files)[:2]}/{min(files)}.mp3"} <= set(packed.getnames())

    with empty_database(tmp_path, "target") as url, \
            separate_app(tmp_path / "target", DATABASE_URL=url, MEDIA_DIR=str(tmp_path / "target-media")) as target:
        with target.app_context():
            restored = target.test_cli_runner().invoke(args=["restore", str(archive)])
            assert restored.exit_code == 0, restored.output
            assert {sha: media_store().path_for(sha).read_bytes() for sha, _ in media_store().files()} == files
        assert everything(target) == before
        with target.app_context():
            again = target.test_cli_runner().invoke(args=["restore", str(archive)])
            assert again.exit_code != 0 and "restore into an empty one" in again.output
            session = db.session()  # the restored ids' sequences go on after the restored rows
            added = create_area(session, "TH-MOI", "commune", session.scalar(select(Area).where(Area.code == "TH")))
            session.commit()
            assert added.id > max(row.id for row in before["areas"])


def test_an_archive_whose_audio_does_not_match_its_name_is_refused(tmp_path, tones):
    archive, forged = tmp_path / "backup.tar", tmp_path / "forged.tar"
    with empty_database(tmp_path, "source") as url, \
            separate_app(tmp_path / "source", DATABASE_URL=url, MEDIA_DIR=str(tmp_path / "source-media")) as source:
        schema.upgrade(source.extensions["radio.engine"])
        with source.app_context():
            seed(db.session(), tones)
            db.session().commit()
            assert source.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
    with tarfile.open(archive) as packed, tarfile.open(forged, "w") as out:
        for member in packed.getmembers():
            data = packed.extractfile(member)
            if member.name.startswith("media/"):
                member.size = 5
                data = io.BytesIO(b"forgd")
            out.addfile(member, data)
    with empty_database(tmp_path, "target") as url, \
            separate_app(tmp_path / "target", DATABASE_URL=url, MEDIA_DIR=str(tmp_path / "target-media")) as target:
        with target.app_context():
            refused = target.test_cli_runner().invoke(args=["restore", str(forged)])
            assert refused.exit_code != 0 and "does not hold the content its name gives" in refused.output
            assert list(media_store().files()) == []
