"""The device pull API over real HTTP: who may call it, what the schedule holds, ETag/304,
and errors that are always JSON."""
from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from radio.models import ScheduleEntry, Station
from radio.schedule.operations import cancel_entry
from tests.radio.api_kit import START, TODAY, TZ, add_entry, api, assert_error, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db
SCHEDULE = "/devices/loa-01/schedule"


def test_a_device_needs_its_own_current_token(api):
    assert_error(api.get(SCHEDULE), 401)
    assert api.get(SCHEDULE).headers["WWW-Authenticate"].startswith("Bearer")
    assert_error(api.get(SCHEDULE, device="not-a-token"), 401)
    assert_error(api.get(SCHEDULE, headers={"Authorization": f"Basic {api.world.tokens['loa-01']}"}), 401)
    assert api.get(SCHEDULE, device="loa-01").status_code == 200


def test_another_devices_path_is_403_with_no_data(api):
    for path in (SCHEDULE, "/devices/loa-01/bulletins", "/devices/nowhere/schedule"):
        response = api.get(path, device="loa-02")
        assert_error(response, 403)
        assert api.world.entries["today"] not in response.text and "st-tk" not in response.text
    response = api.post("/devices/loa-01/playlogs", device="loa-02", json=[])
    assert_error(response, 403)


def test_a_revoked_or_replaced_token_is_refused(api):
    old = api.world.tokens["loa-01"]
    new = api.cli("device-token", "loa-01").output.strip()
    assert_error(api.get(SCHEDULE, device=old), 401)
    assert api.get(SCHEDULE, device=new).status_code == 200
    assert api.cli("device-token", "loa-01", "--revoke").exit_code == 0
    assert_error(api.get(SCHEDULE, device=new), 401)


def test_the_schedule_holds_the_stations_items_and_the_villages_own(api):
    body = api.get(SCHEDULE, device="loa-01").json()
    ids = [item["id"] for item in body["items"]]
    assert ids == [api.world.entries["today"], api.world.entries["tomorrow"]]  # no reservation, cancelled, other village
    assert (body["device"], body["station"]["code"], body["timezone"]) == ("loa-01", "st-tk", "Asia/Ho_Chi_Minh")
    assert body["poll_seconds"] == 60 and body["bulletins"] == []
    assert body["valid_until"] == "2026-11-27T00:00:00+07:00"  # three whole local days
    first = body["items"][0]
    assert first["start"] == "2026-11-24T05:30:00+07:00" and first["end"].endswith("+07:00")
    assert (first["kind"], first["series"], first["priority"], first["stream"]) == ("episode", "cds", "normal", None)
    assert first["episode"] == "kh-nt/cds/ep-1"
    media = first["media"]
    assert media["sha256"] == api.world.media["ep-1"] and media["mime"] == "audio/mpeg"
    assert media["url"] == f"{api.base}/api/v1/media/{media['sha256']}" and media["bytes"] > 1000
    assert media["duration_s"] == pytest.approx(3, abs=0.1)
    other = api.get("/devices/loa-02/schedule", device="loa-02").json()
    assert api.world.entries["village-02"] in [item["id"] for item in other["items"]]


def test_days_chooses_how_far_ahead_and_is_checked(api):
    one = api.get(SCHEDULE + "?days=1", device="loa-01").json()
    assert [item["id"] for item in one["items"]] == [api.world.entries["today"]]
    assert one["valid_until"] == "2026-11-25T00:00:00+07:00"
    for bad in ("0", "15", "abc", "-1", "2.5", "²", "١"):
        assert_error(api.get(f"{SCHEDULE}?days={bad}", device="loa-01"), 400, "bad_parameter")
    assert api.get(SCHEDULE + "?days=14", device="loa-01").status_code == 200


def test_relays_carry_their_stream_and_no_media(api):
    with api.session() as session:
        station = session.scalar(select(Station).where(Station.code == "st-tk"))
        relay = add_entry(session, station, TODAY, time(17, 0), kind="relay", source="http://vov1.example/stream",
                          title="Tiếp sóng VOV1")
        station.schedule_changed(api.clock.now)
        session.commit()
        relay_id = str(relay.uuid)
    items = {item["id"]: item for item in api.get(SCHEDULE, device="loa-01").json()["items"]}
    assert items[relay_id]["stream"] == "http://vov1.example/stream"
    assert items[relay_id]["media"] is None and items[relay_id]["kind"] == "relay"


