"""CAP 1.2 through the API: a source POSTs an alert with its own token; anyone reads an area's
bulletins as a CAP Atom feed."""
from __future__ import annotations

from flask import Response, current_app, request, url_for
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import BadRequest, Unauthorized

from .. import clock, db, jobs, lookups, notices
from ..api import api_blueprint
from ..api.access import bearer_token
from ..api.responses import json_response
from ..bulletins.operations import BulletinRules
from ..models import CapSource
from ..notify import poll_now
from .operations import receive_alert, source_by_token
from .publish import feed_of

bp = api_blueprint("cap_api", __name__)


@bp.before_request
def _alert_size():
    """An alert may carry its audio inline (derefUri): a larger limit than JSON bodies'."""
    request.max_content_length = current_app.config["CAP_MAX_MB"] * 1024 * 1024


def receive():
    token = bearer_token()
    session = db.session()
    source = source_by_token(session, token) if token else None
    if source is None:
        raise Unauthorized("an alert source's token is needed: Authorization: Bearer <token>")
    now, tz = clock.now(), clock.station_tz()
    received = _received(session, source, request.get_data(), now, tz)
    alert = received.alert
    if alert.status in ("held", "waiting") and not received.duplicate:  # someone was told
        notices.dispatch()
    jobs.after_response(poll_now, list(received.devices), "bulletin")
    return json_response({"identifier": alert.identifier, "status": alert.status, "duplicate": received.duplicate,
                          "priority": alert.priority,
                          "bulletin": str(alert.bulletin.uuid) if alert.bulletin else None,
                          "audio_problem": received.audio_problem}, status=200 if received.duplicate else 201)


def _received(session, source: CapSource, raw: bytes, now, tz, tries: int = 3):
    """receive_alert, committed. SQLite fails a transaction that read and then writes while another
    writes (a device reporting a play) at once rather than waiting: an alert must not be lost to
    that, so it is taken again from the start (a duplicate cannot come of it: nothing was kept)."""
    rules = BulletinRules.from_config(current_app.config)
    for attempt in range(1, tries + 1):
        try:
            received = receive_alert(session, session.get(CapSource, source.id), raw, now=now, tz=tz, rules=rules)
            session.commit()
            return received
        except OperationalError as exc:
            session.rollback()
            if "locked" not in str(exc.orig) or attempt == tries:
                raise


def feed():
    code = request.args.get("area", "")
    if not code:
        raise BadRequest("area: the code of an area is needed (?area=CODE)")
    session = db.session()
    area = lookups.area(session, code)
    body = feed_of(session, area, url_for("cap_api.feed", area=code, _external=True),
                   current_app.config["CAP_SENDER"], current_app.config["CAP_SENDER_NAME"],
                   clock.now(), clock.station_tz())
    return Response(body, content_type="application/atom+xml; charset=utf-8")


bp.add_url_rule("/cap", view_func=receive, methods=["POST"])
bp.add_url_rule("/cap/feed", view_func=feed)
