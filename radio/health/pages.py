"""GET /healthz: 200 when the database answers and the queue is usable, 503 otherwise."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from .. import db, jobs

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        with db.engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        database = {"ok": True, "dialect": db.engine().dialect.name}
    except Exception as exc:  # reported, not raised: this endpoint exists to say what is broken
        database = {"ok": False, "error": str(exc)}
    queue = jobs.queue_status()
    ok = database["ok"] and queue["ok"]
    return jsonify(status="ok" if ok else "error", database=database, queue=queue), 200 if ok else 503
