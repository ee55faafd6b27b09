"""Text no database can store (a NUL character, a lone surrogate), anywhere in a page request's
URL or form, is refused at the door with a 400, before a handler looks a record up by it
(PostgreSQL fails on a NUL in a query: a 500). The API checks its own fields (api/schemas.py)."""
from __future__ import annotations

from flask import Flask, abort, request

from ..lookups import is_storable
from .errors import API_PREFIX


def _refuse_unstorable() -> None:
    if request.path.startswith(API_PREFIX):
        return
    texts = [request.path, *request.args.keys(), *request.args.values(), *(request.view_args or {}).values()]
    if request.method == "POST" and request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        texts += [*request.form.keys(), *request.form.values(),
                  *(file.filename or "" for file in request.files.values())]
    if not all(is_storable(text) for text in texts if isinstance(text, str)):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_unstorable)
