"""Files sent as downloads with exactly the Content-Type their format's table names, by Python or
by nginx.

Werkzeug's `send_file` takes a bare mimetype and appends "; charset=utf-8" to text types itself,
so a table value that names its charset (as every text format's must, for the routes that answer
without `send_file`) went out as "text/csv; charset=utf-8; charset=utf-8".
"""
from __future__ import annotations

from flask import Response, send_file

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def send_download(data, content_type: str, **options) -> Response:
    """`send_file(data, **options)` answering `content_type` as given."""
    response = send_file(data, mimetype=content_type.partition(";")[0].strip(), **options)
    response.headers["Content-Type"] = content_type
    return response


def sent_by_nginx(response: Response, location: str) -> Response:
    """`response` (a file's, its headers made by `send_file` without ranges) with the sending left
    to nginx: X-Accel-Redirect to its internal `location`, where nginx answers Range from the file.
    A 304 stays the app's own. Used when MEDIA_ACCEL is "nginx" (deploy/nginx.conf)."""
    response.close()  # the file send_file opened
    if response.status_code == 304:
        return response
    response.set_data(b"")
    response.headers["X-Accel-Redirect"] = location
    return response
