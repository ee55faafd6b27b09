"""The play logs' periodic check: PostgreSQL's monthly partitions made ahead, and the months past
retention archived and dropped (partitions.py). Daily; SQLite has nothing to do."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from .. import clock, db
from . import partitions


def keep_play_log_months() -> None:
    session = db.session()
    if session.get_bind().dialect.name != "postgresql":
        return
    now, config = clock.now(), current_app.config
    connection = session.connection()
    made = partitions.make_ahead(connection, now)
    archived = partitions.expire(connection, now, config["PLAYLOG_RETENTION_MONTHS"],
                                 Path(config["PLAYLOG_ARCHIVE_DIR"]))
    session.commit()
    for name in made:
        current_app.logger.info("play logs: partition %s made", name)
    for path in archived:
        current_app.logger.info("play logs: %s archived and its month dropped", path)
