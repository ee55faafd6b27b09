"""The doors that write (a plan's import, an audio upload, a document read into a plan draft, an
alert POSTed by a source) refuse hostile input without a trace: the database and the media folder
are byte-identical after each refused input."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from radio.models import Area, Base, CapAlert
from radio.plans.operations import import_plan
from tests.factories import MADE, create_user
from tests.fuzz.doors import AUDIO_INPUTS, BILLION_LAUGHS, CAP_INPUTS, DOCUMENT_INPUTS, EXTERNAL_ENTITY, PLAN_INPUTS, \
    _edited
from tests.radio.api_kit import api, tones  # noqa: F401  (fixtures)
from tests.radio.cap.cap_kit import audio_resource, make_source, post_alert, storm
from tests.radio.cap.test_cap_in import serving
from tests.radio.office_kit import client_as, csrf_from
from tests.radio.plan_text import PLAN, write_plan
from tests.radio.web_kit import log_in, post_form, web  # noqa: F401  (fixture)
from tests.radio.web_scene import scene  # noqa: F401  (fixture)

EXAMPLES = 15
REFUSED = (400, 403, 413, 422)  # 403: a valid plan issued outside the user's areas
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def snapshot(db, media: Path) -> tuple[list, dict]:
    """Every row of every table, and every file of the media folder by its bytes' digest."""
    db.expire_all()
    rows = [sorted(map(repr, db.execute(select(table)).all())) for table in Base.metadata.sorted_tables]
    files = {str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
             for path in sorted(media.rglob("*")) if path.is_file()} if media.exists() else {}
    return rows, files


def refusals_change_nothing(db, media: Path, send, *strategies) -> None:
    """Sends fuzzed inputs through a page's form: each one refused leaves every row and file as it was."""
    refused = []

    @FUZZ
    @given(st.tuples(*strategies))
    def run(values):
        before = snapshot(db, media)
        response = send(*values)
        assert response.status_code in (*REFUSED, 302), response.status_code
        if response.status_code != 302:
            assert snapshot(db, media) == before
            refused.append(response.status_code)

    run()
    assert refused  # the property was tried on refused inputs, not only on accepted ones


