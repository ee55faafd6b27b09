"""A window as one MP3: stream-copied joins, silence where the schedule has gaps or relays,
ID3 tags, refusals before anything is written, and nothing left behind by a killed ffmpeg."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from audio_library.render import FRAME_S, RenderResult, canonical_frames, render_window
from audio_library.tools import ToolFailedError
from tests.exports_kit import probe_duration, probe_tags, shared_tones

TAGS = {"title": "sang – 14/05/2024", "artist": "Đài truyền thanh xã Thanh Kỳ",
        "album": "Thứ 3, 14/05/2024"}


@pytest.fixture(scope="module")
def tones(tmp_path_factory):
    return shared_tones(tmp_path_factory)


def sound_starts(path: Path) -> list[float]:
    """Where sound begins after each stretch of silence, as ffmpeg's silencedetect hears it."""
    done = subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-i", str(path),
         "-af", "silencedetect=noise=-50dB:d=0.3", "-f", "null", "-"],
        check=True, capture_output=True, text=True)
    ends = [float(value) for value in re.findall(r"silence_end: ([\d.]+)", done.stderr)]
    return [end for end in ends if end < probe_duration(path) - 0.1]  # not the file's end


def decode_errors(path: Path) -> str:
    """What a full decode complains about: joins by stream copy must leave nothing."""
    return subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "null", "-"],
                          check=True, capture_output=True, text=True).stderr


def test_gaps_and_relays_become_silence_and_items_start_on_time(tones, tmp_path):
    (a, b, _), (da, db, _) = tones
    out = tmp_path / "sang.mp3"
    result = render_window([(a, 1.0, da), (None, 4.0, 3.0), (b, 8.0, db)], out, TAGS)
    assert result == RenderResult(out, pytest.approx(8.0 + db, abs=0.1))
    assert probe_duration(out) == pytest.approx(result.duration_s, abs=0.001)
    assert sound_starts(out) == [pytest.approx(1.0, abs=0.06), pytest.approx(8.0, abs=0.06)]
    assert decode_errors(out) == ""


def test_many_items_land_on_their_offsets_without_drift(tones, tmp_path):
    (_, _, c), (_, _, dc) = tones
    items = [(c, 0.5 + 2.0 * i, dc) for i in range(12)]
    result = render_window(items, tmp_path / "w.mp3", TAGS)
    starts = sound_starts(result.path)
    assert starts == [pytest.approx(offset, abs=0.06) for _, offset, _ in items]
    assert probe_duration(result.path) == pytest.approx(0.5 + 2.0 * 11 + dc, abs=0.5)


def test_back_to_back_files_are_joined_whole_by_stream_copy(tones, tmp_path):
    (a, b, c), (da, db, dc) = tones
    result = render_window([(a, 0, da), (b, da, db), (c, da + db, dc)], tmp_path / "w.mp3", {})
    frames = sum(canonical_frames(path) for path in (a, b, c))
    assert canonical_frames(result.path) == frames
    assert result.duration_s == pytest.approx(frames * FRAME_S)
    assert probe_duration(result.path) == pytest.approx(da + db + dc, abs=0.5)
    assert decode_errors(result.path) == ""


def test_a_long_relay_is_silence_of_its_length(tones, tmp_path):
    (a, _, _), (da, _, _) = tones
    result = render_window([(a, 0, da), (None, da, 150.0)], tmp_path / "relay.mp3", {})
    assert probe_duration(result.path) == pytest.approx(da + 150.0, abs=0.05)
    assert sound_starts(result.path) == []


def test_a_part_before_a_relay_lasts_until_the_relay_starts(tones, tmp_path):
    (a, _, _), (da, _, _) = tones
    result = render_window([(a, 1.0, da)], tmp_path / "part.mp3", {}, length_s=12.0)
    assert probe_duration(result.path) == pytest.approx(12.0, abs=0.06)  # within 2 MP3 frames
    assert result.duration_s == pytest.approx(12.0, abs=0.06)
    assert sound_starts(result.path) == [pytest.approx(1.0, abs=0.06)]
    shorter = render_window([(a, 1.0, da)], tmp_path / "short.mp3", {}, length_s=0.5)
    assert probe_duration(shorter.path) == pytest.approx(1.0 + da, abs=0.1)  # never cuts an item


def test_tags_name_station_date_and_window_in_id3v2_3(tones, tmp_path):
    (a, _, _), (da, _, _) = tones
    result = render_window([(a, 0, da)], tmp_path / "tags.mp3", TAGS)
    assert result.path.read_bytes()[:4] == b"ID3\x03"
    assert probe_tags(result.path) == TAGS


@pytest.mark.parametrize("make", [
    ("-c:a", "libmp3lame", "-b:a", "192k"),
    ("-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k"),
    ("-c:a", "pcm_s16le", "-f", "wav"),
], ids=["192k", "stereo", "wav"])
def test_a_file_not_in_the_canonical_format_is_refused(make, tmp_path):
    source = tmp_path / "odd.mp3"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                    "sine=duration=1", *make, str(source)], check=True)
    out = tmp_path / "out.mp3"
    with pytest.raises(ValueError, match="odd.mp3: not a canonical MP3"):
        render_window([(source, 0, 1.0)], out, {})
    assert not out.exists()


@pytest.mark.parametrize(("items", "message"), [
    ([], "nothing to render"),
    ([(None, 0, 2.0), (None, 1.5, 1.0)], r"item 2 starts at 1\.500 s, before .* \(2\.000 s\)"),
    ([(None, -1, 1.0)], "item 1: offset -1"),
    ([(None, 0, 0.0)], "duration positive"),
    ([(None, 0, float("nan"))], "must be finite"),
    ([(None, 0, 0.01)], "shorter than one MP3 frame"),
])
def test_bad_timings_are_refused_before_writing(items, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        render_window(items, tmp_path / "out.mp3", {})
    assert list(tmp_path.iterdir()) == []


def test_touching_items_are_not_overlaps(tmp_path):
    result = render_window([(None, 0, 0.1 + 0.2), (None, 0.3, 1.0)], tmp_path / "s.mp3", {})
    assert result.duration_s == pytest.approx(1.3, abs=FRAME_S)


def test_a_killed_ffmpeg_leaves_nothing_under_the_final_name(tones, tmp_path, monkeypatch):
    """ffmpeg killed half-way through the join: the old file stays, no temp is left."""
    (a, _, _), (da, _, _) = tones
    real = shutil.which("ffmpeg")
    fake = tmp_path / "bin" / "ffmpeg"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nfor last; do :; done\n"
                    'case "$*" in *concat*) printf partial > "$last"; kill -9 $$;; esac\n'
                    f'exec {real} "$@"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "out" / "sang.mp3"
    out.parent.mkdir()
    out.write_bytes(b"yesterday's window")
    with pytest.raises(ToolFailedError, match="exit status -9"):
        render_window([(a, 0, da), (None, 3.0, 1.0)], out, TAGS)
    assert out.read_bytes() == b"yesterday's window"
    assert [path.name for path in out.parent.iterdir()] == ["sang.mp3"]
