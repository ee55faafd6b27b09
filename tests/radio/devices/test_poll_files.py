"""Poll files (issue #23): with DEVICE_POLL_FILES_DIR set, each device in use has a small file,
named by an HMAC nobody can guess, that changes exactly when its schedule or emergency answer
would: a new schedule version, an emergency issued or cancelled, the day turning. Served here by
the app over real HTTP (nginx serves the same folder in production: tests/deploy)."""
from __future__ import annotations

import os
import re
import stat
import pytest
import requests

from radio import db
from radio.devices.poll_files import refresh_poll_files
from tests.device_client.kit import issue_emergency
from tests.radio.api_kit import api, serve_api, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db
SCHEDULE = "/devices/loa-01/schedule"


@pytest.fixture
def filed(tmp_path, tones):
    with serve_api(tmp_path, tones, DEVICE_POLL_FILES_DIR=str(tmp_path / "poll")) as served_api:
        yield served_api


def poll_file(api, device: str = "loa-01") -> str:
    body = api.get(f"/devices/{device}/schedule", device=device).json()
    return body["poll_file"]


def refresh(api) -> int:
    with api.app.app_context():
        return refresh_poll_files()


def test_the_schedule_names_a_poll_file_that_answers_304_until_it_changes(filed):
    url = poll_file(filed)
    assert re.fullmatch(re.escape(filed.base) + r"/poll/[0-9a-f]{40}\.json", url)
    first = requests.get(url, timeout=10)
    assert first.status_code == 200 and first.headers["Content-Type"] == "application/json"
    stamp = first.json()
    assert stamp["device"] == "loa-01" and stamp["emergencies"] == "0" and stamp["poll_seconds"] == 60
    assert stamp["day"] == "2026-11-24" and re.fullmatch(r"s\d+\.v\d+", stamp["schedule"])
    again = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
    assert again.status_code == 304 and again.content == b""
    assert poll_file(filed, "loa-02") != url  # each device its own
    assert refresh(filed) == 1  # loa-xa's: it has not asked yet
    assert refresh(filed) == 0  # every file current: nothing written


def test_an_emergency_and_its_cancellation_change_the_file_of_the_villages_it_reaches(filed):
    urls = {device: poll_file(filed, device) for device in ("loa-01", "loa-02", "loa-xa")}
    etags = {device: requests.get(url, timeout=10).headers["ETag"] for device, url in urls.items()}
    bulletin = issue_emergency(filed, "TH-NT-TK-01")
    changed = {device for device, url in urls.items()
               if requests.get(url, headers={"If-None-Match": etags[device]}, timeout=10).status_code == 200}
    assert changed == {"loa-01"}  # the village it reaches, not its neighbour on the same station
    stamps = {device: requests.get(url, timeout=10).json() for device, url in urls.items()}
    assert stamps["loa-01"]["emergencies"] != "0" and stamps["loa-02"]["emergencies"] == "0"
    result = filed.cli("bulletin", "cancel", bulletin, "--as", "vanhoa")
    assert result.exit_code == 0, result.output
    assert requests.get(urls["loa-01"], timeout=10).json()["emergencies"] == "0"


def test_a_schedule_change_rewrites_the_file_and_the_schedule_answer_agrees(filed, tmp_path):
    url = poll_file(filed)
    path = tmp_path / "poll" / url.rsplit("/", 1)[1]
    before, second = requests.get(url, timeout=10).json()["schedule"], int(path.stat().st_mtime)
    etag = filed.get(SCHEDULE, device="loa-01").headers["ETag"]
    result = filed.cli("schedule", "cancel", filed.world.entries["today"], "--as", "dai-tk")
    assert result.exit_code == 0, result.output
    assert requests.get(url, timeout=10).json()["schedule"] != before
    assert int(path.stat().st_mtime) > second  # nginx's ETag (whole second and size) changes too
    assert filed.get(SCHEDULE, device="loa-01", headers={"If-None-Match": etag}).status_code == 200


def test_the_day_turning_is_written_by_the_periodic_refresh(filed):
    url = poll_file(filed)
    etag = requests.get(url, timeout=10).headers["ETag"]
    filed.clock.advance(days=1)
    assert refresh(filed) == 3  # the three devices in use
    answer = requests.get(url, headers={"If-None-Match": etag}, timeout=10)
    assert answer.status_code == 200 and answer.json()["day"] == "2026-11-25"


def test_a_new_token_gets_a_new_file_and_the_old_one_goes(filed, tmp_path):
    old = poll_file(filed)
    token = filed.cli("device-token", "loa-01").output.strip()
    filed.world.tokens["loa-01"] = token
    new = poll_file(filed)
    assert new != old and requests.get(new, timeout=10).status_code == 200
    refresh(filed)
    assert requests.get(old, timeout=10).status_code == 404
    assert filed.cli("device-token", "loa-01", "--revoke").exit_code == 0
    refresh(filed)
    assert requests.get(new, timeout=10).status_code == 404
    assert len(list((tmp_path / "poll").glob("*.json"))) == 2  # loa-02 and loa-xa


def test_the_folder_cannot_be_listed_nor_left_by_a_path(filed, tmp_path):
    url = poll_file(filed)
    mode = stat.S_IMODE(os.stat(tmp_path / "poll").st_mode)
    assert mode == 0o711  # nginx may open a file it knows the name of; nobody may list them
    for path in ("/poll/", "/poll/..%2Fsecret_key.json", "/poll/" + "0" * 40 + ".json", "/poll/ABC.json",
                 url.rsplit("/", 1)[1].replace(".json", ".txt")):
        assert requests.get(filed.base + path if path.startswith("/") else f"{filed.base}/poll/{path}",
                            timeout=10).status_code == 404, path


def test_without_the_setting_there_are_no_poll_files(api):
    body = api.get(SCHEDULE, device="loa-01").json()
    assert "poll_file" not in body
    assert requests.get(f"{api.base}/poll/{'0' * 40}.json", timeout=10).status_code == 404
    with api.app.app_context():
        assert refresh_poll_files() == 0
        db.session().rollback()


def test_a_poll_file_turned_on_changes_the_schedules_etag(tmp_path, tones, api):
    """A receiver holding the schedule of a server without poll files learns of its poll file at
    its next poll, not at the next schedule change."""
    plain = api.get(SCHEDULE, device="loa-01").headers["ETag"]
    (tmp_path / "other").mkdir()
    with serve_api(tmp_path / "other", tones, DEVICE_POLL_FILES_DIR=str(tmp_path / "poll")) as filed:
        assert plain.startswith(filed.get(SCHEDULE, device="loa-01").headers["ETag"].rsplit(".f", 1)[0])
        assert filed.get(SCHEDULE, device="loa-01", headers={"If-None-Match": plain}).status_code == 200


def test_a_folder_that_cannot_be_written_never_costs_a_device_its_answer(tmp_path, tones, caplog):
    (tmp_path / "poll").write_text("a file where the folder should be")
    with serve_api(tmp_path, tones, DEVICE_POLL_FILES_DIR=str(tmp_path / "poll")) as filed:
        answer = filed.get(SCHEDULE, device="loa-01")
        assert answer.status_code == 200 and answer.json()["items"]
        assert requests.get(answer.json()["poll_file"], timeout=10).status_code == 404
        issue_emergency(filed, "TH-NT-TK-01")  # told: the listener fails, the bulletin stands
        assert filed.get(SCHEDULE, device="loa-01").json()["bulletins"]
    assert "poll files of 1 devices not written" in caplog.text
