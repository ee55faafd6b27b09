"""The receiver's parts on their own: the choosing rules, the cache, the play-log outbox, the
state file and the backoff (no server needed)."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest

from radio.device_client.airings import FeedError, Media, bulletins_from, due, expired, items_from, wanted_media
from radio.device_client.cache import MediaCache
from radio.device_client.playlogs import PlayLogQueue
from radio.device_client.retry import Backoff
from radio.device_client.state import State

T0 = datetime(2026, 11, 24, 5, 30, tzinfo=timezone(timedelta(hours=7)))


def item(id_, minute, seconds=60, sha="a"):
    start = T0 + timedelta(minutes=minute)
    return {"id": id_, "kind": "episode", "title": id_, "start": start.isoformat(),
            "end": (start + timedelta(seconds=seconds)).isoformat(),
            "media": {"url": "u", "sha256": sha * 64, "bytes": 10, "duration_s": seconds}, "stream": None}


def emergency(id_, minute, hours=2, sha="e"):
    start = T0 + timedelta(minutes=minute)
    return {"id": id_, "title": id_, "valid_from": start.isoformat(),
            "valid_until": (start + timedelta(hours=hours)).isoformat(),
            "media": {"url": "u", "sha256": sha * 64, "bytes": 10, "duration_s": 5}}


def test_emergencies_come_first_then_items_by_start_while_their_slot_lasts():
    airings = items_from({"items": [item("b", 1), item("a", 0)]}) + bulletins_from([emergency("x", 0)])
    assert [a.id for a in due(airings, set(), T0 + timedelta(seconds=30))] == ["x", "a"]
    assert [a.id for a in due(airings, {"x"}, T0 + timedelta(minutes=1, seconds=30))] == ["b"]  # a expired
    assert [a.id for a in expired(airings, {"x"}, T0 + timedelta(minutes=1, seconds=30))] == ["a"]
    assert due(airings, set(), T0 - timedelta(seconds=1)) == []


def test_wanted_audio_is_the_coming_airings_most_urgent_first_once_each():
    airings = items_from({"items": [item("a", 0, sha="a"), item("b", 5, sha="b"), item("c", 9, sha="a")]}) + \
        bulletins_from([emergency("x", 3, sha="e")])
    assert [m.sha256[0] for m in wanted_media(airings, set(), T0 + timedelta(minutes=4))] == ["e", "b", "a"]
    assert [m.sha256[0] for m in wanted_media(airings, {"x", "b"}, T0 + timedelta(minutes=4))] == ["a"]


@pytest.mark.parametrize("broken, message", [
    ({"start": "tomorrow"}, "items[1]: items[1].start: 'tomorrow' is not an ISO 8601 date and time"),
    ({"end": "2026-11-24T05:30:00"}, "has no UTC offset"),
    ({"media": {"url": "u"}}, "items[1]: media is incomplete"),
])
def test_a_schedule_that_cannot_be_read_is_refused_naming_the_item(broken, message):
    with pytest.raises(FeedError, match=message.replace("[", r"\[").replace("]", r"\]")):
        items_from({"items": [item("a", 0), {**item("b", 1), **broken}]})


def test_the_cache_keeps_the_most_urgent_that_fit_and_evicts_the_rest(tmp_path):
    cache = MediaCache(tmp_path, limit_bytes=25)
    media = [Media("u", c * 64, 10, 1) for c in "abc"]
    assert [m.sha256[0] for m in cache.fits(media)] == ["a", "b"]
    for name in ("a" * 64, "c" * 64, "d" * 64 + ".part", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    assert cache.keep_only({"a" * 64}) == ["c" * 64, "d" * 64]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a" * 64, "notes.txt"]  # only its own files go
    with pytest.raises(ValueError, match="is not a sha256"):
        cache.path("../../etc/passwd")


def test_a_cached_file_that_no_longer_matches_is_deleted_not_used(tmp_path):
    good = b"audio bytes"
    sha = hashlib.sha256(good).hexdigest()
    cache = MediaCache(tmp_path)
    cache.path(sha).write_bytes(good)
    assert cache.verified(sha) == tmp_path / sha
    cache.path(sha).write_bytes(b"audio bytez")  # a failing SD card
    assert cache.verified(sha) is None and not cache.has(sha)


def test_logs_leave_the_outbox_only_when_acknowledged(tmp_path):
    queue = PlayLogQueue(tmp_path)
    first, second, third = (queue.add({"entry_id": n, "started_at": f"2026-11-24T05:3{n}:00+07:00",
                                       "status": "played"}) for n in range(3))
    sent = queue.pending(10)
    assert [e["uuid"] for e in sent] == [first, second, third]
    assert queue.settle(sent, {"stored": [first], "duplicate": [], "refused": [
        {"index": 1, "uuid": second, "reason": "unknown entry"}]}) == (1, 1)
    assert [e["uuid"] for e in queue.pending(10)] == [third]  # not named in the answer: kept
    kept = json.loads((tmp_path / "refused" / f"{second}.json").read_text())
    assert kept["refused_because"] == "unknown entry"
    assert queue.settle(queue.pending(10), {"stored": [], "duplicate": [third], "refused": []}) == (1, 0)
    assert len(queue) == 0


def test_state_survives_a_restart_and_a_broken_file_is_set_aside(tmp_path):
    path = tmp_path / "state.json"
    state = State(path)
    assert state.save() is False  # nothing changed: nothing written
    state.mark_done("a", "played", T0)
    state.mark_done("b", "played", T0 + timedelta(days=3))
    assert state.save() is True and State(path).done == {"a", "b"}
    state.forget_old(T0 + timedelta(days=2, seconds=1))
    assert state.done == {"b"}
    path.write_text('{"done": ')
    assert State(path).done == set() and (tmp_path / "state.json.broken").exists()


def test_backoff_doubles_to_its_cap_with_a_steady_per_device_spread():
    backoff = Backoff("loa-01", first_s=10, cap_s=300)
    waits = [backoff.failed(T0) for _ in range(7)]
    spread = waits[0] / 10
    assert 0.75 <= spread <= 1.25 and waits == [pytest.approx(min(10 * 2 ** n, 300) * spread) for n in range(7)]
    assert not backoff.ready(T0) and backoff.ready(T0 + timedelta(seconds=waits[-1]))
    assert Backoff("loa-01").spread == backoff.spread != Backoff("loa-02").spread
    backoff.succeeded()
    assert backoff.ready(T0) and backoff.failed(T0) == pytest.approx(10 * spread)


def test_a_heartbeat_answer_offers_mqtt_for_play_logs_only_with_its_three_fields():
    from radio.device_client.receiver.mqtt_logs import offer_from

    offer = {"topic": "radio/devices/loa-01/playlogs", "ack_topic": "radio/devices/loa-01/playlogs/ack",
             "key": "ab" * 32}
    assert offer_from({"device": "loa-01", "playlogs_mqtt": {**offer, "later": 1}}) == offer
    assert offer_from({"device": "loa-01"}) is None  # the server's intake is off: HTTP
    assert offer_from({"playlogs_mqtt": {**offer, "key": ""}}) is None
    assert offer_from({"playlogs_mqtt": {**offer, "topic": None}}) is None
    assert offer_from({"playlogs_mqtt": "yes"}) is None and offer_from(["not", "an", "object"]) is None
