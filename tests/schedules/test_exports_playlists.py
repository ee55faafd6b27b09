"""Playlists (M3U8, XSPF, PLS) and the JSON running order; every playlist is played by mpv."""

from __future__ import annotations

import configparser
import json
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import pytest

from schedules.exports.model import PlayItem
from schedules.exports.playlists import XSPF_NS, m3u8, pls, running_order_json, xspf
from tests.exports_kit import TRICKY_TITLE, run_mpv, sample_day, serve_folder, shared_tones

WRITERS = {"m3u8": m3u8, "xspf": xspf, "pls": pls}


@pytest.fixture(scope="module")
def relay_url(tmp_path_factory):
    """A loopback server standing in for the provincial stream; the relay plays from it."""
    (_, _, c), _ = shared_tones(tmp_path_factory)
    folder = tmp_path_factory.mktemp("stream")
    shutil.copy(c, folder / "relay.mp3")
    with serve_folder(folder) as base:
        yield f"{base}/relay.mp3"


@pytest.fixture(scope="module")
def day(tmp_path_factory, relay_url):
    tones, durations = shared_tones(tmp_path_factory)
    return sample_day(tones, durations, relay_url)


def by_name(item: PlayItem) -> str:
    return f"audio/{item.media_path.name}"


def by_path(item: PlayItem) -> str:
    return str(item.media_path)


def test_m3u8_lists_what_can_play_with_series_and_title(day, relay_url):
    assert m3u8(day, by_name) == "\n".join([
        "#EXTM3U",
        "#PLAYLIST:Đài truyền thanh xã Thanh Kỳ – Thứ 3, 14/05/2024",
        f"# Tiếp sóng VOV1: 05:30:00–05:30:04 (4 giây), chuyển sang nguồn tiếp sóng {relay_url}",
        "#EXTINF:4,Tiếp sóng VOV1",
        relay_url,
        f"#EXTINF:2,Chuyển đổi số - {TRICKY_TITLE}",
        "audio/a.mp3",
        "#EXTINF:3,Chuyển đổi số - Tin số 4",
        "audio/b.mp3",
        "#EXTINF:2,Thông báo tiêm chủng",
        "audio/c.mp3",
        f"#EXTINF:2,Chuyển đổi số - {TRICKY_TITLE}",
        "audio/a.mp3",
        "# Trực tiếp – Chủ tịch xã phát biểu: 17:00:03–17:00:05 (2 giây), phát trực tiếp tại micro",
        "#EXTINF:3,Chuyển đổi số - Tin số 9",
        "audio/b.mp3",
    ]) + "\n"


def test_one_window_only(day):
    text = m3u8(day, by_name, window="chieu")
    assert text.splitlines()[1] == (
        "#PLAYLIST:Đài truyền thanh xã Thanh Kỳ – Thứ 3, 14/05/2024 – chieu")
    assert [line for line in text.splitlines() if not line.startswith("#")] == [
        "audio/a.mp3", "audio/b.mp3"]
    with pytest.raises(ValueError, match="no window 'trua'"):
        m3u8(day, by_name, window="trua")


def test_titles_arrive_as_nfc_on_one_line(day):
    decomposed = "Chuyển đổi số\nphát lại".replace("ể", "ê\u0309")
    items = (replace(day.items[1], title=decomposed),)
    text = m3u8(replace(day, items=items), by_name)
    assert text.splitlines()[2] == "#EXTINF:2,Chuyển đổi số - Chuyển đổi số phát lại"


@pytest.mark.parametrize("location", ["", "a.mp3\n#EXTINF:1,x\nb.mp3", " a.mp3"])
@pytest.mark.parametrize("writer", WRITERS.values(), ids=WRITERS)
def test_a_location_that_would_break_the_file_is_refused(day, writer, location):
    with pytest.raises(ValueError, match="unusable playlist location"):
        writer(day, lambda item: location)


def test_xspf_escapes_text_and_encodes_locations(day):
    spaced = replace(day.items[1], media_path=Path("/srv/Âm thanh/tin #1.mp3"))
    root = ET.fromstring(xspf(replace(day, items=(day.items[0], spaced)), by_path))
    tracks = root.findall(f"{{{XSPF_NS}}}trackList/{{{XSPF_NS}}}track")
    fields = [{child.tag.split("}")[1]: child.text for child in track} for track in tracks]
    assert fields[1] == {
        "location": "/srv/%C3%82m%20thanh/tin%20%231.mp3",
        "identifier": "urn:uuid:00000000-0000-4000-8000-000000000002",
        "title": f"Chuyển đổi số – {TRICKY_TITLE}",
        "creator": "Chuyển đổi số",
        "duration": "2000",
    }
    assert fields[0]["duration"] == "4000" and "creator" not in fields[0]
    assert root.find(f"{{{XSPF_NS}}}title").text.startswith("Đài truyền thanh xã Thanh Kỳ")


