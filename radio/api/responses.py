"""JSON answers of the API, and the 304 of a conditional GET."""
from __future__ import annotations

import json

from flask import Response, request


def json_response(body: dict, status: int = 200, etag: str | None = None) -> Response:
    """Compact UTF-8 JSON (Vietnamese titles stay readable and small), never cached unchecked."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    response = Response(text, status=status, content_type="application/json; charset=utf-8")
    if etag is not None:
        response.set_etag(etag)
        response.cache_control.no_cache = True
        response.cache_control.private = True
    return response


def not_modified(etag: str) -> Response | None:
    """304 when the client already holds `etag`, else None."""
    if request.if_none_match.star_tag or request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.set_etag(etag)
        response.cache_control.no_cache = True
        response.cache_control.private = True
        return response
    return None
