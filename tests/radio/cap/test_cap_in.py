"""CAP 1.2 in, over real HTTP: a trusted source's alert reaches the devices of the commune its
<geocode> names, invalid documents are refused naming the element, a duplicate is one bulletin,
Cancel and Update end what they reference, an alert for no known area is held, an untrusted
source's waits for an approver, and audio inside an alert or behind its <uri> is used."""
from __future__ import annotations

import http.server
import re
import subprocess
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from radio.models import Bulletin, CapAlert, Notice, User
from radio.notices import kinds
from tests.loopback import serving as loopback_serving
from tests.radio.api_kit import api, tones  # noqa: F401 (fixtures)
from tests.radio.api_kit import assert_error
from tests.radio.cap.cap_kit import SENDER, audio_resource, cap_time, make_source, post_alert, storm

pytestmark = pytest.mark.db


def bulletins_of(api, device: str) -> list[dict]:
    return api.get(f"/devices/{device}/bulletins", device=device).json()["bulletins"]


def test_a_trusted_sources_alert_is_voiced_and_reaches_the_communes_devices_at_once(api):
    token = make_source(api)
    answer = post_alert(api, token, storm(api.clock.now))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["status"], body["priority"], body["duplicate"]) == ("issued", "emergency", False)
    [sent] = bulletins_of(api, "loa-01")  # a village of the commune the geocode names
    assert (sent["id"], sent["title"], sent["play"]) == (body["bulletin"], "Cảnh báo dông mạnh", "immediately")
    assert sent["valid_until"] == cap_time(api.clock.now.replace(hour=10))  # the alert's <expires>
    assert sent["media"]["duration_s"] > 2  # espeak-ng read the Vietnamese text
    assert bulletins_of(api, "loa-xa") == []  # another district
    with api.session() as session:
        bulletin = session.scalar(select(Bulletin))
        assert "Người dân không ra đồng" in bulletin.text and bulletin.episode.tts_engine == "espeak-ng"


@pytest.mark.parametrize(("change", "named"), [
    (lambda doc: doc.replace(b"<msgType>Alert</msgType>", b"<msgType>Warning</msgType>"), "msgType"),
    (lambda doc: doc.replace(b"<scope>Public</scope>", b""), "scope"),
    (lambda doc: doc.replace(b"+07:00</sent>", b"Z</sent>"), "sent"),
    (lambda doc: doc.replace(b"<urgency>Immediate</urgency>", b"<urgency>Now</urgency>", 1), "urgency"),
    (lambda doc: doc.replace(b"urn:oasis:names:tc:emergency:cap:1.2", b"urn:oasis:names:tc:emergency:cap:1.1"),
     "namespace"),
    (lambda doc: doc[:200], "well-formed"),
])
def test_an_invalid_alert_is_refused_naming_the_element(api, change, named):
    token = make_source(api)
    body = assert_error(post_alert(api, token, change(storm(api.clock.now))), 400, "invalid_cap")
    assert named in body["message"]
    with api.session() as session:
        assert session.scalar(select(func.count()).select_from(CapAlert)) == 0


def test_no_token_or_a_wrong_one_is_refused(api):
    make_source(api)
    assert_error(api.post("/cap", data=storm(api.clock.now)), 401)
    assert_error(post_alert(api, "not-a-token", storm(api.clock.now)), 401)


def test_the_same_alert_twice_is_one_bulletin(api):
    token = make_source(api)
    first = post_alert(api, token, storm(api.clock.now)).json()
    api.clock.advance(seconds=20)
    again = post_alert(api, token, storm(api.clock.now, sent=api.clock.now - timedelta(seconds=20)))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["bulletin"] == first["bulletin"]
    with api.session() as session:
        assert session.scalar(select(func.count()).select_from(Bulletin)) == 1


def test_a_cancel_ends_the_bulletin_it_references(api):
    token = make_source(api)
    sent = api.clock.now
    post_alert(api, token, storm(sent))
    assert len(bulletins_of(api, "loa-01")) == 1
    api.clock.advance(minutes=5)
    cancel = storm(api.clock.now, "KTTV-TH-2026-1124-02", msg_type="Cancel",
                   references=f"{SENDER},KTTV-TH-2026-1124-01,{cap_time(sent)}")
    answer = post_alert(api, token, cancel)
    assert answer.status_code == 201 and answer.json()["status"] == "note"
    assert bulletins_of(api, "loa-01") == []
    with api.session() as session:
        statuses = dict(session.execute(select(CapAlert.identifier, CapAlert.status)).all())
        assert statuses == {"KTTV-TH-2026-1124-01": "ended", "KTTV-TH-2026-1124-02": "note"}
        assert session.scalar(select(Bulletin)).cancelled_at == api.clock.now


