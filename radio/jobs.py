"""Background jobs through huey: SQLite queue by default, Redis when REDIS_URL is set.

With JOBS=inline (the default for the CLI and small installs) huey's immediate mode runs
each job in the calling process, so no worker or extra service is needed.

A job that must not hold up a request (a notice's e-mail, a "poll now" to devices) is started with
`after_response`: queued when there is a queue, and inline run once the response has been sent.
Periodic checks (the cron-free clock) are huey periodic tasks (`init_app`'s `periodic`): `radio
worker` runs them, whatever JOBS says, and `radio notices check` runs each once.

This module knows no feature: each feature keeps its job functions in its own `jobs.py`, and
`create_app` hands them to `init_app` by reference ("module:function"). They, and huey, are
imported when the queue is first used (`queue`): a command that queues nothing pays for neither.
A job is queued by the function itself (`enqueue`), and runs in an app context of its own
wherever it runs (a worker thread, or inline inside a request), so it has a database session of
its own and commits its own work.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, after_this_request, current_app, g, has_request_context

from . import db

if TYPE_CHECKING:
    from huey import Huey

log = logging.getLogger(__name__)


def make_huey(config: dict, instance_path: str) -> Huey:
    """The queue: Redis when REDIS_URL is set, else a SQLite file in the instance folder.

    JOBS_QUEUE (default "radio") names the queue, so that installs sharing one Redis keep
    their jobs apart.
    """
    from huey import RedisHuey, SqliteHuey

    inline = config["JOBS"] == "inline"
    name = config.get("JOBS_QUEUE") or "radio"
    if config.get("REDIS_URL"):
        return RedisHuey(name, url=config["REDIS_URL"], immediate=inline)
    return SqliteHuey(name, filename=str(Path(instance_path) / "jobs.db"), immediate=inline)


def init_app(app: Flask, functions: Iterable[str], periodic: Iterable[tuple[str, dict]]) -> None:
    """The app's jobs: `functions` ("module:function") and `ping`, and the `periodic` checks
    ("module:function", huey.crontab's arguments). Nothing is imported until `queue` is called."""
    app.extensions["radio.jobs"] = tuple(functions), tuple(periodic)


_loading = threading.Lock()


def queue(app: Flask) -> Huey:
    """The app's queue, made with every job registered the first time it is asked for."""
    if "radio.huey" not in app.extensions:
        with _loading:
            if "radio.huey" not in app.extensions:
                _load(app)
    return app.extensions["radio.huey"]


def _current_queue() -> Huey:
    # The app itself, not the proxy: the jobs keep it to run in an app context of their own.
    return queue(current_app._get_current_object())


def _load(app: Flask) -> None:
    from huey import crontab

    functions, periodic = app.extensions["radio.jobs"]
    huey = make_huey(app.config, app.instance_path)
    app.extensions["radio.tasks"] = {}
    app.extensions["radio.periodic"] = []
    for fn in (ping, *map(imported, functions)):
        _register(app, huey, fn)
    for reference, when in periodic:
        fn = imported(reference)
        # Its own name: the same function may be a job queued by hand too (register).
        huey.periodic_task(crontab(**when), name=f"periodic.{fn.__name__}")(_in_own_context(app, fn))
        app.extensions["radio.periodic"].append(fn)
    app.extensions["radio.huey"] = huey  # last: another thread sees the queue only once it is whole


def imported(reference: str) -> Callable:
    module, name = reference.split(":")
    return getattr(import_module(module), name)


def periodic_checks() -> list[Callable]:
    """The checks `radio worker` runs whenever their crontab matches, for `radio notices check`."""
    _current_queue()
    return list(current_app.extensions["radio.periodic"])


def register(app: Flask, fn: Callable) -> None:
    """Make `fn` a job of `app`'s queue, known by its name (the name travels through the queue)."""
    _register(app, queue(app), fn)


def _register(app: Flask, huey: Huey, fn: Callable) -> None:
    tasks = app.extensions["radio.tasks"]
    if fn.__name__ in tasks:
        raise ValueError(f"two jobs are named {fn.__name__!r}")
    tasks[fn.__name__] = huey.task(name=fn.__name__)(_in_own_context(app, fn))


def _in_own_context(app: Flask, fn):
    """Run `fn` in an app context of its own: a worker thread has none, and inline a job must not
    share the caller's session (it commits its own work)."""

    def run(*args, **kwargs):
        with app.app_context():
            return fn(*args, **kwargs)

    return run


def enqueue(fn: Callable, *args, **kwargs):
    """Queue job `fn` (or run it now in inline mode); returns huey's result handle.

    The caller commits first: a queued job reads only what is committed, and an inline one would
    otherwise wait on the caller's own open transaction."""
    if db.in_transaction():
        raise RuntimeError(f"commit before queueing {fn.__name__}: the job runs in a session of its own")
    _current_queue()
    return current_app.extensions["radio.tasks"][fn.__name__](*args, **kwargs)


def after_response(fn: Callable, *args) -> None:
    """Start job `fn` off the caller's path, once the caller has committed.

    With a queue (JOBS=huey) it is queued at once. Inline, within a request, it runs after the
    response has been sent (the WSGI server closing the response), in an app context of its own, so
    the person waits for nothing; in a command or job (no request) it runs now. The same call
    twice in one request runs once."""
    if not _current_queue().immediate or not has_request_context():
        enqueue(fn, *args)
        return
    started = g.setdefault("radio_after_response", set())
    key = (fn.__name__, repr(args))
    if key in started:
        return
    started.add(key)
    app = current_app._get_current_object()

    def run_after_close():
        with app.app_context():
            try:
                enqueue(fn, *args)
            except Exception:  # the response is gone: the log is the one place left to say it
                log.exception("job %s after the response failed", fn.__name__)

    @after_this_request
    def close_then_run(response):
        response.call_on_close(run_after_close)
        return response


def queue_status() -> dict:
    from huey import RedisHuey

    huey = _current_queue()
    backend = "redis" if isinstance(huey, RedisHuey) else "sqlite"
    if huey.immediate:
        return {"backend": backend, "mode": "inline", "ok": True}
    try:
        return {"backend": backend, "mode": "queued", "ok": True, "pending": huey.pending_count()}
    except Exception as exc:  # a broken queue is reported, not raised, by /healthz
        return {"backend": backend, "mode": "queued", "ok": False, "error": str(exc)}


def run_worker(workers: int = 2) -> None:
    """Run queued jobs and the periodic checks until stopped. An inline install runs one too, for
    the periodic checks: its queue is switched to queued mode in this process only (what the checks
    start is then queued here and run by this worker)."""
    from huey.consumer import Consumer

    huey = _current_queue()
    huey.immediate = False
    Consumer(huey, workers=workers, worker_type="thread").run()


def ping(value: str) -> str:
    """A trivial job, used by /healthz-style checks and the queue tests."""
    return f"pong:{value}"
