"""The real receiver against a server that keeps poll files (issue #23): it asks its poll file
every 30 s and the app only when the file changed, besides a safety poll and a heartbeat every
two hours; a change, an emergency included, arrives at the next file poll, and is never lost to a
failed fetch; a file gone sends it back to the usual polls."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from radio.devices.poll_files import refresh_poll_files
from radio.models import Station
from tests.device_client.kit import issue_emergency, link, run_until, start_receiver, stored_heartbeat  # noqa: F401
from tests.radio.api_kit import serve_api, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db
SAFETY_S = 7200  # the receiver's default --quiet-poll-seconds
FILE_S = 30  # its default --bulletin-seconds


@pytest.fixture
def api(tmp_path, tones):
    with serve_api(tmp_path, tones, DEVICE_POLL_FILES_DIR=str(tmp_path / "poll")) as served_api:
        yield served_api


def paths(link, since: int) -> list[str]:
    return [line.split(b" ")[1].decode() for line in link.requests[since:]]


def synced(api, link, tmp_path):
    receiver = start_receiver(api, link, tmp_path / "cache")
    run_until(receiver, api.clock, api.clock.now + timedelta(minutes=5))  # the first sync: schedule, audio
    assert receiver.sync.poll_file.startswith(f"{link.url}/poll/")
    return receiver


def new_schedule_version(api) -> None:
    with api.session() as session:  # a hand edit, say
        session.scalar(select(Station).where(Station.code == "st-tk")).schedule_changed(api.clock.now)
        session.commit()


def test_a_quiet_day_asks_the_poll_file_and_the_app_only_for_safety(api, link, tmp_path):
    receiver = synced(api, link, tmp_path)
    since = len(link.requests)
    run_until(receiver, api.clock, api.clock.now + timedelta(hours=6))
    asked = paths(link, since)
    files = [path for path in asked if path.startswith("/poll/")]
    app = [path for path in asked if not path.startswith("/poll/")]
    assert len(files) >= 6 * 3600 / FILE_S - 2
    assert not any(path.endswith("/bulletins") for path in app)
    assert sum(path.startswith("/api/v1/devices/loa-01/schedule") for path in app) <= 6 * 3600 / SAFETY_S + 1
    assert sum(path.endswith("/heartbeat") for path in app) <= 6 * 3600 / SAFETY_S + 1
    assert stored_heartbeat(api)["contact_s"] == SAFETY_S  # the server counts it offline only after missing those
    file_answers = [answer for path, answer in zip(asked, link.answers[since:]) if path.startswith("/poll/")]
    assert all(b" 304 " in answer for answer in file_answers)


def test_a_change_and_an_emergency_arrive_at_the_next_file_poll(api, link, tmp_path):
    receiver = synced(api, link, tmp_path)
    etag = receiver.state["schedule_etag"]
    new_schedule_version(api)
    run_until(receiver, api.clock, api.clock.now + timedelta(seconds=FILE_S + 1))
    assert receiver.state["schedule_etag"] != etag
    bulletin = issue_emergency(api, "TH-NT-TK")
    run_until(receiver, api.clock, api.clock.now + timedelta(seconds=FILE_S + 1))
    assert (receiver.state["playing"] or {}).get("id") == bulletin


def test_a_change_whose_fetch_failed_is_fetched_once_the_link_is_back(api, link, tmp_path):
    receiver = synced(api, link, tmp_path)
    etag, file_etag = receiver.state["schedule_etag"], receiver.state["poll_file_etag"]
    new_schedule_version(api)
    link.cut_after(b'"schedule_version"', 0)  # the file's news comes through, the schedule itself is cut
    at_failure = []

    def note_failure():
        if receiver.link.failures and not at_failure:
            at_failure.append((receiver.state["schedule_etag"], receiver.state["poll_file_etag"]))

    run_until(receiver, api.clock, api.clock.now + timedelta(minutes=5), after_tick=note_failure)
    assert at_failure == [(etag, file_etag)]  # the file's new ETag was not taken for a change not fetched
    assert receiver.state["schedule_etag"] != etag and receiver.state["poll_file_etag"] != file_etag


def test_a_file_gone_brings_the_usual_polls_back_until_the_safety_poll(api, link, tmp_path):
    receiver = synced(api, link, tmp_path)
    for path in (tmp_path / "poll").glob("*.json"):
        path.unlink()
    since = len(link.requests)
    run_until(receiver, api.clock, api.clock.now + timedelta(minutes=10))
    assert receiver.sync.poll_file is None
    assert sum(path.endswith("/bulletins") for path in paths(link, since)) >= 10 * 60 / FILE_S - 2
    with api.app.app_context():
        refresh_poll_files()
    run_until(receiver, api.clock, api.clock.now + timedelta(seconds=SAFETY_S))
    assert receiver.sync.poll_file is not None
    since = len(link.requests)
    run_until(receiver, api.clock, api.clock.now + timedelta(minutes=10))
    assert not any(path.endswith("/bulletins") for path in paths(link, since))


def test_a_new_token_is_followed_by_its_new_file_at_once(api, link, tmp_path):
    receiver = synced(api, link, tmp_path)
    old = receiver.sync.poll_file
    token = api.cli("device-token", "loa-01").output.strip()
    receiver.server.http.headers["Authorization"] = f"Bearer {token}"  # as when restarted with its new token file
    with api.app.app_context():
        refresh_poll_files()  # the old token's file goes
    run_until(receiver, api.clock, api.clock.now + timedelta(minutes=2))
    assert receiver.sync.poll_file not in (None, old)  # the schedule named the new one, taken before any safety poll
    since = len(link.requests)
    run_until(receiver, api.clock, api.clock.now + timedelta(minutes=10))
    assert not any(path.endswith("/bulletins") for path in paths(link, since))