def test_an_update_replaces_the_bulletin_it_references(api):
    token = make_source(api)
    sent = api.clock.now
    first = post_alert(api, token, storm(sent)).json()
    api.clock.advance(minutes=10)
    update = storm(api.clock.now, "KTTV-TH-2026-1124-03", msg_type="Update", headline="Dông mạnh đã mạnh thêm",
                   references=f"{SENDER},KTTV-TH-2026-1124-01,{cap_time(sent)}")
    second = post_alert(api, token, update).json()
    assert second["status"] == "issued" and second["bulletin"] != first["bulletin"]
    assert [(b["id"], b["title"]) for b in bulletins_of(api, "loa-01")] == [(second["bulletin"],
                                                                             "Dông mạnh đã mạnh thêm")]


def test_the_priority_table(api):
    token = make_source(api)
    cases = [("Expected", "Moderate", "Likely", "priority"), ("Future", "Minor", "Possible", "normal"),
             ("Immediate", "Extreme", "Unlikely", "normal")]
    for n, (urgency, severity, certainty, priority) in enumerate(cases):
        answer = post_alert(api, token, storm(api.clock.now, f"ID-{n}", urgency=urgency, severity=severity,
                                              certainty=certainty)).json()
        assert (answer["priority"], answer["status"]) == (priority, "issued")
    assert bulletins_of(api, "loa-01") == []  # scheduled, not played at once


def test_an_alert_for_no_known_area_is_held_and_an_admin_is_told(api):
    token = make_source(api)
    answer = post_alert(api, token, storm(api.clock.now, area_desc="Xã Không Có", geocode="99999")).json()
    assert (answer["status"], answer["bulletin"]) == ("held", None)
    for device in ("loa-01", "loa-02", "loa-xa"):
        assert bulletins_of(api, device) == []  # never broadcast everywhere
    with api.session() as session:
        told = session.execute(select(User.username, Notice.kind).join(User, User.id == Notice.recipient_id)).all()
    assert told == [("quantri", kinds.CAP_HELD)]
    admin = api.login("quantri")
    page = admin.get(f"{api.base}/office/alerts").text
    assert "Xã Không Có" in page and "Phát tới địa bàn" in page
    with api.session() as session:
        alert_id = session.scalar(select(CapAlert.id))
    issued = admin.post(f"{api.base}/office/alerts/{alert_id}/issue",
                        data={"area": "TH-TX-XA", "csrf_token": admin.headers["X-CSRFToken"]})
    assert issued.status_code == 200
    assert [b["title"] for b in bulletins_of(api, "loa-xa")] == ["Cảnh báo dông mạnh"]


def test_a_held_alert_may_be_discarded(api):
    token = make_source(api)
    post_alert(api, token, storm(api.clock.now, area_desc="Xã Không Có", geocode=None))
    admin = api.login("quantri")
    with api.session() as session:
        alert_id = session.scalar(select(CapAlert.id))
    admin.post(f"{api.base}/office/alerts/{alert_id}/discard", data={"csrf_token": admin.headers["X-CSRFToken"]})
    with api.session() as session:
        assert session.get(CapAlert, alert_id).status == "discarded"


def test_the_area_name_matches_when_no_geocode_does(api):
    token = make_source(api)
    answer = post_alert(api, token, storm(api.clock.now, area_desc="khu  th-tx-xa", geocode=None)).json()
    assert answer["status"] == "issued"
    assert len(bulletins_of(api, "loa-xa")) == 1 and bulletins_of(api, "loa-01") == []


def test_an_area_outside_the_sources_is_not_alerted(api):
    token = make_source(api, area="TH-TX")
    answer = post_alert(api, token, storm(api.clock.now)).json()  # names TH-NT-TK, not the source's
    assert answer["status"] == "held"


