"""The operator's day pack: unzipped and played by mpv, window MP3s (cut at relay and live
blocks) probed against the running order, stable names and bytes, and no partial ZIP after a
crash."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from audio_library.render import render_window
from schedules.exports import daypack
from schedules.exports.daypack import write_day_pack
from schedules.exports.model import DayPlaylist, WindowInfo
from schedules.exports.windows import WindowPart, window_parts, window_steps, window_tags
from tests.exports_kit import (DAY, TZ, at, item, probe_duration, probe_tags, run_mpv, sample_day,
                               serve_folder, shared_tones)

MEMBERS = [
    "audio/01-chuyen-doi-so-ban-tin-thu-3-so-20-a-b-chuyen-doi.mp3",
    "audio/02-chuyen-doi-so-tin-so-4.mp3",
    "audio/03-thong-bao-tiem-chung.mp3",
    "playlist.m3u8",
    "running-order.html",
    "running-order.json",
    "running-order.pdf",
    "windows/chieu-1.mp3",
    "windows/chieu-2.mp3",
    "windows/sang.mp3",
]


@pytest.fixture(scope="module")
def tones(tmp_path_factory):
    return shared_tones(tmp_path_factory)


@pytest.fixture(scope="module")
def day(tmp_path_factory, tones):
    folder = tmp_path_factory.mktemp("stream")
    shutil.copy(tones[0][2], folder / "relay.mp3")
    with serve_folder(folder) as base:
        yield sample_day(*tones, f"{base}/relay.mp3")


def render_parts(day, name, folder):
    parts = window_parts(day, name)
    return [render_window(part.segments, folder / f"{name}-{part.number}.mp3",
                          window_tags(day, name, part, len(parts)), part.length_s).path
            for part in parts]


@pytest.fixture(scope="module")
def window_mp3s(tmp_path_factory, day):
    folder = tmp_path_factory.mktemp("windows")
    return {name: render_parts(day, name, folder) for name in ("sang", "chieu")}


@pytest.fixture(scope="module")
def pack(tmp_path_factory, day, window_mp3s):
    return write_day_pack(day, tmp_path_factory.mktemp("pack") / "thanhky-2024-05-14.zip",
                          window_mp3s)


def test_a_window_is_cut_at_its_blocks_and_opens_after_a_first_relay(day, tones):
    (a, b, c), _ = tones
    relay, live = day.items[0], day.items[7]
    assert window_steps(day, "sang") == (
        relay, WindowPart("sang", 1, at(5, 30, 4), at(5, 30, 17.5),
                          ((a, 1.0, 2.0), (None, 4.0, 2.0), (b, 7.0, 3.0), (c, 12.0, 1.5))))
    assert window_steps(day, "chieu") == (
        WindowPart("chieu", 1, at(17, 0), at(17, 0, 3), ((a, 0.0, 2.0),)), live,
        WindowPart("chieu", 2, at(17, 0, 5), at(17, 0, 9), ((b, 1.0, 3.0),)))


def test_window_tags_name_station_date_window_and_part(day, window_mp3s):
    assert window_tags(day, "sang") == {
        "title": "sang – 14/05/2024", "artist": "Đài truyền thanh xã Thanh Kỳ",
        "album": "Đài truyền thanh xã Thanh Kỳ – Thứ 3, 14/05/2024", "date": "2024-05-14",
        "comment": "Lịch phát phiên bản 7"}
    assert probe_tags(window_mp3s["sang"][0]) == window_tags(day, "sang")
    assert probe_tags(window_mp3s["chieu"][1])["title"] == "chieu – phần 2/2 (17:00:05) – 14/05/2024"


def test_a_relay_window_in_parts_lasts_the_window_with_the_relay(tones, tmp_path):
    """05:30–05:31: a news item, a 48-second relay, two items after it to the window's end."""
    (a, b, c), (da, db, dc) = tones
    items = (item(1, at(5, 30), da, media_path=a),
             item(2, at(5, 30, 2), 48, kind="relay", title="Tiếp sóng VOV1", source="http://vov.vn/live"),
             item(3, at(5, 30, 50), db, media_path=b), item(4, at(5, 30, 60 - dc), dc, media_path=c))
    day = DayPlaylist("thanhky", "Đài xã", DAY, TZ, (WindowInfo("sang", at(5, 30), at(5, 31)),), items, 1)
    files = render_parts(day, "sang", tmp_path)
    assert [path.name for path in files] == ["sang-1.mp3", "sang-2.mp3"]
    lengths = [probe_duration(path) for path in files]
    assert lengths == [pytest.approx(2.0, abs=0.06), pytest.approx(10.0, abs=0.06)]  # within 2 MP3 frames
    assert sum(lengths) + 48 == pytest.approx(60.0, abs=0.1)


