"""What the real receiver says of itself in its heartbeats, with the real mpv, stored by the
real server on loopback: uptime on its own clock, whether the player runs, the last playback
error (kept across a restart), and the network as a fake /proc and /sys tree describes it."""
from __future__ import annotations

from datetime import time

import pytest

from radio.device_client.state import State
from tests.device_client.kit import (
    add_broken_episode, at, link, run_until, schedule, server_logs, slow_polls, start_receiver, stored_heartbeat,
)
from tests.device_client.test_network import fake_tree
from tests.radio.api_kit import TODAY, api, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db
MPV = ("--player", "mpv", "--player-arg=--ao=null")


def test_the_heartbeat_says_whether_mpv_is_playing_how_long_it_has_run_and_its_network(api, link, tmp_path):
    slow_polls(api, 900)
    receiver = start_receiver(api, link, tmp_path / "cache", *MPV, "--player-arg=--loop-file=inf", "--volume", "70")
    receiver.reports.system_root = fake_tree(tmp_path / "system", [("eth0", "00000000", "0003", 0)], {"eth0": "1"})
    try:
        run_until(receiver, api.clock, at(TODAY, 5, 0))
        idle = stored_heartbeat(api)
        assert (idle["uptime_s"], idle["player_running"], idle["network"]) == (3600, False, {"type": "ethernet"})
        assert "now_playing" not in idle and "last_error" not in idle  # nothing to say: absent, not null
        assert idle["volume"] == 70  # the volume mpv was given
        run_until(receiver, api.clock, at(TODAY, 5, 30))  # ep-1 starts, looping: mpv runs until stopped
        playing = stored_heartbeat(api)
        assert (playing["uptime_s"], playing["player_running"]) == (5400, True)
        assert playing["now_playing"]["id"] == api.world.entries["today"]
        assert receiver.playback.process.poll() is None  # the real process the heartbeat spoke of
    finally:
        receiver.close()


def test_a_failed_playback_is_the_last_error_and_outlives_a_restart(api, link, tmp_path):
    slow_polls(api, 900)
    broken = add_broken_episode(api, tmp_path, "ep-hong", 20)
    [entry] = schedule(api, "st-tk", [(TODAY, time(5, 0), "ep-hong")]).values()
    cache = tmp_path / "cache"
    receiver = start_receiver(api, link, cache, *MPV)
    try:
        run_until(receiver, api.clock, at(TODAY, 5, 0))  # fetched (its sha256 matches) and handed to mpv
        assert (cache / "media" / broken).exists() and receiver.playback is not None
        receiver.playback.process.wait(timeout=60)  # mpv gives up on it
        run_until(receiver, api.clock, at(TODAY, 5, 15))  # the next heartbeat
    finally:
        receiver.close()
    error = stored_heartbeat(api)["last_error"]
    assert error["at"] == at(TODAY, 5, 0).isoformat()
    assert error["code"] == "player_failed"  # what the pages word for their readers
    assert error["message"].startswith("Tin dài ep-hong: mpv exited with ") and len(error["message"]) <= 300
    assert [(e, s) for e, s, *_ in server_logs(api)] == [(entry, "failed")]
    assert State(cache / "state.json")["last_error"] == error  # on disk

    again = start_receiver(api, link, cache, *MPV)
    again.reports.system_root = tmp_path / "nothing"  # no /proc, no /sys: nothing said of the network
    try:
        again.tick()  # a fresh start sends a heartbeat at once
    finally:
        again.close()
    after = stored_heartbeat(api)
    assert after["last_error"] == error and after["uptime_s"] == 0 and after["player_running"] is False
    assert "network" not in after and "volume" not in after  # mpv left at its own volume: none told


def test_a_player_that_cannot_start_is_the_last_error(api, link, tmp_path):
    slow_polls(api, 900)
    receiver = start_receiver(api, link, tmp_path / "cache", *MPV)
    gone = tmp_path / "mpv"  # mpv removed while the receiver runs (not PATH: the served app shares this process)
    receiver.player.COMMANDS = {"mpv": lambda offset: [str(gone)]}
    try:
        run_until(receiver, api.clock, at(TODAY, 5, 45))  # heartbeats at 5:30 and 5:45
    finally:
        receiver.close()
    error = stored_heartbeat(api)["last_error"]
    assert error == {"at": at(TODAY, 5, 30).isoformat(), "code": "player_not_started",
                     "message": f"Bản tin Chuyển đổi số ep-1: {gone} could not start: No such file or directory"}
    assert [(e, s) for e, s, *_ in server_logs(api)] == [(api.world.entries["today"], "failed")]


def test_cached_audio_found_corrupt_before_it_plays_is_the_last_error(api, link, tmp_path):
    slow_polls(api, 900)
    cache = tmp_path / "cache"
    receiver = start_receiver(api, link, cache)
    run_until(receiver, api.clock, at(TODAY, 5, 0))
    (cache / "media" / api.world.media["ep-1"]).write_bytes(b"\0" * 1000)  # the SD card failed
    run_until(receiver, api.clock, at(TODAY, 5, 30))
    receiver.close()
    error = State(cache / "state.json")["last_error"]
    assert error == {"at": at(TODAY, 5, 30).isoformat(), "code": "cache_mismatch",
                     "message": "Bản tin Chuyển đổi số ep-1: the cached audio no longer matched its sha256 "
                                "(deleted, to be fetched again)"}
