"""RADIO_MEDIA_ACCEL=nginx: the app (a real WSGI server on loopback) checks who asks and nginx,
run from deploy/nginx.conf, sends the file. Access, Range and ETag/304 answer as without nginx.
Poll files (RADIO_DEVICE_POLL_FILES_DIR) are nginx's alone: the app never sees their requests."""
from __future__ import annotations

import hashlib
import re

import pytest
import requests
from flask import request, request_started

from tests.deploy_kit import nginx
from tests.factories.apps import separate_app
from tests.factories.servers import served, throwaway_database
from tests.radio.api_kit import START, TODAY, Api, Clock, seed, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db


@pytest.fixture
def stack(tmp_path, tones, monkeypatch):
    """(the app's own address, the Api through nginx)."""
    clock, media, exports, polls = Clock(START), tmp_path / "media", tmp_path / "exports", tmp_path / "poll"
    with throwaway_database(tmp_path) as url, \
            separate_app(tmp_path / "instance", DATABASE_URL=url, MEDIA_DIR=str(media), EXPORT_DIR=str(exports),
                         DEVICE_POLL_FILES_DIR=str(polls), CLOCK=clock, MEDIA_ACCEL="nginx", PROXIES=1) as app:
        with app.app_context():
            from radio import db

            world = seed(db.session(), tones)
            db.session().commit()
        with served(app) as base, nginx(tmp_path / "nginx", base.removeprefix("http://"), media, exports,
                                             polls) as front:
            monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "nginx" / "tls.crt"))
            yield base, Api(front, app, clock, world)


def test_audio_is_sent_by_nginx_with_the_apps_etag_ranges_and_304(stack):
    direct, api = stack
    sha = api.world.media["ep-1"]
    behind = requests.get(f"{direct}/api/v1/media/{sha}", headers=api.headers("loa-01"), timeout=30)
    assert behind.headers["X-Accel-Redirect"] == f"/internal/media/{sha[:2]}/{sha}.mp3" and behind.content == b""
    whole = api.get(f"/media/{sha}", device="loa-01")
    assert whole.status_code == 200 and hashlib.sha256(whole.content).hexdigest() == sha
    assert (whole.headers["ETag"], whole.headers["Content-Type"]) == (f'"{sha}"', "audio/mpeg")
    assert "X-Accel-Redirect" not in whole.headers and "immutable" in whole.headers["Cache-Control"]
    part = api.get(f"/media/{sha}", device="loa-01", headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206 and part.content == whole.content[1000:2000]
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(whole.content)}"
    again = api.get(f"/media/{sha}", device="loa-01", headers={"If-None-Match": f'"{sha}"'})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == f'"{sha}"'


def test_nginx_sends_nothing_the_app_refused_and_its_internal_location_is_closed(stack):
    _, api = stack
    sha = api.world.media["ep-1"]
    assert api.get(f"/media/{sha}").status_code == 401
    refused = api.get(f"/media/{sha}", device="loa-xa")
    assert refused.status_code == 403 and refused.json()["error"]
    assert requests.get(f"{api.base}/internal/media/{sha[:2]}/{sha}.mp3", timeout=30).status_code == 404


def test_a_day_download_is_made_once_and_sent_by_nginx(stack, tmp_path):
    _, api = stack
    browser = api.login("dai-tk")
    url = f"{api.base}/stations/st-tk/days/{TODAY.isoformat()}.m3u8"
    first = browser.get(url, timeout=60)
    assert first.status_code == 200 and first.headers["Content-Type"] == "audio/mpegurl; charset=utf-8"
    assert f"{api.base}/api/v1/media/{api.world.media['ep-1']}" in first.text  # links through nginx (ProxyFix)
    assert "attachment" in first.headers["Content-Disposition"]
    [kept] = (tmp_path / "exports" / TODAY.isoformat()).glob("*.m3u8")
    assert kept.read_bytes() == first.content
    etag = first.headers["ETag"]  # weak: nginx gzipped the playlist
    assert etag == f'W/"st-tk-1-{TODAY.isoformat()}-m3u8"' and first.headers["Content-Encoding"] == "gzip"
    assert browser.get(url, headers={"If-None-Match": etag}, timeout=60).status_code == 304
    assert browser.get(url, timeout=60).content == first.content
    assert list((tmp_path / "exports" / TODAY.isoformat()).glob("*.m3u8")) == [kept]


def raw_get(url: str) -> requests.Response:
    """A GET of `url` as written (requests would resolve a `..` itself before sending it)."""
    with requests.Session() as session:
        prepared = session.prepare_request(requests.Request("GET", url))
        prepared.url = url
        return session.send(prepared, timeout=30, **session.merge_environment_settings(url, {}, None, None, None))


def test_poll_files_are_answered_by_nginx_alone_with_its_etag_and_304(stack, tmp_path):
    _, api = stack
    seen = []  # every path the app is asked
    with request_started.connected_to(lambda _sender, **_: seen.append(request.path), api.app):
        url = api.get("/devices/loa-01/schedule", device="loa-01").json()["poll_file"]
        assert re.fullmatch(re.escape(api.base) + r"/poll/[0-9a-f]{40}\.json", url)  # on nginx's https base
        name = url.rsplit("/", 1)[1]
        first = requests.get(url, timeout=30)
        kept = (tmp_path / "poll" / name).stat()
        assert first.status_code == 200 and first.headers["Content-Type"] == "application/json"
        assert first.json()["device"] == "loa-01" and first.content == (tmp_path / "poll" / name).read_bytes()
        assert first.headers["ETag"] == f'"{int(kept.st_mtime):x}-{kept.st_size:x}"'  # nginx's: mtime and size
        assert first.headers["Cache-Control"] == "no-cache" and "Strict-Transport-Security" in first.headers
        again = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=30)
        assert again.status_code == 304 and again.content == b""
        result = api.cli("schedule", "cancel", api.world.entries["today"], "--as", "dai-tk")  # within the second
        assert result.exit_code == 0, result.output
        changed = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=30)
        assert changed.status_code == 200 and changed.json()["schedule"] != first.json()["schedule"]
    assert seen == ["/api/v1/devices/loa-01/schedule"]
    assert raw_get(f"{api.base}/poll/").status_code == 404  # the folder is not listed
    for path in (f"/poll/{'0' * 40}.json", "/poll/abc.json", f"/poll/{name.upper()}", f"/poll/{name}/",
                 "/poll/../x", f"/poll/..%2F{name}"):  # the last two are nginx's "/x" and "/<name>": the app's 404
        assert raw_get(api.base + path).status_code == 404, path