def test_pack_holds_audio_playlist_windows_and_log_book(pack, tones, window_mp3s):
    (a, _, c), _ = tones
    with zipfile.ZipFile(pack) as archive:
        assert sorted(archive.namelist()) == MEMBERS
        assert archive.testzip() is None
        assert archive.read(MEMBERS[0]) == a.read_bytes()
        assert archive.read(MEMBERS[2]) == c.read_bytes()
        assert archive.read("windows/sang.mp3") == window_mp3s["sang"][0].read_bytes()
        assert archive.read("windows/chieu-2.mp3") == window_mp3s["chieu"][1].read_bytes()
        assert {i.date_time for i in archive.infolist()} == {(2024, 5, 14, 0, 0, 0)}
        playlist = archive.read("playlist.m3u8").decode("utf-8").splitlines()
        order = json.loads(archive.read("running-order.json"))
    assert [line for line in playlist if line.startswith("audio/")] == [
        MEMBERS[0], MEMBERS[1], MEMBERS[2], MEMBERS[0], MEMBERS[1]]
    assert order["station"]["code"] == "thanhky" and len(order["items"]) == 8


def test_the_unzipped_pack_plays_in_mpv(pack, tmp_path):
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(tmp_path / "usb")
    done = run_mpv(tmp_path / "usb" / "playlist.m3u8")
    assert done.returncode == 0, done.log
    assert len(done.played) == 6


def test_window_parts_and_blocks_last_as_long_as_the_running_order(pack, day, tmp_path):
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(tmp_path)
    files = {"sang": ["sang.mp3"], "chieu": ["chieu-1.mp3", "chieu-2.mp3"]}
    for window in day.windows:
        items = day.live_items(window.name)
        planned = (max(i.end for i in items) - window.start).total_seconds()
        blocks = sum(i.planned_s for i in items if i.kind in ("relay", "live"))
        played = sum(probe_duration(tmp_path / "windows" / name) for name in files[window.name])
        assert played + blocks == pytest.approx(planned, abs=0.1)


def test_the_log_book_says_which_part_plays_when_around_the_blocks(pack):
    with zipfile.ZipFile(pack) as archive:
        book = archive.read("running-order.html").decode("utf-8")
    assert "05:30:04–05:30:17: phát tệp sang.mp3</li>" in book  # one file, played at the relay's end
    assert "17:00:00–17:00:03: phát tệp chieu-1.mp3 (phần 1/2)" in book
    assert "Trực tiếp – Chủ tịch xã phát biểu: 17:00:03–17:00:05 (2 giây), phát trực tiếp tại micro" in book
    assert "17:00:05–17:00:09: phát tệp chieu-2.mp3 (phần 2/2)" in book


def test_the_same_day_gives_the_same_pack(pack, day, window_mp3s, tmp_path):
    again = write_day_pack(day, tmp_path / "again.zip", window_mp3s)
    assert again.read_bytes() == pack.read_bytes()


def _missing_window(window_mp3s, monkeypatch):
    """A window file gone by the time the pack reaches it, after the audio is in."""
    return {**window_mp3s, "chieu": [Path("/nonexistent/chieu.mp3")]}


def _failing_pdf(window_mp3s, monkeypatch):
    """A writer raising half-way through the pack."""
    def crash(*args, **kwargs):
        raise RuntimeError("font file unreadable")
    monkeypatch.setattr(daypack, "logbook_pdf", crash)
    return window_mp3s


@pytest.mark.parametrize(("crash", "error"), [(_missing_window, FileNotFoundError),
                                              (_failing_pdf, RuntimeError)])
def test_a_crash_mid_pack_leaves_the_old_pack_and_no_temp(crash, error, day, window_mp3s,
                                                          tmp_path, monkeypatch):
    out = tmp_path / "thanhky-2024-05-14.zip"
    out.write_bytes(b"yesterday's pack")
    windows = crash(window_mp3s, monkeypatch)
    with pytest.raises(error):
        write_day_pack(day, out, windows)
    assert out.read_bytes() == b"yesterday's pack"
    assert [path.name for path in tmp_path.iterdir()] == [out.name]


def test_an_unknown_window_is_refused_before_writing(day, window_mp3s, tmp_path):
    with pytest.raises(ValueError, match="no window 'trua'"):
        write_day_pack(day, tmp_path / "p.zip", {"trua": window_mp3s["sang"]})
    assert list(tmp_path.iterdir()) == []
