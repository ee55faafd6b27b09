"""Bulletins through the API, for signed-in users: issue one (placed in schedules, emergency
ones sent to devices at once), see one with its entries and deliveries, cancel one."""
from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import Forbidden

from .. import clock, db, jobs, lookups
from ..api import api_blueprint
from ..api.access import authenticated_user
from ..api.responses import json_response
from ..api.schemas import parse_json
from ..auth.permissions import may
from ..errors import NotFound, RadioError
from ..notify import poll_now
from . import schemas
from .delivery import deliveries
from .operations import BulletinRules, bulletin_entries, cancel_bulletin, issue_bulletin

bp = api_blueprint("bulletins_api", __name__)


def issue():
    user = authenticated_user(writes=True)
    payload = schemas.load_bulletin_issue(parse_json(request.get_data()))
    session, now, tz = db.session(), clock.now(), clock.station_tz()
    try:
        result = issue_bulletin(session, user, now=now, tz=tz, rules=BulletinRules.from_config(current_app.config), **payload)
    except NotFound as exc:  # an episode or area the payload names: the payload is refused
        raise RadioError(exc.message, status=422, code="refused") from None
    session.commit()
    jobs.after_response(poll_now, result.devices, "bulletin")
    placement = result.placement
    body = schemas.dump_bulletin(result.bulletin, tz, placement.created + placement.moved, [],
                                 placement.unplaced, placement.displaced)
    return json_response(body, status=201)


def show_bulletin(uuid_text: str):
    user = authenticated_user()
    bulletin = lookups.bulletin(db.session(), uuid_text)
    if not any(may(user, "area.read", area) for area in bulletin.areas):
        raise Forbidden("this bulletin was issued outside your areas")
    session = db.session()
    return json_response(schemas.dump_bulletin(bulletin, clock.station_tz(), bulletin_entries(session, bulletin),
                                       deliveries(session, bulletin)))


def cancel(uuid_text: str):
    user = authenticated_user(writes=True)
    bulletin = lookups.bulletin(db.session(), uuid_text)
    session, now = db.session(), clock.now()
    devices = cancel_bulletin(session, user, bulletin, now)
    session.commit()
    jobs.after_response(poll_now, devices, "bulletin-cancelled")
    return json_response(schemas.dump_bulletin(bulletin, clock.station_tz(), bulletin_entries(session, bulletin),
                                       deliveries(session, bulletin)))


bp.add_url_rule("/bulletins", view_func=issue, methods=["POST"])
bp.add_url_rule("/bulletins/<uuid_text>", view_func=show_bulletin)
bp.add_url_rule("/bulletins/<uuid_text>/cancel", view_func=cancel, methods=["POST"])
