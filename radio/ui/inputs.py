"""Text no database can store (a NUL character, a lone surrogate), anywhere in a page request's
URL or form, is refused at the door with a 400, before a handler looks a record up by it
(PostgreSQL fails on a NUL in a query: a 500). The API checks its own fields (api/schemas.py).
An uploaded file's name is tidied for people to read (upload_name)."""
from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

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


MAX_NAME = 255  # characters of an uploaded file's name that are shown (and kept: PlanDraft.filename)
_FOLDERS = re.compile(r".*[/\\]", re.DOTALL)  # a browser may send the folders too, a Windows one with backslashes


def upload_name(filename: str | None, fallback: str) -> str:
    """The name people know an uploaded file by: its own, accents and all (NFC), without the
    folders, control or invisible characters, cut to MAX_NAME keeping its suffix; `fallback` when
    nothing is left. Shown and stored only, never a path on disk (werkzeug's secure_filename,
    the usual tidier, keeps ASCII alone: "Kế hoạch" would show as "Ke_hoach")."""
    name = _FOLDERS.sub("", unicodedata.normalize("NFC", filename or ""))
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C")).strip()
    if len(name) > MAX_NAME:
        suffix = PurePosixPath(name).suffix if len(PurePosixPath(name).suffix) <= 16 else ""
        name = name[:MAX_NAME - len(suffix)].rstrip() + suffix
    return name or fallback


def init_app(app: Flask) -> None:
    app.before_request(_refuse_unstorable)
