"""Background jobs through huey: SQLite queue by default, Redis when REDIS_URL is set.

With JOBS=inline (the default for the CLI and small installs) huey's immediate mode runs
each job in the calling process, so no worker or extra service is needed.
"""
from __future__ import annotations

import functools
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey

_JOBS: dict[str, callable] = {}
_worker_app: Flask | None = None


def job(fn):
    """Mark a function as a job; it runs inside an app context wherever it runs."""
    _JOBS[fn.__name__] = fn
    return fn


def make_huey(config: dict, instance_path: str) -> Huey:
    inline = config["JOBS"] == "inline"
    if config.get("REDIS_URL"):
        return RedisHuey("radio", url=config["REDIS_URL"], immediate=inline)
    return SqliteHuey("radio", filename=str(Path(instance_path) / "jobs.db"), immediate=inline)


def init_app(app: Flask) -> None:
    from . import demo  # noqa: F401  (modules whose jobs must be registered)

    huey = make_huey(app.config, app.instance_path)
    app.extensions["radio.huey"] = huey
    app.extensions["radio.tasks"] = {
        name: huey.task(name=name)(_in_app_context(fn)) for name, fn in _JOBS.items()
    }


def _in_app_context(fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        if has_app_context():
            return fn(*args, **kwargs)
        with _app_for_worker().app_context():
            return fn(*args, **kwargs)

    return run


def _app_for_worker() -> Flask:
    global _worker_app
    if _worker_app is None:
        from . import create_app

        _worker_app = create_app()
    return _worker_app


def enqueue(name: str, *args, **kwargs):
    """Queue job `name` (or run it now in inline mode); returns huey's result handle."""
    return current_app.extensions["radio.tasks"][name](*args, **kwargs)


def queue_status() -> dict:
    huey: Huey = current_app.extensions["radio.huey"]
    backend = "redis" if isinstance(huey, RedisHuey) else "sqlite"
    if huey.immediate:
        return {"backend": backend, "mode": "inline", "ok": True}
    try:
        return {"backend": backend, "mode": "queued", "ok": True, "pending": huey.pending_count()}
    except Exception as exc:  # a broken queue is reported, not raised, by /healthz
        return {"backend": backend, "mode": "queued", "ok": False, "error": str(exc)}


def run_worker(workers: int = 2) -> None:
    from huey.consumer import Consumer

    Consumer(current_app.extensions["radio.huey"], workers=workers, worker_type="thread").run()


@job
def ping(value: str) -> str:
    """A trivial job, used by /healthz-style checks and the queue tests."""
    return f"pong:{value}"
