"""The configured audio store, which imports, voicing, uploads, exports and the media API all read
and write: the content-addressed folder MEDIA_DIR, or a bucket (MEDIA_URL) cached in that folder;
and how a stored file reaches whoever asked, once the handler has checked that they may have it."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Response, current_app, redirect, request, send_file

from audio_library import MediaStore
from audio_library.bucket import BucketStore
from audio_library.formats import mime_type

from .downloads import sent_by_nginx

# nginx's internal location for MEDIA_DIR (deploy/nginx.conf): only an X-Accel-Redirect reaches it.
ACCEL_MEDIA = "/internal/media/"


def media_store() -> MediaStore | BucketStore:
    config = current_app.config
    local = MediaStore(Path(config["MEDIA_DIR"]))
    if not config["MEDIA_URL"]:
        return local
    # One bucket client per app and folder: boto3 takes tens of milliseconds to make one.
    key = ("radio.bucket", config["MEDIA_URL"], config["MEDIA_DIR"])
    if key not in current_app.extensions:
        current_app.extensions[key] = BucketStore(config["MEDIA_URL"], local, config["S3_ENDPOINT_URL"])
    return current_app.extensions[key]


def send_stored(sha256: str, suffix: str, *, max_age: int, etag: bool = False,
                last_modified: datetime | None = None) -> Response:
    """The stored file with this digest for the request: a presigned link to the bucket (302), an
    X-Accel-Redirect for nginx, or the bytes from Python, with Range and conditional requests
    answered alike; FileNotFoundError when the store lacks it. Private: the caller checked access."""
    store, config = media_store(), current_app.config
    if isinstance(store, BucketStore):
        if not store.exists(sha256):
            raise FileNotFoundError(sha256)
        response = redirect(store.link(sha256, suffix, config["MEDIA_LINK_SECONDS"]), 302)
        response.cache_control.no_store = True  # the link expires: never keep the redirect
        return response
    path, accel = store.path_for(sha256), config["MEDIA_ACCEL"] == "nginx"
    response = send_file(path, mimetype=mime_type(suffix), conditional=not accel, etag=sha256 if etag else True,
                         last_modified=last_modified)
    if accel:
        response = sent_by_nginx(response.make_conditional(request),
                                 ACCEL_MEDIA + path.relative_to(store.root).as_posix())
    response.cache_control.max_age = max_age
    response.cache_control.private = True
    response.cache_control.immutable = etag  # named by its content: it never changes
    return response