def test_an_untrusted_sources_alert_waits_for_an_approver_who_is_told(api):
    token = make_source(api, trusted=False)
    answer = post_alert(api, token, storm(api.clock.now)).json()
    assert answer["status"] == "waiting" and bulletins_of(api, "loa-01") == []
    with api.session() as session:
        told = session.execute(select(User.username, Notice.kind).join(User, User.id == Notice.recipient_id)).all()
        alert_id = session.scalar(select(CapAlert.id))
    assert sorted(told) == [("duyet", kinds.CAP_WAITING), ("vanhoa", kinds.CAP_WAITING)]  # approver, oversight
    approver = api.login("duyet")
    assert "Duyệt và phát" in approver.get(f"{api.base}/office/alerts").text
    approver.post(f"{api.base}/office/alerts/{alert_id}/issue", data={"csrf_token": approver.headers["X-CSRFToken"]})
    assert [b["title"] for b in bulletins_of(api, "loa-01")] == ["Cảnh báo dông mạnh"]


def test_audio_inside_the_alert_is_the_bulletins_audio(api, tones):
    token = make_source(api)
    path, _ = tones["ep-1"]
    answer = post_alert(api, token, storm(api.clock.now, resource=audio_resource(path.read_bytes())))
    assert answer.json()["audio_problem"] is None
    with api.session() as session:
        episode = session.scalar(select(Bulletin)).episode
        assert (episode.media_sha256, episode.tts_engine) == (api.world.media["ep-1"], None)  # stored once


