"""GET /api/v1/media/<sha256>: an audio file for a device (its token, or a signed link) or a
signed-in user, when it is on their schedule or in their areas."""
from __future__ import annotations

import re

from flask import current_app, request
from werkzeug.exceptions import Forbidden, NotFound, Unauthorized

from .. import clock, db
from ..api import api_blueprint
from ..api.access import authenticated_user, bearer_token
from ..devices.media_links import device_for_media_link
from ..devices.operations import device_by_token
from ..models import MediaFile
from ..stores import send_stored
from .access import device_may_fetch, user_may_fetch

SHA256 = re.compile(r"[0-9a-f]{64}")
ONE_YEAR_S = 365 * 24 * 3600

bp = api_blueprint("media_api", __name__)


def media(sha256: str):
    allowed = _media_requester(sha256)
    row = db.session().get(MediaFile, sha256) if SHA256.fullmatch(sha256) else None
    if row is None:
        raise NotFound(f"no audio file {sha256}")
    if not allowed(row.sha256):
        raise Forbidden("this audio is not on your schedule")
    try:
        return send_stored(row.sha256, row.suffix, max_age=ONE_YEAR_S, etag=True, last_modified=row.created_at)
    except FileNotFoundError:
        raise NotFound(f"audio file {sha256} is recorded but missing from the store") from None


def _media_requester(sha256: str):
    """Who asks (401 if nobody): a check of whether they may have the file with that digest."""
    session, link_token = db.session(), request.args.get("token")
    if link_token:
        device = device_for_media_link(session, current_app.config["SECRET_KEY"], link_token, sha256, clock.now())
        if device is None:
            raise Forbidden("the media link is not valid for this file, has expired, or was tampered with")
        return lambda digest: device_may_fetch(session, device, digest)
    if bearer_token():
        device = device_by_token(session, bearer_token())
        if device is None:
            raise Unauthorized("the device token is wrong or has been revoked")
        return lambda digest: device_may_fetch(session, device, digest)
    user = authenticated_user()
    return lambda digest: user_may_fetch(session, user, digest)


bp.add_url_rule("/media/<sha256>", view_func=media)
