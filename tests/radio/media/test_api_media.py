"""Media over real HTTP: exact bytes, resumable ranges, HEAD, caching, and who may download;
and the simple-player playlists, played by mpv."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.radio.api_kit import api, sha256, tones  # noqa: F401 (fixtures)
from tests.radio.api_kit import assert_error

pytestmark = pytest.mark.db


def media_path(api, code="ep-1"):
    return f"/media/{api.world.media[code]}"


def test_media_bytes_equal_their_sha256_and_are_cached_for_good(api):
    url = api.get("/devices/loa-01/schedule", device="loa-01").json()["items"][0]["media"]["url"]
    response = api.get(url, device="loa-01")
    assert response.status_code == 200 and response.headers["Content-Type"] == "audio/mpeg"
    assert sha256(response.content) == api.world.media["ep-1"]
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache and "max-age=31536000" in cache and "private" in cache and "public" not in cache
    assert response.headers["ETag"] == f'"{api.world.media["ep-1"]}"'
    again = api.get(url, device="loa-01", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_ranges_resume_a_broken_download(api):
    whole = api.get(media_path(api), device="loa-01").content
    head = api.get(media_path(api), device="loa-01", headers={"Range": "bytes=0-999"})
    assert head.status_code == 206 and len(head.content) == 1000
    assert head.headers["Content-Range"] == f"bytes 0-999/{len(whole)}"
    rest = api.get(media_path(api), device="loa-01", headers={"Range": "bytes=1000-"})
    assert rest.status_code == 206
    assert sha256(head.content + rest.content) == api.world.media["ep-1"]
    beyond = api.get(media_path(api), device="loa-01", headers={"Range": f"bytes={len(whole) + 10}-"})
    assert beyond.status_code == 416


def test_head_gives_the_size_without_the_body(api):
    size = len(api.get(media_path(api), device="loa-01").content)
    response = api.head(media_path(api), device="loa-01")
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["Content-Length"]) == size
    assert response.headers["Accept-Ranges"] == "bytes"


def test_media_is_only_for_those_who_play_or_manage_it(api):
    assert_error(api.get(media_path(api)), 401)
    assert_error(api.get(media_path(api), device="wrong-token"), 401)
    assert_error(api.get(media_path(api, "ep-3"), device="loa-01"), 403)  # only on st-xa's schedule
    assert api.get(media_path(api, "ep-3"), device="loa-xa").status_code == 200
    assert_error(api.get("/media/" + "0" * 64, device="loa-01"), 404)
    operator = api.login("dai-xa")
    assert operator.get(api.url(media_path(api, "ep-3"))).status_code == 200
    assert_error(operator.get(api.url(media_path(api, "ep-1"))), 403)  # neither its plan nor its station


def playlist(api, which="today", device="loa-01"):
    return api.get(f"/devices/{device}/{which}.m3u8?token={api.world.tokens[device]}")


def test_today_and_tomorrow_playlists_list_signed_links(api):
    today = playlist(api)
    assert today.status_code == 200 and today.headers["Content-Type"].startswith("audio/x-mpegurl")
    assert "no-store" in today.headers["Cache-Control"]
    lines = today.text.splitlines()
    assert lines[0] == "#EXTM3U"
    urls = [line for line in lines if line.startswith("http")]
    assert len(urls) == 1 and urls[0].startswith(f"{api.base}/api/v1/media/{api.world.media['ep-1']}?token=")
    assert api.world.tokens["loa-01"] not in today.text  # the device token never leaks into links
    tomorrow = [line for line in playlist(api, "tomorrow").text.splitlines() if line.startswith("http")]
    assert len(tomorrow) == 1 and api.world.media["ep-2"] in tomorrow[0]
    fetched = api.get(urls[0])  # no header: the signed link is enough
    assert fetched.status_code == 200 and sha256(fetched.content) == api.world.media["ep-1"]


def test_a_playlist_needs_the_devices_token(api):
    assert_error(api.get("/devices/loa-01/today.m3u8"), 401)
    assert_error(api.get("/devices/loa-01/today.m3u8?token=guess"), 401)
    assert_error(api.get(f"/devices/loa-01/today.m3u8?token={api.world.tokens['loa-02']}"), 403)


def test_tampered_expired_or_misused_media_links_are_refused(api):
    link = next(line for line in playlist(api).text.splitlines() if line.startswith("http"))
    base, token = link.split("?token=")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert_error(api.get(f"{base}?token={tampered}"), 403)
    other_file = f"{api.base}/api/v1/media/{api.world.media['ep-2']}?token={token}"
    assert_error(api.get(other_file), 403)  # a link is for one file only
    api.clock.advance(days=2)  # past the end of its day and the grace period
    assert_error(api.get(link), 403)
    api.clock.advance(days=-2)
    assert api.get(link).status_code == 200
    api.cli("device-token", "loa-01")  # a new token ends the links made with the old one
    assert_error(api.get(link), 403)


@pytest.mark.skipif(shutil.which("mpv") is None, reason="mpv is not installed")
def test_the_simple_player_playlist_plays_in_mpv(api):
    url = api.url(f"/devices/loa-01/today.m3u8?token={api.world.tokens['loa-01']}")
    played = subprocess.run(["mpv", "--no-config", "--ao=null", "--ao-null-untimed", "--vo=null", "--untimed",
                             "--msg-level=all=info", url], capture_output=True, text=True, timeout=120)
    assert played.returncode == 0, played.stdout + played.stderr
    assert "Exiting... (End of file)" in played.stdout + played.stderr
    broken = api.url(f"/devices/loa-01/today.m3u8?token={api.world.tokens['loa-01']}x")
    refused = subprocess.run(["mpv", "--no-config", "--ao=null", "--vo=null", "--untimed", broken],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
