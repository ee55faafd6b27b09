"""A second app, for what the shared test app cannot show (a queued job backend, a dead database)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from radio import create_app


@contextmanager
def separate_app(instance_path: Path, **settings) -> Iterator[Flask]:
    """An app with its own instance folder and SQLite file (override with `settings`), closed after."""
    config = {
        "TESTING": True, "INSTANCE_PATH": str(instance_path), "SECRET_KEY": "test-secret",
        "DATABASE_URL": f"sqlite:///{instance_path / 'radio.db'}", "JOBS": "inline", "REDIS_URL": None,
        # The rate limiter is one object shared by every app, and the last app set up chooses its
        # storage: keep it in memory so that the shared test app's login limit is not moved to Redis.
        "RATELIMIT_STORAGE_URI": "memory://",
        **settings,
    }
    app = create_app(config)
    try:
        yield app
    finally:
        app.extensions["radio.engine"].dispose()
        if "radio.huey" in app.extensions:
            close_huey(app.extensions["radio.huey"])


def close_huey(huey) -> None:
    """Close a huey's connections (SQLite file or Redis pool), so none is left to the garbage collector."""
    storage = huey.storage
    storage.close()
    pool = getattr(storage, "pool", None)
    if pool is not None:
        pool.disconnect()