def test_etag_304_until_the_schedule_or_the_day_changes(api):
    first = api.get(SCHEDULE, device="loa-01")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = api.get(SCHEDULE, device="loa-01", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    api.clock.advance(minutes=10)
    same = api.get(SCHEDULE, device="loa-01")
    assert same.headers["ETag"] == etag and same.content == first.content  # one ETag, one body
    with api.session() as session:
        entry = session.scalar(select(ScheduleEntry).where(ScheduleEntry.title == "Bản tin Chuyển đổi số ep-1"))
        from tests.factories import create_user
        from radio.models import Area

        operator = create_user(session, "tk-op", "operator", session.scalar(select(Area).where(Area.code == "TH-NT-TK")))
        cancel_entry(session, operator, entry, now=api.clock.now)
        session.commit()
    changed = api.get(SCHEDULE, device="loa-01", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert api.world.entries["today"] not in [i["id"] for i in changed.json()["items"]]
    assert changed.json()["generated_at"] > first.json()["generated_at"]  # when the version moved
    newer = changed.headers["ETag"]
    api.clock.now = datetime(2026, 11, 25, 0, 0, 1, tzinfo=TZ)
    next_day = api.get(SCHEDULE, device="loa-01", headers={"If-None-Match": newer})
    assert next_day.status_code == 200
    assert next_day.json()["valid_until"] == "2026-11-28T00:00:00+07:00"


def test_new_audio_for_a_scheduled_episode_changes_the_etag(api):
    etag = api.get(SCHEDULE, device="loa-01").headers["ETag"]
    with api.session() as session:
        entry = session.scalar(select(ScheduleEntry).where(ScheduleEntry.title == "Bản tin Chuyển đổi số ep-1"))
        entry.episode.media_sha256 = api.world.media["ep-3"]  # re-voiced: the same episode, new audio
        session.commit()
    response = api.get(SCHEDULE, device="loa-01", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["items"][0]["media"]["sha256"] == api.world.media["ep-3"]


def test_polls_record_last_seen_and_the_device_comes_online(api):
    api.get(SCHEDULE, device="loa-01")
    with api.session() as session:
        from radio.models import Device

        device = session.scalar(select(Device).where(Device.code == "loa-01"))
        assert device.last_seen_at == START and device.status == "online"


POLLS = pytest.mark.parametrize("poll", [SCHEDULE, "/devices/loa-01/bulletins"])


def verb(statement: str) -> str:
    """SELECT, UPDATE, …: a read that opens with WITH RECURSIVE (the area chain) is a SELECT."""
    word = statement.split()[0].upper()
    return "SELECT" if word == "WITH" else word


def last_seen(api, device: str = "loa-01") -> tuple:
    with api.session() as session:
        from radio.models import Device

        return tuple(session.execute(select(Device.last_seen_at, Device.status).where(Device.code == device)).one())


@POLLS
def test_a_new_poll_interval_reaches_devices_at_their_next_poll(api, poll):
    first = api.get(poll, device="loa-01")
    assert first.json()["poll_seconds"] == api.app.config["DEVICE_POLL_SECONDS"]
    api.app.config["DEVICE_POLL_SECONDS"] = 900  # the office slows every device down
    changed = api.get(poll, device="loa-01", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.json()["poll_seconds"] == 900
    again = api.get(poll, device="loa-01", headers={"If-None-Match": changed.headers["ETag"]})
    assert again.status_code == 304


@POLLS
def test_an_unchanged_poll_writes_last_seen_only_when_it_is_due(api, poll):
    etag = api.get(poll, device="loa-01").headers["ETag"]
    assert last_seen(api) == (START, "online")
    api.clock.advance(seconds=20)  # within 30 s (half the 60 s poll interval): nothing written
    assert api.get(poll, device="loa-01", headers={"If-None-Match": etag}).status_code == 304
    assert last_seen(api) == (START, "online")
    later = api.clock.advance(seconds=15)
    with api.statements() as sent:
        assert api.get(poll, device="loa-01", headers={"If-None-Match": etag}).status_code == 304
    assert last_seen(api) == (later, "online")
    assert [verb(statement) for statement, _ in sent if statement != "BEGIN"] == ["SELECT", "UPDATE"]
    gone = api.clock.advance(seconds=3 * 60 + 1)
    assert api.cli("device", "status", "--station", "st-tk").exit_code == 0
    assert last_seen(api) == (later, "offline")
    back = api.clock.advance(seconds=1)
    assert api.get(poll, device="loa-01", headers={"If-None-Match": etag}).status_code == 304
    assert last_seen(api) == (back, "online") and back > gone


@POLLS
def test_an_unchanged_poll_is_one_statement_outside_any_transaction(api, poll):
    etag = api.get(poll, device="loa-01").headers["ETag"]  # last seen now: no write is due
    with api.statements() as sent:
        response = api.get(poll, device="loa-01", headers={"If-None-Match": etag})
    assert response.status_code == 304
    [(statement, in_transaction)] = sent  # no BEGIN, no second read, no write
    assert verb(statement) == "SELECT" and "devices.token_hash" in statement
    assert not in_transaction  # PostgreSQL: autocommit, so no BEGIN or ROLLBACK round trips either
    with api.statements() as sent:
        assert api.get(poll, device="loa-01", headers={"If-None-Match": '"stale"'}).status_code == 200
    assert len(sent) > 1  # the full answer is read and written down as before


def test_bad_requests_are_json_and_never_500(api):
    assert_error(api.get("/nowhere"), 404, "not_found")
    assert_error(api.post(SCHEDULE, device="loa-01"), 405, "method_not_allowed")
    assert_error(api.get("/media/not-a-digest", device="loa-01"), 404)
    body = api.get("/openapi.json").json()
    assert body["openapi"].startswith("3.") and "/devices/{code}/schedule" in body["paths"]
    assert json.loads(api.get("/openapi.json").text) == body
