"""The operator's day pack: unzipped and played by mpv, window MP3s probed against the
running order, stable names and bytes, and no partial ZIP after a crash."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from audio_library.render import render_window
from schedules.exports import daypack
from schedules.exports.daypack import write_day_pack
from schedules.exports.windows import window_segments, window_tags
from tests.exports_kit import (probe_duration, probe_tags, run_mpv, sample_day, serve_folder,
                               shared_tones)

MEMBERS = [
    "audio/01-chuyen-doi-so-ban-tin-thu-3-so-20-a-b-chuyen-doi.mp3",
    "audio/02-chuyen-doi-so-tin-so-4.mp3",
    "audio/03-thong-bao-tiem-chung.mp3",
    "playlist.m3u8",
    "running-order.html",
    "running-order.json",
    "running-order.pdf",
    "windows/chieu.mp3",
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


@pytest.fixture(scope="module")
def window_mp3s(tmp_path_factory, day):
    folder = tmp_path_factory.mktemp("windows")
    return {name: render_window(window_segments(day, name), folder / f"{name}.mp3",
                                window_tags(day, name)).path
            for name in ("sang", "chieu")}


@pytest.fixture(scope="module")
def pack(tmp_path_factory, day, window_mp3s):
    return write_day_pack(day, tmp_path_factory.mktemp("pack") / "thanhky-2024-05-14.zip",
                          window_mp3s)


def test_window_segments_put_silence_where_nothing_can_be_in_a_file(day, tones):
    (a, b, c), _ = tones
    assert window_segments(day, "sang") == (
        (None, 0.0, 4.0), (a, 5.0, 2.0), (None, 8.0, 2.0), (b, 11.0, 3.0), (c, 16.0, 1.5))
    assert window_segments(day, "chieu") == ((a, 0.0, 2.0), (None, 3.0, 2.0), (b, 6.0, 3.0))


def test_window_tags_name_station_date_and_window(day, window_mp3s):
    assert window_tags(day, "sang") == {
        "title": "sang – 14/05/2024", "artist": "Đài truyền thanh xã Thanh Kỳ",
        "album": "Đài truyền thanh xã Thanh Kỳ – Thứ 3, 14/05/2024", "date": "2024-05-14",
        "comment": "Lịch phát phiên bản 7"}
    assert probe_tags(window_mp3s["sang"]) == window_tags(day, "sang")


def test_pack_holds_audio_playlist_windows_and_log_book(pack, tones, window_mp3s):
    (a, _, c), _ = tones
    with zipfile.ZipFile(pack) as archive:
        assert sorted(archive.namelist()) == MEMBERS
        assert archive.testzip() is None
        assert archive.read(MEMBERS[0]) == a.read_bytes()
        assert archive.read(MEMBERS[2]) == c.read_bytes()
        assert archive.read("windows/sang.mp3") == window_mp3s["sang"].read_bytes()
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


def test_window_mp3s_last_as_long_as_the_running_order(pack, day, tmp_path):
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(tmp_path)
    for window in day.windows:
        items = day.live_items(window.name)
        planned = (max(item.end for item in items) - window.start).total_seconds()
        assert probe_duration(tmp_path / "windows" / f"{window.name}.mp3") == pytest.approx(
            planned, abs=0.5)


def test_the_same_day_gives_the_same_pack(pack, day, window_mp3s, tmp_path):
    again = write_day_pack(day, tmp_path / "again.zip", window_mp3s)
    assert again.read_bytes() == pack.read_bytes()


def _missing_window(window_mp3s, monkeypatch):
    """A window file gone by the time the pack reaches it, after the audio is in."""
    return {**window_mp3s, "chieu": Path("/nonexistent/chieu.mp3")}


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
