"""The player adapters with the real programs: mpv and ffplay really decode and play the file
(to a WAV file or a dummy audio driver: no sound card needed); `none` only keeps time."""
from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from audio_library import probe
from audio_library.canonical import measure_loudness
from radio.device_client.players import NonePlayer, PlayerError, ProcessPlayback, ProcessPlayer, make_player


@pytest.fixture(scope="module")
def tone(tmp_path_factory):
    path = tmp_path_factory.mktemp("player") / "tone.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-ac", "1",
                    "-b:a", "64k", "-y", str(path)], check=True)
    return path


def finish(playback, seconds: float = 60):
    playback.process.wait(timeout=seconds)
    assert playback.is_done()
    return playback


def test_mpv_plays_the_file_from_the_offset_asked(tone, tmp_path):
    for offset, name in ((0, "whole.wav"), (1.5, "rest.wav")):
        out = tmp_path / name
        player = ProcessPlayer("mpv", ["--ao=pcm", f"--ao-pcm-file={out}"])
        playback = finish(player.start(str(tone), offset, 2))
        assert playback.error is None
        assert probe(out).duration_s == pytest.approx(2 - offset, abs=0.1)  # what mpv decoded and played


def test_mpv_plays_at_the_volume_it_is_given_even_after_an_installers_own(tone, tmp_path):
    levels = {}
    for volume in (None, 50):
        out = tmp_path / f"volume-{volume}.wav"
        player = ProcessPlayer("mpv", ["--ao=pcm", f"--ao-pcm-file={out}", "--volume=100"], volume=volume)
        assert player.volume == volume  # what the heartbeat tells
        assert finish(player.start(str(tone), 0, 2)).error is None
        levels[volume] = measure_loudness(out).integrated_lufs
    assert 15 < levels[None] - levels[50] < 21  # mpv's volume is cubic: 50 % is about 18 dB down


def test_a_volume_outside_0_to_100_is_refused():
    with pytest.raises(PlayerError, match="volume must be 0 to 100, got 101"):
        ProcessPlayer("mpv", volume=101)


def test_mpv_reports_a_file_it_cannot_play(tmp_path):
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"not audio at all" * 100)
    playback = finish(ProcessPlayer("mpv", ["--ao=null"]).start(str(broken), 0, 2))
    assert playback.error is not None and playback.error.startswith("mpv exited with")


def test_a_player_that_cannot_start_is_a_player_error(tmp_path):
    gone = tmp_path / "mpv"  # removed since the receiver started
    with pytest.raises(PlayerError, match=f"{gone} could not start: No such file"):
        ProcessPlayback([str(gone), "file.mp3"])


def test_a_stopped_player_ends_at_once_without_an_error(tone):
    playback = ProcessPlayer("mpv", ["--ao=null", "--loop-file=inf"]).start(str(tone), 0, 2)
    assert not playback.is_done() and playback.is_running()
    playback.stop()
    assert playback.is_done() and not playback.is_running() and playback.error is None


def test_ffplay_plays_the_file(tone, monkeypatch):
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")  # no sound card on a test machine
    playback = finish(ProcessPlayer("ffplay").start(str(tone), 0, 2))
    assert playback.error is None and playback.process.returncode == 0


def test_none_keeps_time_on_the_injected_clock():
    now = [datetime(2026, 11, 24, tzinfo=timezone.utc)]
    playback = NonePlayer(lambda: now[0]).start("file.mp3", 0.5, 3)
    assert not playback.is_done()
    now[0] += timedelta(seconds=2.4)
    assert not playback.is_done()
    now[0] += timedelta(seconds=0.1)
    assert playback.is_done() and playback.error is None


def test_unknown_or_missing_players_are_refused_plainly():
    with pytest.raises(PlayerError, match="unknown player 'vlc'"):
        make_player("vlc", None)
    with pytest.raises(PlayerError, match="is not installed"):
        ProcessPlayer("mpv-not-here")
