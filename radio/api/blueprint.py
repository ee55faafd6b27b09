"""URL rules of /api/v1: the village devices' pull API, media, bulletins and the OpenAPI document."""
from flask import Blueprint, current_app, request

from ..compliance import controllers as compliance
from . import controllers as c
from . import errors

bp = Blueprint("api", __name__, url_prefix="/api/v1")
errors.attach(bp)


@bp.before_request
def _limit_bodies():
    """Device payloads are small: refuse big ones (413) before reading them."""
    request.max_content_length = current_app.config["API_MAX_BODY_KB"] * 1024


bp.add_url_rule("/openapi.json", view_func=c.openapi)
bp.add_url_rule("/devices/<code>/schedule", view_func=c.schedule)
bp.add_url_rule("/devices/<code>/bulletins", view_func=c.bulletins)
bp.add_url_rule("/devices/<code>/playlogs", view_func=c.playlogs, methods=["POST"])
bp.add_url_rule("/devices/<code>/heartbeat", view_func=c.heartbeat, methods=["POST"])
bp.add_url_rule("/devices/<code>/today.m3u8", view_func=c.playlist, defaults={"which": "today"})
bp.add_url_rule("/devices/<code>/tomorrow.m3u8", view_func=c.playlist, defaults={"which": "tomorrow"})
bp.add_url_rule("/media/<sha256>", view_func=c.media)
bp.add_url_rule("/bulletins", view_func=c.issue, methods=["POST"])
bp.add_url_rule("/bulletins/<uuid_text>", view_func=c.show_bulletin)
bp.add_url_rule("/bulletins/<uuid_text>/cancel", view_func=c.cancel, methods=["POST"])
bp.add_url_rule("/stations/<code>/devices", view_func=c.station_presence)
bp.add_url_rule("/compliance", view_func=compliance.compliance)
bp.add_url_rule("/compliance.<any(csv, xlsx, pdf):fmt>", view_func=compliance.compliance)