def test_a_refused_plan_file_changes_nothing(app, db, tmp_path):
    import_plan(db, write_plan(tmp_path), None, now=MADE)
    office = client_as(app, create_user(db, "vanhoa", "oversight", db.scalar(select(Area).where(Area.code == "TH"))))

    def send(data, name):
        token = csrf_from(office, "/office/plans")
        return office.post("/office/plans/import", data={"csrf_token": token, "plan_file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")

    refusals_change_nothing(db, Path(app.config["MEDIA_DIR"]), send, PLAN_INPUTS | _edited(PLAN.encode()),
                            st.sampled_from(["plan.yaml", "plan.json"]))


def test_a_refused_audio_upload_changes_nothing(web, db, scene, app):
    log_in(web, "op-tk")

    def send(data, name):
        form = {"series": str(scene["series"].id), "title": "Bản tin thử", "available_from": "", "expires": "",
                "audio": (io.BytesIO(data), name)}
        return post_form(web, "/library/upload", form, page="/library/", content_type="multipart/form-data")

    refusals_change_nothing(db, Path(app.config["MEDIA_DIR"]), send, AUDIO_INPUTS | st.binary(max_size=1024),
                            st.sampled_from(["tin.wav", "tin.mp3", "tin.ogg", "tin"]))


def test_a_refused_document_for_a_draft_changes_nothing(app, db, tmp_path):
    import_plan(db, write_plan(tmp_path), None, now=MADE)
    office = client_as(app, create_user(db, "vanhoa", "oversight", db.scalar(select(Area).where(Area.code == "TH"))))

    def send(data):
        suffix = {0: "docx", 1: "pdf"}.get(data[0] % 3, "txt") if data else "txt"  # as the documents door
        token = csrf_from(office, "/office/plans")
        return office.post("/office/plans/drafts", data={"csrf_token": token, "issued_by": "TH",
                                                         "document": (io.BytesIO(data[1:]), f"van-ban.{suffix}")},
                           content_type="multipart/form-data")

    refusals_change_nothing(db, Path(app.config["MEDIA_DIR"]), send, DOCUMENT_INPUTS | st.binary(max_size=1024))


def test_a_refused_alert_changes_nothing(api):
    """POST /api/v1/cap: an invalid alert, one with a DOCTYPE, one too large, expired or without
    Vietnamese, fuzzed ones; each refused leaves no row and no file."""
    token = make_source(api)
    media = Path(api.app.config["MEDIA_DIR"])
    api.app.config["CAP_MAX_MB"] = 1
    now = api.clock.now
    alert = storm(now, "REFUSED-1")
    english_only = alert[:alert.index(b"<info>", alert.index(b"</info>"))] + b"</alert>"
    refused = []

    def post(body: bytes, bearer: str = token) -> int:
        with api.session() as session:
            before = snapshot(session, media)
        response = post_alert(api, bearer, body)
        assert response.status_code in (201, 200, *REFUSED, 401), (response.status_code, response.text[:300])
        if response.status_code not in (200, 201):
            with api.session() as session:
                assert snapshot(session, media) == before, body[:300]
            refused.append(response.status_code)
        return response.status_code

    assert post(alert.replace(b"?>", b"?><!DOCTYPE alert>", 1)) == 400
    assert post(BILLION_LAUGHS) == 400 and post(EXTERNAL_ENTITY) == 400
    assert post(alert + b" " * (1024 * 1024)) == 413
    assert post(storm(now, "REFUSED-2", hours=-1)) == 422  # expired
    assert post(english_only) == 422  # nothing to read
    assert post(storm(now, "REFUSED-3", resource=audio_resource(b"x").replace("eA==", "eA="))) == 400  # not base64
    assert post(alert, bearer="not-a-token") == 401

    @FUZZ
    @given(CAP_INPUTS | st.binary(max_size=1024))
    def run(body):
        post(body)

    count = len(refused)
    run()
    assert len(refused) > count  # fuzzed inputs were refused too
    with api.session() as session:
        taken = set(session.scalars(select(CapAlert.identifier)))  # a fuzzed alert may be valid, and taken
    assert not taken & {"REFUSED-1", "REFUSED-2", "REFUSED-3"}


def test_an_alerts_audio_refused_leaves_only_the_voice(api):
    """Audio the upload checks refuse, inline or behind a <uri> that fails, is not kept: the alert
    is voiced instead, and its voice is the one file added."""
    token = make_source(api)
    media = Path(api.app.config["MEDIA_DIR"])
    resources = {"INLINE": audio_resource(b"not audio at all"), "GONE": None, "HOST": None, "BAD": None}
    with serving({"/hong.mp3": b"ID3 not audio either"}) as base:
        resources |= {"GONE": audio_resource(uri=f"{base}/gone.mp3"), "BAD": audio_resource(uri=f"{base}/hong.mp3"),
                      "HOST": audio_resource(uri="http://\u00e9\u00e9..x/tin.mp3")}  # urllib3's ValueError
        for identifier, resource in resources.items():
            with api.session() as session:
                _, files_before = snapshot(session, media)
            response = post_alert(api, token, storm(api.clock.now, identifier, resource=resource,
                                                    headline=f"Cảnh báo dông {identifier}"))
            assert response.status_code == 201 and response.json()["audio_problem"], response.text[:300]
            with api.session() as session:
                _, files = snapshot(session, media)
                voice = session.scalar(select(CapAlert).where(CapAlert.identifier == identifier)).episode
                assert voice.tts_engine == "espeak-ng"
                added = {name: digest for name, digest in files.items() if name not in files_before}
                assert list(added.values()) == [voice.media_sha256], (identifier, added)