@contextmanager
def serving(files: dict[str, bytes]):
    """A real HTTP server on loopback serving `files` by path."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    with loopback_serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as base:
        yield base


def test_audio_behind_a_uri_is_fetched_and_bad_audio_falls_back_to_the_voice(api, tones):
    token = make_source(api)
    path, _ = tones["ep-3"]
    with serving({"/tin.mp3": path.read_bytes(), "/hong.mp3": b"not audio at all"}) as base:
        good = post_alert(api, token, storm(api.clock.now, "A-1", resource=audio_resource(uri=f"{base}/tin.mp3")))
        bad = post_alert(api, token, storm(api.clock.now, "A-2", resource=audio_resource(uri=f"{base}/hong.mp3")))
    assert good.json()["audio_problem"] is None
    assert bad.json()["status"] == "issued" and bad.json()["audio_problem"]  # voiced instead, and said why
    with api.session() as session:
        audio = {alert.identifier: (alert.episode.media_sha256, alert.episode.tts_engine)
                 for alert in session.scalars(select(CapAlert))}
    assert audio == {"A-1": (api.world.media["ep-3"], None), "A-2": (audio["A-2"][0], "espeak-ng")}


def test_a_uri_that_is_not_http_is_not_fetched(api):
    token = make_source(api)
    answer = post_alert(api, token, storm(api.clock.now, resource=audio_resource(uri="file:///etc/passwd")))
    assert answer.json()["status"] == "issued" and "only http and https" in answer.json()["audio_problem"]


def test_an_exercise_is_kept_never_aired(api):
    token = make_source(api)
    answer = post_alert(api, token, storm(api.clock.now, status="Exercise")).json()
    assert answer["status"] == "note" and bulletins_of(api, "loa-01") == []


def test_an_admin_adds_a_source_whose_token_is_shown_once_and_works(api):
    make_source(api, code="first")  # the admin and the province's official codes
    admin = api.login("quantri")
    page = admin.post(f"{api.base}/office/alert-sources",
                      data={"code": "pccc-th", "name": "Ban Chỉ huy PCTT tỉnh", "area": "TH", "trusted": "y",
                            "feed_url": "", "csrf_token": admin.headers["X-CSRFToken"]})
    assert page.status_code == 200
    token = re.search(r'<p class="secret">([^<]+)</p>', page.text).group(1)
    assert token not in admin.get(f"{api.base}/office/alert-sources").text
    assert post_alert(api, token, storm(api.clock.now)).json()["status"] == "issued"
    refused = admin.post(f"{api.base}/office/alert-sources",
                         data={"code": "pccc-th", "name": "x", "area": "TH", "feed_url": "ftp://x",
                               "csrf_token": admin.headers["X-CSRFToken"]})
    assert refused.status_code == 422
    operator = api.login("dai-tk")
    assert operator.get(f"{api.base}/office/alert-sources").status_code == 403


def test_entities_in_an_alert_are_never_expanded_nor_fetched():
    """A billion-laughs alert and one naming a local file as an entity are read without expanding
    either: the headline keeps no trace of the file, and no exponential text appears."""
    from radio.cap.document import InvalidAlert, read_alert
    from tests.fuzz.doors import BILLION_LAUGHS, EXTERNAL_ENTITY

    for document in (BILLION_LAUGHS, EXTERNAL_ENTITY):
        try:
            alert = read_alert(document)
        except InvalidAlert:
            continue  # refused as invalid: nothing expanded either
        assert "root:" not in alert.headline and "haha" not in alert.headline


def test_an_alert_sent_at_twenty_four_hundred_is_the_next_days_midnight(api):
    """XML Schema's dateTime allows 24:00:00 (the end of a day, the next day's 00:00:00), so the
    CAP schema lets it through: it is read as that instant, never answered with a 500."""
    token = make_source(api)
    midnight = api.clock.now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    end_of_day = f"{(midnight - timedelta(days=1)).date().isoformat()}T24:00:00{cap_time(midnight)[-6:]}"
    document = storm(api.clock.now, hours=30).replace(f"<sent>{cap_time(api.clock.now)}</sent>".encode(),
                                                      f"<sent>{end_of_day}</sent>".encode())
    assert end_of_day.encode() in document
    answer = post_alert(api, token, document)
    assert answer.status_code == 201, answer.text
    with api.session() as session:
        alert = session.scalar(select(CapAlert))
        assert (alert.sent, alert.status) == (end_of_day, "issued")  # kept as written: duplicates compare it


def test_an_alert_that_expires_at_twenty_four_hundred_ends_at_the_next_days_midnight(api):
    token = make_source(api)
    midnight = api.clock.now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    end_of_day = f"{(midnight - timedelta(days=1)).date().isoformat()}T24:00:00{cap_time(midnight)[-6:]}"
    document = re.sub(rb"<expires>[^<]*</expires>", f"<expires>{end_of_day}</expires>".encode(),
                      storm(api.clock.now))
    answer = post_alert(api, token, document)
    assert answer.status_code == 201, answer.text
    [sent] = bulletins_of(api, "loa-01")
    assert sent["valid_until"] == cap_time(midnight)


def test_an_identifier_longer_than_what_is_kept_is_refused_naming_it(api):
    token = make_source(api)
    body = assert_error(post_alert(api, token, storm(api.clock.now, "X" * 300)), 400, "invalid_cap")
    assert "identifier" in body["message"]


def test_a_source_with_too_long_a_code_name_or_feed_is_refused_in_vietnamese(api):
    make_source(api)
    admin = api.login("quantri")
    page = admin.post(f"{api.base}/office/alert-sources",
                      data={"code": "kttv" * 20, "name": "Đài KTTV " * 30, "area": "TH",
                            "feed_url": "https://kttv.example/" + "tin/" * 150,
                            "csrf_token": admin.headers["X-CSRFToken"]})
    assert page.status_code == 422
    assert "Field cannot be longer" not in page.text  # WTForms' own English
    assert ("Mã dài tối đa 59 ký tự." in page.text and "Tên dài tối đa 200 ký tự." in page.text
            and "Dài tối đa 500 ký tự." in page.text)


@pytest.mark.parametrize(("mime", "suffix", "codec"), [("audio/wav", "wav", "pcm_s16le"),
                                                       ("audio/ogg", "ogg", "libvorbis")])
def test_wav_and_ogg_inside_an_alert_are_taken_like_uploads(api, tmp_path, mime, suffix, codec):
    token = make_source(api)
    path = tmp_path / f"tin.{suffix}"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=550:duration=3", "-ac", "1",
                    "-c:a", codec, "-y", str(path)], check=True)
    answer = post_alert(api, token, storm(api.clock.now, resource=audio_resource(path.read_bytes(), mime=mime)))
    assert answer.status_code == 201 and answer.json()["audio_problem"] is None, answer.text
    [sent] = bulletins_of(api, "loa-01")
    assert sent["media"]["mime"] == "audio/mpeg" and 2.5 < sent["media"]["duration_s"] < 3.5  # converted like uploads
    with api.session() as session:
        assert session.scalar(select(Bulletin)).episode.tts_engine is None  # not voiced: its own audio