def test_pls_is_a_numbered_ini_file(day, relay_url):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(pls(day, by_name))
    section = parser["playlist"]
    assert section["NumberOfEntries"] == "6" and section["Version"] == "2"
    assert (section["File1"], section["Title1"], section["Length1"]) == (
        relay_url, "Tiếp sóng VOV1", "4")
    assert section["Title2"] == f"Chuyển đổi số - {TRICKY_TITLE}"


def test_json_running_order_has_the_cli_keys_and_only_planned_items(day):
    order = json.loads(running_order_json(day))
    assert {key: order[key] for key in ("station", "date", "timezone", "schedule_version")} == {
        "station": {"code": "thanhky", "name": "Đài truyền thanh xã Thanh Kỳ"},
        "date": "2024-05-14", "timezone": "Asia/Ho_Chi_Minh", "schedule_version": 7}
    items = order["items"]
    assert [i["id"][-1] for i in items] == ["1", "2", "3", "4", "6", "7", "8", "9"]
    assert list(items[3]) == ["id", "start", "end", "duration_s", "window", "window_title", "kind", "title",
                              "series", "series_title", "episode", "requirement", "priority",
                              "source", "media"]
    assert items[3] | {"media": None} == {
        "id": "00000000-0000-4000-8000-000000000004", "start": "2024-05-14T05:30:11+07:00",
        "end": "2024-05-14T05:30:14+07:00", "duration_s": 3.0, "window": "sang", "window_title": None,
        "kind": "episode", "title": "Tin số 4", "series": "CDS", "series_title": "Chuyển đổi số",
        "episode": "CDS-20", "requirement": "CDS-TUAN", "priority": "priority", "source": None,
        "media": None}
    size = day.items[3].media_path.stat().st_size
    assert items[3]["media"] == {"sha256": "b" * 64, "bytes": size, "duration_s": 3.0}
    assert items[0]["media"] is None and items[2]["media"] is None
    assert "thiếu" not in running_order_json(day) and "\\u" not in running_order_json(day)


def play_xspf(path: Path):
    """mpv has no XSPF reader: resolve each location against the playlist's own URI, as
    the XSPF spec says, and let mpv play the resulting URL list."""
    root = ET.parse(path).getroot()
    urls = [urlsplit(urljoin(path.as_uri(), location.text))
            for location in root.iter(f"{{{XSPF_NS}}}location")]
    listing = path.with_suffix(".urls.m3u")
    lines = [url2pathname(url.path) if url.scheme == "file" else url.geturl() for url in urls]
    listing.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return run_mpv(listing)


def play(path: Path):
    return play_xspf(path) if path.suffix == ".xspf" else run_mpv(path)


@pytest.mark.parametrize("fmt", WRITERS)
def test_mpv_plays_every_entry(day, fmt, tmp_path):
    """Including a file whose name has a space, a '#' and Vietnamese letters."""
    odd = tmp_path / "Âm thanh" / "tin #1 đầu.mp3"
    odd.parent.mkdir()
    shutil.copy(day.items[1].media_path, odd)
    items = (day.items[0], replace(day.items[1], media_path=odd), *day.items[2:])
    path = tmp_path / f"day.{fmt}"
    path.write_text(WRITERS[fmt](replace(day, items=items), by_path), encoding="utf-8")
    done = play(path)
    assert done.returncode == 0, done.log
    assert len(done.played) == 6 and str(odd) in done.played[1]


@pytest.mark.parametrize("fmt", WRITERS)
def test_mpv_fails_when_an_entry_is_missing(day, fmt, tmp_path):
    gone = replace(day.items[3], media_path=tmp_path / "gone.mp3")
    broken = replace(day, items=(*day.items[:3], gone, *day.items[4:]))
    path = tmp_path / f"day.{fmt}"
    path.write_text(WRITERS[fmt](broken, by_path), encoding="utf-8")
    assert play(path).returncode != 0
