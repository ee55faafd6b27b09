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


def job(fn):
    """Mark a function as a job; it runs inside an app context wherever it runs."""
    _JOBS[fn.__name__] = fn
    return fn


def make_huey(config: dict, instance_path: str) -> Huey:
    """The queue: Redis when REDIS_URL is set, else a SQLite file in the instance folder.

    JOBS_QUEUE (default "radio") names the queue, so that installs sharing one Redis keep
    their jobs apart.
    """
    inline = config["JOBS"] == "inline"
    name = config.get("JOBS_QUEUE") or "radio"
    if config.get("REDIS_URL"):
        return RedisHuey(name, url=config["REDIS_URL"], immediate=inline)
    return SqliteHuey(name, filename=str(Path(instance_path) / "jobs.db"), immediate=inline)


def init_app(app: Flask) -> None:
    from .scripts import voicing  # noqa: F401  (modules whose jobs must be registered)
    from .web.office import rebuild  # noqa: F401

    huey = make_huey(app.config, app.instance_path)
    app.extensions["radio.huey"] = huey
    app.extensions["radio.tasks"] = {
        name: huey.task(name=name)(_in_app_context(app, fn)) for name, fn in _JOBS.items()
    }


def _in_app_context(app: Flask, fn):
    """Run `fn` inside the app whose queue holds it (a worker thread has no context of its own)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        if has_app_context():
            return fn(*args, **kwargs)
        with app.app_context():
            return fn(*args, **kwargs)

    return run


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
