"""A throw-away instance of the product for one simulated season: its own folder, database
(SQLite in the folder unless a URL is given) and media store, the real app with the simulation's
clock as its CLOCK, served over HTTP on 127.0.0.1 in a thread, so receivers talk to it as they
talk to a real server. It never touches the configured database.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.orm import Session
from werkzeug.serving import make_server


@contextmanager
def quiet_logs():
    """The receivers' and the server's request logs say nothing the table does not: quieten them."""
    loggers = [logging.getLogger(name) for name in ("werkzeug", "radio.device_client", "radio")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


class SimClock:
    """The simulated now (aware UTC), shared by the app and the receivers; only the season moves it."""

    def __init__(self, start: datetime):
        self.now = start.astimezone(timezone.utc)

    def __call__(self) -> datetime:
        return self.now


class Instance:
    """An app (a fresh one: `Instance.fresh`) and its HTTP server on 127.0.0.1."""

    def __init__(self, app):
        self.app = app
        self.port = 0
        self._server = self._thread = None

    @classmethod
    def fresh(cls, folder: Path, clock: SimClock, poll_seconds: int, database_url: str | None = None) -> Instance:
        """A new app in `folder`: its database (SQLite there unless a URL is given) at the newest
        migration, its media store, the season's clock as its CLOCK."""
        from .. import create_app, schema

        instance = cls(create_app({
            "INSTANCE_PATH": str(folder), "DATABASE_URL": database_url or f"sqlite:///{folder / 'radio.db'}",
            "MEDIA_DIR": str(folder / "media"), "SECRET_KEY": "simulation", "JOBS": "inline", "REDIS_URL": None,
            "MQTT_URL": None, "RATELIMIT_STORAGE_URI": "memory://", "CLOCK": clock,
            "DEVICE_POLL_SECONDS": poll_seconds, "TTS_ENGINES": "espeak-ng",
        }))
        schema.upgrade(instance.engine)
        return instance

    @property
    def engine(self):
        return self.app.extensions["radio.engine"]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work, as one request or command is: committed at the end, rolled back on error."""
        from .. import db

        with self.app.app_context():
            session = db.session()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def serve(self) -> None:
        """Start serving (on the same port again after a stop, so receivers find it back)."""
        self._server = make_server("127.0.0.1", self.port, self.app, threaded=False)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = self._thread = None

    @property
    def serving(self) -> bool:
        return self._server is not None

    def close(self) -> None:
        """Stop serving and let go of a fresh app's database and job queue."""
        self.stop()
        self.engine.dispose()
        huey = self.app.extensions.get("radio.huey")
        if huey is not None:
            huey.storage.close()
