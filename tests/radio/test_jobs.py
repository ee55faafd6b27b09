"""Jobs through huey: the embedded SQLite queue, the Redis queue, inline mode, and `radio worker`."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from flask import current_app
from huey import RedisHuey, SqliteHuey
from huey.consumer import Consumer
from sqlalchemy import select, text

from radio import jobs
from radio.jobs import make_huey
from tests.factories.apps import close_huey, separate_app

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@contextmanager
def consumer_running(huey, workers=1):
    """A real huey consumer with thread workers, stopped (and the test's signal handlers restored) after."""
    handled = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    saved = {s: signal.getsignal(s) for s in handled}
    consumer = Consumer(huey, workers=workers, worker_type="thread", periodic=False,
                        check_worker_health=False, initial_delay=0.01, max_delay=0.1)
    consumer.start()  # starts the worker and scheduler threads, then sets the process's signal handlers
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.fixture
def redis_url():
    """The test Redis database, or a skip when no Redis answers (CI=true makes that a failure)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"no Redis at {REDIS_URL}: CI must run the Redis queue tests")
        pytest.skip(f"no Redis at {REDIS_URL}")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def redis_huey(redis_url):
    """A queued Redis huey with a queue name of its own, flushed and closed after the test."""
    name = f"radio-test-{uuid.uuid4().hex}"
    huey = make_huey({"JOBS": "queued", "REDIS_URL": redis_url, "JOBS_QUEUE": name}, "/nonexistent")
    yield huey
    huey.flush()
    leftovers = huey.storage.conn.keys(f"huey.*{huey.storage.name}*")
    close_huey(huey)
    assert leftovers == []


def _shout(text: str) -> str:
    return text.upper() + "!"


def _instance_path() -> str:
    """A job that says which app it ran in."""
    return current_app.instance_path


# --- (a) the embedded SQLite queue ------------------------------------------------------------

def test_embedded_queue_holds_a_job_until_it_is_executed(tmp_path):
    huey = make_huey({"JOBS": "queued", "REDIS_URL": None}, tmp_path)
    try:
        assert isinstance(huey, SqliteHuey) and not huey.immediate

        @huey.task()
        def add(a, b):
            return a + b

        result = add(2, 3)
        assert (tmp_path / "jobs.db").exists()
        assert huey.pending_count() == 1
        assert result.get() is None  # not run yet
        huey.execute(huey.dequeue())
        assert result.get() == 5
        assert huey.pending_count() == 0
    finally:
        close_huey(huey)


def test_embedded_queue_is_shared_through_its_file_with_a_real_consumer(tmp_path):
    """The web process enqueues, a worker (another huey on the same file) runs the job."""
    web = make_huey({"JOBS": "queued", "REDIS_URL": None}, tmp_path)
    worker = make_huey({"JOBS": "queued", "REDIS_URL": None}, tmp_path)
    try:
        shout = web.task(name="shout")(_shout)
        worker.task(name="shout")(_shout)
        results = [shout(word) for word in ("loa", "đài", "thôn")]
        assert worker.pending_count() == 3
        with consumer_running(worker, workers=2):
            got = [r.get(blocking=True, timeout=10) for r in results]
        assert got == ["LOA!", "ĐÀI!", "THÔN!"]
        assert worker.pending_count() == 0
    finally:
        close_huey(web)
        close_huey(worker)


def test_a_failing_job_reports_its_error(tmp_path):
    from huey.exceptions import TaskException

    huey = make_huey({"JOBS": "queued", "REDIS_URL": None}, tmp_path)
    try:
        @huey.task()
        def broken():
            raise ValueError("tệp âm thanh hỏng")

        result = broken()
        huey.execute(huey.dequeue())
        with pytest.raises(TaskException, match="tệp âm thanh hỏng"):
            result.get()
    finally:
        close_huey(huey)


# --- (b) the Redis queue ----------------------------------------------------------------------

def test_redis_queue_holds_a_job_until_it_is_executed(redis_huey):
    assert isinstance(redis_huey, RedisHuey) and not redis_huey.immediate
    assert redis_huey.name.startswith("radio-test-")  # huey keys its Redis lists by the name's letters and digits
    assert redis_huey.storage.queue_key == "huey.redis." + redis_huey.name.replace("-", "")

    @redis_huey.task()
    def add(a, b):
        return a + b

    result = add(20, 22)
    assert redis_huey.pending_count() == 1
    assert result.get() is None
    redis_huey.execute(redis_huey.dequeue())
    assert result.get() == 42
    assert redis_huey.pending_count() == 0


def test_redis_queue_with_a_real_consumer(redis_huey):
    shout = redis_huey.task()(_shout)
    results = [shout(word) for word in ("loa", "thôn")]
    with consumer_running(redis_huey):
        assert [r.get(blocking=True, timeout=10) for r in results] == ["LOA!", "THÔN!"]
    assert redis_huey.pending_count() == 0


def test_queues_with_different_names_keep_their_jobs_apart(redis_huey, redis_url):
    other = make_huey({"JOBS": "queued", "REDIS_URL": redis_url, "JOBS_QUEUE": redis_huey.name + "-b"}, "/nonexistent")
    try:
        redis_huey.task(name="noop")(lambda: None)()
        assert redis_huey.pending_count() == 1
        assert other.pending_count() == 0
    finally:
        other.flush()
        close_huey(other)


def test_default_queue_name_is_radio(tmp_path):
    huey = make_huey({"JOBS": "queued", "REDIS_URL": None}, tmp_path)
    try:
        assert huey.name == "radio"
    finally:
        close_huey(huey)


# --- (c) inline mode --------------------------------------------------------------------------

def test_inline_mode_runs_the_job_at_once(tmp_path):
    huey = make_huey({"JOBS": "inline", "REDIS_URL": None}, tmp_path)
    ran = []

    @huey.task()
    def note(value):
        ran.append(value)
        return value * 2

    result = note(21)
    assert ran == [21]
    assert result.get() == 42
    assert huey.pending_count() == 0
    assert not (tmp_path / "jobs.db").exists()  # nothing written: immediate mode keeps to memory


def test_inline_mode_needs_no_redis(tmp_path):
    huey = make_huey({"JOBS": "inline", "REDIS_URL": "redis://127.0.0.1:1/0"}, tmp_path)  # nobody there
    try:
        assert huey.immediate
        assert huey.task()(lambda: "ngay")().get() == "ngay"
    finally:
        close_huey(huey)


def test_enqueue_in_the_test_app_runs_inline(app):
    assert jobs.enqueue(jobs.ping, "thôn 1").get() == "pong:thôn 1"


def _session_id() -> int:
    """A job that says which session it has."""
    from radio import db

    return id(db.session())


def test_an_inline_job_has_a_session_of_its_own(app):
    from radio import db

    jobs.register(app, _session_id)
    try:
        caller = db.session()
        assert jobs.enqueue(_session_id).get() != id(caller)
        assert db.session() is caller
    finally:
        del app.extensions["radio.tasks"]["_session_id"]


def test_a_job_is_queued_only_after_the_callers_commit(app, db):
    from radio.models import User

    db.scalars(select(User)).all()  # a transaction is open
    with pytest.raises(RuntimeError, match="commit before queueing ping"):
        jobs.enqueue(jobs.ping, "x")
    db.commit()
    assert jobs.enqueue(jobs.ping, "x").get() == "pong:x"


def _note_in_the_database(word: str) -> None:
    """A job that writes and commits through its own session."""
    from radio import db

    session = db.session()
    session.execute(text("CREATE TABLE IF NOT EXISTS notes (word TEXT)"))
    session.execute(text("INSERT INTO notes (word) VALUES (:word)"), {"word": word})
    session.commit()


def test_an_inline_job_on_a_database_file_commits_on_its_own_connection(tmp_path):
    """Outside the tests' one shared connection: the caller commits, the job writes on a connection
    of its own (a SQLite file locks against an open transaction of the caller), the caller reads it."""
    from radio import db

    with separate_app(tmp_path) as app, app.app_context():
        jobs.register(app, _note_in_the_database)
        caller = db.session()
        assert caller.execute(text("SELECT 1")).scalar() == 1
        caller.commit()
        jobs.enqueue(_note_in_the_database, "loa").get()
        assert caller.execute(text("SELECT word FROM notes")).scalars().all() == ["loa"]


def test_queue_status_of_inline_mode(app):
    assert jobs.queue_status() == {"backend": "sqlite", "mode": "inline", "ok": True}


# --- the app's queue --------------------------------------------------------------------------

def test_queued_app_reports_pending_jobs_and_a_worker_runs_them(tmp_path):
    with separate_app(tmp_path, JOBS="queued") as app, app.app_context():
        assert jobs.queue_status() == {"backend": "sqlite", "mode": "queued", "ok": True, "pending": 0}
        result = jobs.enqueue(jobs.ping, "a")
        assert jobs.queue_status()["pending"] == 1
        huey = jobs.queue(app)
        huey.execute(huey.dequeue())
        assert result.get() == "pong:a"
        assert jobs.queue_status()["pending"] == 0


def test_a_worker_thread_runs_jobs_inside_the_app_that_queued_them(tmp_path):
    with separate_app(tmp_path, JOBS="queued") as app:
        jobs.register(app, _instance_path)
        with app.app_context():
            result = jobs.enqueue(_instance_path)
        with consumer_running(jobs.queue(app)):  # worker threads have no app context
            assert result.get(blocking=True, timeout=10) == str(tmp_path)


def test_queue_status_of_redis(redis_url, tmp_path):
    name = f"radio-test-{uuid.uuid4().hex}"
    with separate_app(tmp_path, JOBS="queued", REDIS_URL=redis_url, JOBS_QUEUE=name) as app, app.app_context():
        try:
            jobs.enqueue(jobs.ping, "b")
            assert jobs.queue_status() == {"backend": "redis", "mode": "queued", "ok": True, "pending": 1}
        finally:
            jobs.queue(app).flush()


def test_queue_status_reports_an_unreachable_redis(tmp_path):
    with separate_app(tmp_path, JOBS="queued", REDIS_URL="redis://127.0.0.1:1/0") as app, app.app_context():
        status = jobs.queue_status()
    assert status["backend"] == "redis" and status["mode"] == "queued"
    assert status["ok"] is False
    assert "Connection refused" in status["error"] or "connect" in status["error"].lower()


@pytest.mark.slow
def test_radio_worker_command_runs_queued_jobs(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(RADIO_INSTANCE_PATH=str(tmp_path), RADIO_JOBS="queued", SECRET_KEY="test-secret",
               DATABASE_URL=f"sqlite:///{tmp_path / 'radio.db'}")
    with separate_app(tmp_path, JOBS="queued") as app:
        with app.app_context():
            result = jobs.enqueue(jobs.ping, "worker")
        radio = Path(sys.executable).with_name("radio")
        worker = subprocess.Popen([str(radio), "worker", "--workers", "1"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert result.get(blocking=True, timeout=30) == "pong:worker"
        finally:
            worker.send_signal(signal.SIGINT)
            output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output  # Ctrl+C stops it cleanly
