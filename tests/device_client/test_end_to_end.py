"""The real receiver (`radio-device`, player none) against the real server on loopback, on a
compressed clock: every case of issue #7's "Done means"."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from radio.device_client.cache import file_sha256
from tests.device_client.kit import (
    add_episode, at, link, played_sources, run_until, schedule, server_logs, slow_polls, start_receiver, watch_logs,
)
from tests.radio.api_kit import TODAY, api, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db
TOMORROW = TODAY + timedelta(days=1)


def test_sync_play_and_every_log_arrives_once(api, link, tones, tmp_path, caplog):
    watch_logs(caplog)
    slow_polls(api, 900)
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "300")
    run_until(receiver, api.clock, at(TODAY, 5, 0))
    ep1 = api.world.media["ep-1"]
    media = tmp_path / "cache" / "media"
    assert file_sha256(media / ep1) == ep1 and (media / api.world.media["ep-2"]).exists()  # today's and tomorrow's
    assert played_sources(caplog) == [] and server_logs(api) == []
    run_until(receiver, api.clock, at(TODAY, 6, 0))
    assert played_sources(caplog) == [str(media / ep1)]
    [(entry, status, started, ended, note)] = server_logs(api)
    assert (entry, status, started, note) == (api.world.entries["today"], "played", at(TODAY, 5, 30), None)
    assert (ended - started).total_seconds() == pytest.approx(tones["ep-1"][1].duration_s, abs=0.001)
    assert len(receiver.logs) == 0
    run_until(receiver, api.clock, at(TODAY, 8, 0))
    assert len(server_logs(api)) == 1  # later uploads never send it again
    assert not (media / ep1).exists()  # played and no longer scheduled: evicted


def test_a_download_cut_off_midway_resumes_with_a_range_request(api, link, tmp_path):
    link.cut_after(b"Content-Type: audio/mpeg", 3000)  # the link dies 3000 bytes into the first audio answer
    receiver = start_receiver(api, link, tmp_path / "cache")
    receiver.tick()
    ep1, media = api.world.media["ep-1"], tmp_path / "cache" / "media"
    part = (media / ep1).with_suffix(".part")
    assert 0 < part.stat().st_size < 3000 and not (media / ep1).exists()
    run_until(receiver, api.clock, receiver.next_wake())  # the retry, after the backoff
    assert file_sha256(media / ep1) == ep1 and not part.exists()
    assert [a for a in link.answers if b" 206 " in a] == [b"HTTP/1.1 206 PARTIAL CONTENT"]
    run_until(receiver, api.clock, at(TODAY, 5, 31))
    assert [(e, s) for e, s, *_ in server_logs(api)] == [(api.world.entries["today"], "played")]


def test_a_day_without_the_server_plays_from_the_cache_and_loses_no_log(api, link, tmp_path, caplog):
    watch_logs(caplog)
    slow_polls(api)
    long = add_episode(api, tmp_path, "ep-long", 20)
    entries = schedule(api, "st-tk", [(TODAY, time(17, 0), "ep-long"), (TOMORROW, time(17, 0), "ep-1")])
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "900")
    run_until(receiver, api.clock, at(TODAY, 4, 10))
    link.down()
    run_until(receiver, api.clock, at(TOMORROW, 20, 0))
    media = tmp_path / "cache" / "media"
    assert played_sources(caplog) == [str(media / sha) for sha in (
        api.world.media["ep-1"], long, api.world.media["ep-2"], api.world.media["ep-1"])]
    assert server_logs(api) == [] and len(receiver.logs) == 4
    link.cut_after(b'"stored"', 0)  # the first upload is stored, but its answer is lost on the way back
    link.up()
    seen = []
    run_until(receiver, api.clock, at(TOMORROW, 20, 15),
              after_tick=lambda: seen.append((len(receiver.logs), len(server_logs(api)))))
    assert (4, 4) in seen  # stored on the server while the receiver, without an answer, still held them
    assert seen[-1] == (0, 4)  # sent again: acknowledged as duplicates, and not counted twice
    logs = server_logs(api)
    assert [(e, s) for e, s, *_ in logs] == [
        (api.world.entries["today"], "played"), (entries["ep-long@17:00 24"], "played"),
        (api.world.entries["tomorrow"], "played"), (entries["ep-1@17:00 25"], "played")]
    assert [started for _, _, started, *_ in logs] == [at(TODAY, 5, 30), at(TODAY, 17), at(TOMORROW, 5, 30),
                                                       at(TOMORROW, 17)]


def test_corrupted_audio_on_the_server_is_refused_and_never_played(api, link, tmp_path, caplog):
    watch_logs(caplog)
    slow_polls(api, 900)
    ep1 = api.world.media["ep-1"]
    with api.app.app_context():
        from radio.media.operations import media_store

        stored = media_store().path_for(ep1)
        data = bytearray(stored.read_bytes())
        data[len(data) // 2] ^= 0xFF  # one flipped byte, same size
        stored.write_bytes(bytes(data))
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "300")
    run_until(receiver, api.clock, at(TODAY, 6, 0))
    assert not (tmp_path / "cache" / "media" / ep1).exists()
    assert not any(ep1 in source for source in played_sources(caplog))
    [(entry, status, _, _, note)] = server_logs(api)
    assert (entry, status) == (api.world.entries["today"], "failed")
    assert note.startswith(f"audio refused: audio {ep1} arrived with sha256 ")
    assert any("refused (never played)" in r.getMessage() for r in caplog.records)
