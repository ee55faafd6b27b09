"""The doors that write (a plan's import, an audio upload, a document read into a plan draft)
refuse hostile input without a trace: the database and the media folder are byte-identical after
each refused input."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from radio.models import Area, Base
from radio.plans.operations import import_plan
from tests.factories import MADE, create_user
from tests.fuzz.doors import AUDIO_INPUTS, DOCUMENT_INPUTS, PLAN_INPUTS, _edited
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


def test_a_refused_plan_file_changes_nothing(app, db, tmp_path):
    import_plan(db, write_plan(tmp_path), None, now=MADE)
    office = client_as(app, create_user(db, "vanhoa", "oversight", db.scalar(select(Area).where(Area.code == "TH"))))
    media = Path(app.config["MEDIA_DIR"])

    @FUZZ
    @given(PLAN_INPUTS | _edited(PLAN.encode()), st.sampled_from(["plan.yaml", "plan.json"]))
    def run(data, name):
        before = snapshot(db, media)
        token = csrf_from(office, "/office/plans")
        response = office.post("/office/plans/import", data={"csrf_token": token,
                                                             "plan_file": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")
        assert response.status_code in (*REFUSED, 302), response.status_code
        if response.status_code != 302:
            assert snapshot(db, media) == before
            refused.append(response.status_code)

    refused = []
    run()
    assert refused  # the property was tried on refused inputs, not only on accepted ones


def test_a_refused_audio_upload_changes_nothing(web, db, scene, app):
    log_in(web, "op-tk")
    media = Path(app.config["MEDIA_DIR"])

    @FUZZ
    @given(AUDIO_INPUTS | st.binary(max_size=1024), st.sampled_from(["tin.wav", "tin.mp3", "tin.ogg", "tin"]))
    def run(data, name):
        before = snapshot(db, media)
        form = {"series": str(scene["series"].id), "title": "Bản tin thử", "available_from": "", "expires": "",
                "audio": (io.BytesIO(data), name)}
        response = post_form(web, "/library/upload", form, page="/library/", content_type="multipart/form-data")
        assert response.status_code in (*REFUSED, 302), response.status_code
        if response.status_code != 302:
            assert snapshot(db, media) == before
            refused.append(response.status_code)

    refused = []
    run()
    assert refused  # the property was tried on refused inputs, not only on accepted ones


def test_a_refused_document_for_a_draft_changes_nothing(app, db, tmp_path):
    import_plan(db, write_plan(tmp_path), None, now=MADE)
    office = client_as(app, create_user(db, "vanhoa", "oversight", db.scalar(select(Area).where(Area.code == "TH"))))
    media = Path(app.config["MEDIA_DIR"])

    @FUZZ
    @given(DOCUMENT_INPUTS | st.binary(max_size=1024))
    def run(data):
        suffix = {0: "docx", 1: "pdf"}.get(data[0] % 3, "txt") if data else "txt"  # as the documents door
        before = snapshot(db, media)
        token = csrf_from(office, "/office/plans")
        response = office.post("/office/plans/drafts", data={"csrf_token": token, "issued_by": "TH",
                                                             "document": (io.BytesIO(data[1:]), f"van-ban.{suffix}")},
                               content_type="multipart/form-data")
        assert response.status_code in (*REFUSED, 302), response.status_code
        if response.status_code != 302:
            assert snapshot(db, media) == before
            refused.append(response.status_code)

    refused = []
    run()
    assert refused  # the property was tried on refused inputs, not only on accepted ones
