"""The real receiver (`radio-device`, player none) against the real server on loopback, on a
compressed clock: every case of issue #7's "Done means"."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from radio.device_client.cache import file_sha256
from tests.device_client.kit import (
    add_episode, at, issue_emergency, link, played_sources, run_until, schedule, server_logs, slow_polls,
    start_receiver, watch_logs,
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
    assert b"HTTP/1.1 304 NOT MODIFIED" in link.answers  # polls with the ETag held
    assert not (media / ep1).exists()  # played and no longer scheduled: evicted


def test_a_download_cut_off_midway_resumes_with_a_range_request(api, link, tmp_path):
    slow_polls(api, 900)
    link.cut_after(b"Content-Type: audio/mpeg", 3000)  # the link dies 3000 bytes into the first audio answer
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "300")
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
        from radio.stores import media_store

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
    assert receiver.state["last_error"]["code"] == "audio_refused"  # the heartbeat's, worded by the pages


def test_an_emergency_bulletin_interrupts_within_one_poll_and_the_item_resumes(api, link, tones, tmp_path):
    slow_polls(api, 900)
    add_episode(api, tmp_path, "ep-long", 120)
    entries = schedule(api, "st-tk", [(TODAY, time(5, 35), "ep-long")])
    api.clock.now = at(TODAY, 5, 25)
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "30")
    run_until(receiver, api.clock, at(TODAY, 5, 36))  # a minute into the long item
    assert receiver.state["playing"]["id"] == entries["ep-long@05:35 24"] and receiver.state["interrupted"] is None
    issued_at = api.clock.now
    bulletin = issue_emergency(api, "TH-NT-TK-01")
    run_until(receiver, api.clock, issued_at + timedelta(seconds=30))  # one bulletin poll
    assert receiver.state["playing"]["id"] == bulletin
    assert receiver.state["interrupted"]["id"] == entries["ep-long@05:35 24"]
    run_until(receiver, api.clock, at(TODAY, 5, 45))
    logs = {entry: (status, started, ended, note) for entry, status, started, ended, note in server_logs(api)}
    status, started, ended, _ = logs[bulletin]
    assert status == "played" and issued_at <= started <= issued_at + timedelta(seconds=30)
    emergency_s = tones["ep-2"][1].duration_s
    assert (ended - started).total_seconds() == pytest.approx(emergency_s, abs=0.001)
    status, started, ended, note = logs[entries["ep-long@05:35 24"]]
    assert (status, started) == ("played", at(TODAY, 5, 35))
    assert note.startswith("interrupted at ") and note.endswith(f"by emergency bulletin {bulletin}, then resumed")
    long_s = 120  # the long item plays in full: before and after the bulletin
    assert (ended - started).total_seconds() == pytest.approx(long_s + emergency_s, abs=0.1)
    shown = api.cli("bulletin", "show", bulletin).output
    assert "device loa-01: fetched 24/11/2026 05:36, played 24/11/2026 05:36" in shown


def test_a_restart_mid_day_resumes_at_the_right_item(api, link, tmp_path, caplog):
    watch_logs(caplog)
    slow_polls(api)
    long = add_episode(api, tmp_path, "ep-long", 120)
    entries = schedule(api, "st-tk", [(TODAY, time(5, 35), "ep-long"), (TODAY, time(17, 0), "ep-1")])
    cache = tmp_path / "cache"
    first = start_receiver(api, link, cache, "--bulletin-seconds", "1800")
    run_until(first, api.clock, at(TODAY, 5, 36))  # the power fails a minute into the long item
    del first
    api.clock.now = at(TODAY, 5, 36, 20)
    caplog.clear()
    second = start_receiver(api, link, cache, "--bulletin-seconds", "1800")
    run_until(second, api.clock, at(TODAY, 17, 30))
    media = cache / "media"
    assert played_sources(caplog) == [str(media / long), str(media / api.world.media["ep-1"])]
    logs = [(entry, status, started, note) for entry, status, started, _, note in server_logs(api)]
    assert logs == [(api.world.entries["today"], "played", at(TODAY, 5, 30), None),
                    (entries["ep-long@05:35 24"], "played", at(TODAY, 5, 36, 20), "played again after a restart"),
                    (entries["ep-1@17:00 24"], "played", at(TODAY, 17), None)]


def test_a_restart_after_the_slot_ended_logs_the_cut_item_and_plays_on(api, link, tmp_path):
    slow_polls(api)
    add_episode(api, tmp_path, "ep-long", 120)
    entries = schedule(api, "st-tk", [(TODAY, time(5, 35), "ep-long"), (TODAY, time(17, 0), "ep-1")])
    first = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "1800")
    run_until(first, api.clock, at(TODAY, 5, 36))
    api.clock.now = at(TODAY, 9, 0)  # back after the long item's slot
    second = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "1800")
    run_until(second, api.clock, at(TODAY, 17, 30))
    logs = [(entry, status, note) for entry, status, _, _, note in server_logs(api)]
    assert logs == [(api.world.entries["today"], "played", None),
                    (entries["ep-long@05:35 24"], "failed", "interrupted by a restart of the receiver"),
                    (entries["ep-1@17:00 24"], "played", None)]


def test_audio_no_longer_scheduled_is_evicted_and_the_cache_stays_within_its_limit(api, link, tmp_path):
    slow_polls(api, 1800)
    ep1, ep2 = api.world.media["ep-1"], api.world.media["ep-2"]
    entries = schedule(api, "st-tk", [(TOMORROW, time(17, 0), "ep-3")])
    media = tmp_path / "cache" / "media"
    sizes = {sha: len(api.get(f"/media/{sha}", device="loa-01").content) for sha in (ep1, ep2)}
    limit = sizes[ep1] + 1000  # room for one file at a time
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "1800",
                              "--cache-limit-mb", str(limit / 1024 / 1024))
    used = []
    run_until(receiver, api.clock, at(TODAY, 5, 0), after_tick=lambda: used.append(receiver.cache.used_bytes()))
    assert sorted(p.name for p in media.iterdir()) == [ep1]  # the most urgent first; the others wait
    run_until(receiver, api.clock, at(TODAY, 6, 0), after_tick=lambda: used.append(receiver.cache.used_bytes()))
    assert sorted(p.name for p in media.iterdir()) == [ep2]  # ep-1 played: evicted, tomorrow's came
    assert max(used) <= limit
    result = api.cli("schedule", "cancel", api.world.entries["tomorrow"], "--as", "dai-tk")
    assert result.exit_code == 0, result.output
    run_until(receiver, api.clock, at(TODAY, 7, 0))
    ep3 = api.world.media["ep-3"]
    assert sorted(p.name for p in media.iterdir()) == [ep3]  # cancelled: ep-2 evicted, the next one came
    run_until(receiver, api.clock, at(TOMORROW, 17, 30))
    assert [(e, s) for e, s, *_ in server_logs(api)] == [(api.world.entries["today"], "played"),
                                                         (entries["ep-3@17:00 25"], "played")]


def test_expired_items_are_never_played(api, link, tmp_path, caplog):
    watch_logs(caplog)
    slow_polls(api, 900)
    api.clock.now = at(TODAY, 5, 30, 10)  # switched on after today's first item (3 s long) ended
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "300")
    run_until(receiver, api.clock, at(TODAY, 8, 0))
    assert played_sources(caplog) == []
    [(entry, status, _, _, note)] = server_logs(api)
    assert (entry, status) == (api.world.entries["today"], "skipped")
    assert note == "not started before the end of its slot (its audio was not here)"


def test_a_poll_now_notice_over_mqtt_brings_the_emergency_without_waiting(api, link, tmp_path):
    import threading
    import uuid

    from radio.device_client.notices import PollNotices

    prefix = f"radio-test-{uuid.uuid4().hex[:8]}"
    api.app.config.update(MQTT_URL="mqtt://127.0.0.1:1883", MQTT_TOPIC_PREFIX=prefix)
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "3600")
    receiver.tick()
    noticed = threading.Event()
    notices = PollNotices("mqtt://127.0.0.1:1883", prefix, "loa-01", lambda: (receiver.request_poll(), noticed.set()))
    try:
        assert notices.subscribed.wait(10), "no MQTT broker answered on 127.0.0.1:1883"
        bulletin = issue_emergency(api, "TH-NT-TK")
        assert noticed.wait(10)  # a real message from the server through the broker
    finally:
        notices.close()
    receiver.tick()  # the same instant: no bulletin poll was due for an hour
    assert receiver.state["playing"]["id"] == bulletin


def test_a_restart_during_an_emergency_plays_it_once_more_not_twice(api, link, tmp_path):
    slow_polls(api, 900)
    first = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "30")
    first.tick()
    bulletin = issue_emergency(api, "TH-NT-TK-01")
    run_until(first, api.clock, api.clock.now + timedelta(seconds=30))
    assert first.state["playing"]["id"] == bulletin
    second = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "30")
    run_until(second, api.clock, at(TODAY, 4, 30))
    logs = [(entry, status, note) for entry, status, _, _, note in server_logs(api)]
    assert logs == [(bulletin, "played", "played again after a restart")]


def test_a_device_clock_far_from_the_servers_is_reported(api, link, tmp_path, caplog):
    ahead = lambda: api.clock.now + timedelta(minutes=10)  # noqa: E731 — before NTP has set the time
    receiver = start_receiver(api, link, tmp_path / "cache", clock=ahead)
    receiver.tick()
    assert "this device's clock is +600 s off the server's: check NTP (timedatectl)" in caplog.text


def test_a_part_longer_than_the_servers_file_is_dropped_and_the_short_file_refused(api, link, tmp_path, caplog):
    slow_polls(api, 900)
    ep1 = api.world.media["ep-1"]
    with api.app.app_context():
        from radio.stores import media_store

        stored = media_store().path_for(ep1)
        stored.write_bytes(stored.read_bytes()[:1000])  # truncated on the server
    part = tmp_path / "cache" / "media" / f"{ep1}.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"\0" * 2000)  # an earlier, interrupted download
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "300")
    receiver.tick()
    assert not part.exists() and b"HTTP/1.1 416 REQUESTED RANGE NOT SATISFIABLE" in link.answers
    run_until(receiver, api.clock, at(TODAY, 6, 0))
    assert not (tmp_path / "cache" / "media" / ep1).exists()
    [(entry, status, _, _, note)] = server_logs(api)
    assert status == "failed" and "(1000 bytes)" in note


def test_a_cancelled_emergency_stops_mid_play_and_the_interrupted_item_resumes(api, link, tmp_path):
    slow_polls(api, 900)
    add_episode(api, tmp_path, "ep-long", 120)
    add_episode(api, tmp_path, "ep-alert", 90)
    entries = schedule(api, "st-tk", [(TODAY, time(5, 35), "ep-long")])
    item = entries["ep-long@05:35 24"]
    api.clock.now = at(TODAY, 5, 25)
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "30")
    run_until(receiver, api.clock, at(TODAY, 5, 36))  # a minute into the long item
    bulletin = issue_emergency(api, "TH-NT-TK-01", "ep-alert")
    run_until(receiver, api.clock, at(TODAY, 5, 36, 30))  # the bulletin poll brings it: it interrupts
    assert (receiver.state["playing"]["id"], receiver.state["interrupted"]["id"]) == (bulletin, item)
    assert api.cli("bulletin", "cancel", bulletin, "--as", "vanhoa").exit_code == 0  # a wrong message
    run_until(receiver, api.clock, at(TODAY, 5, 37))  # the next bulletin poll withdraws it
    assert receiver.state["playing"]["id"] == item and receiver.state["interrupted"] is None
    run_until(receiver, api.clock, at(TODAY, 5, 45))
    logs = {entry: (status, note) for entry, status, _, _, note in server_logs(api)}
    assert logs[bulletin][0] == "skipped" and logs[bulletin][1].startswith("stopped at ")
    assert logs[item][0] == "played" and logs[item][1].endswith(f"by emergency bulletin {bulletin}, then resumed")


def test_a_download_cut_inside_its_headers_is_retried_not_set_aside_as_bad(api, link, tmp_path):
    slow_polls(api, 900)
    link.cut_after(b"Content-Type: audio/mpeg", 0)  # the answer ends before its length and body
    receiver = start_receiver(api, link, tmp_path / "cache", "--bulletin-seconds", "300")
    receiver.tick()
    ep1, media = api.world.media["ep-1"], tmp_path / "cache" / "media"
    assert receiver.state["bad_media"] == {} and not (media / ep1).exists()
    run_until(receiver, api.clock, receiver.next_wake())  # the retry, after the backoff
    assert file_sha256(media / ep1) == ep1 and receiver.state["bad_media"] == {}
    run_until(receiver, api.clock, at(TODAY, 5, 31))
    assert [(e, s) for e, s, *_ in server_logs(api)] == [(api.world.entries["today"], "played")]
