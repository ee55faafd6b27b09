"""GET /healthz: 200 with what works, 503 with what is broken."""
from __future__ import annotations

import uuid

from radio import jobs
from tests.factories.apps import separate_app

DEAD_DATABASE = "postgresql://postgres:mat-khau-csdl@127.0.0.1:1/x"  # nothing listens on port 1


def test_healthz_is_ok_with_database_and_queue(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "dialect": app.extensions["radio.engine"].dialect.name}
    assert body["queue"] == {"backend": "sqlite", "mode": "inline", "ok": True}


def test_healthz_needs_no_login_and_no_csrf(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Location" not in response.headers
    assert client.post("/healthz").status_code == 405  # read-only: POST is not a health check


def test_healthz_reports_a_queued_backend_and_its_pending_jobs(tmp_path):
    with separate_app(tmp_path, JOBS="queued") as app:
        with app.app_context():
            jobs.enqueue(jobs.ping, "x")
        body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "dialect": "sqlite"}
    assert body["queue"] == {"backend": "sqlite", "mode": "queued", "ok": True, "pending": 1}


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    with separate_app(tmp_path, DATABASE_URL=DEAD_DATABASE) as app:
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["database"]["ok"] is False
    assert 'server at "127.0.0.1", port 1 failed' in body["database"]["error"]
    assert "mat-khau-csdl" not in response.get_data(as_text=True)  # a public page shows no password
    assert body["queue"]["ok"] is True  # the part that works is still reported as working


def test_healthz_is_503_when_the_queue_is_unreachable(tmp_path):
    with separate_app(tmp_path, JOBS="queued", REDIS_URL="redis://127.0.0.1:1/0",
                      JOBS_QUEUE=f"radio-test-{uuid.uuid4().hex}") as app:
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["database"]["ok"] is True
    assert body["queue"]["backend"] == "redis" and body["queue"]["ok"] is False
    assert body["queue"]["error"]
