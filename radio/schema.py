"""Create or upgrade the database schema with Alembic (the only way the schema changes)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

if TYPE_CHECKING:  # alembic is loaded when the schema changes, not by every command at start
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option(
        "file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s"
    )
    config.attributes["connection"] = connection
    return config


def is_compared(obj, name, type_, reflected, compare_to) -> bool:
    """What autogenerate compares with the models (alembic's include_object): all but what
    PostgreSQL's monthly play logs add, which the models cannot say per dialect: the partitions
    (tables the daily check makes, radio/playlogs/partitions.py) and the uuid key there, which
    includes the partition key started_at."""
    if type_ == "table":
        return not (reflected and name.startswith("play_logs_"))
    if type_ == "unique_constraint" and name == "uq_play_logs_client_uuid":
        return not any("started_at" in c.columns for c in (obj, compare_to) if c is not None)
    return True


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Back to `revision` (each migration's downgrade; tests check they leave nothing behind)."""
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def make_revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration from the models (developers' tool: `radio db-revision`)."""
    from alembic import command

    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
