"""Script pages through the test client: form refusals keep what was typed, scope, decisions, changes."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from radio.models import Script
from radio.scripts import operations as ops
from radio.scripts.changes import word_changes
from tests.factories import MADE, create_user
from tests.radio.office_kit import client_as
from tests.radio.web_kit import csrf_token, log_in, post_form, web  # noqa: F401  (fixture)
from tests.radio.web_scene import scene  # noqa: F401  (fixture)

TEXT = "Xã tổ chức họp dân về chuyển đổi số vào sáng Chủ nhật."


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error" role="alert">([^<]*)</p>', html)
    assert match, f"no error next to {field}"
    return match.group(1)


def test_a_refused_script_form_says_why_next_to_each_field_and_keeps_the_text(web, db, scene):
    log_in(web, "op-tk")
    response = post_form(web, "/scripts/new", {"series": str(scene["series"].id), "title": "", "text": TEXT,
                                               "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _field_error(html, "title") == "Nhập tiêu đề."
    assert 'aria-describedby="title-error"' in html and 'aria-invalid="true"' in html
    assert f"{TEXT}</textarea>" in html  # nothing typed is lost
    assert db.scalars(select(Script)).all() == []


@pytest.mark.parametrize("action", ["preview", "save"])
def test_a_text_with_nothing_to_read_is_refused_next_to_the_text(web, db, scene, action):
    """No letter or digit ("...", "!!!"): no voice can read it, so neither hearing nor saving it."""
    log_in(web, "op-tk")
    response = post_form(web, "/scripts/new", {"series": str(scene["series"].id), "title": "Họp dân",
                                               "text": "... !!!", "action": action})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _field_error(html, "text") == "Kịch bản cần có chữ hoặc số để giọng đọc đọc được."
    assert db.scalars(select(Script)).all() == []


def test_with_no_voice_able_to_speak_the_pages_say_so_rather_than_fail(web, db, scene, monkeypatch, tmp_path):
    """espeak-ng missing (not on PATH): the form says which voice is out, in the reader's words; a
    stored version's audio is "try later" (503)."""
    script = ops.add_script(db, scene["operator"], scene["series"], "Họp dân", TEXT, now=MADE)
    db.commit()
    log_in(web, "op-tk")
    token = csrf_token(web.get("/scripts/new").get_data(as_text=True))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    response = web.post("/scripts/new", data={"csrf_token": token, "series": str(scene["series"].id),
                                              "title": "Họp dân", "text": "Họp lúc 7h30.", "action": "preview"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Họp lúc 7h30.</textarea>" in html
    assert _field_error(html, "text") == ("Không đọc thử được: giọng đọc espeak-ng đang không dùng được. "
                                          "Vui lòng thử lại sau ít phút.")
    assert "not installed" not in html
    assert web.get(f"/scripts/{script.id}/versions/1/preview").status_code == 503


def test_a_series_of_another_commune_cannot_be_chosen(web, db, scene):
    log_in(web, "op-tk")
    response = post_form(web, "/scripts/new", {"series": str(scene["their_series"].id), "title": "Tin",
                                               "text": TEXT, "action": "save"})
    assert response.status_code == 400
    assert _field_error(response.get_data(as_text=True), "series") == "Chọn một mục trong danh sách."


def test_preview_shows_the_normalised_text_and_saves_nothing(web, db, scene):
    log_in(web, "op-tk")
    response = post_form(web, "/scripts/new", {"series": str(scene["series"].id), "title": "Họp dân",
                                               "text": "Họp lúc 7h30 ngày 2/12.", "action": "preview"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "bảy giờ ba mươi" in html
    audio = re.search(r'src="(/scripts/previews/[0-9a-f]{64}\.(?:wav|mp3))"', html)
    assert audio
    served = web.get(audio.group(1))
    assert served.data[:4] == b"RIFF" or served.data[:3] == b"ID3"
    served.close()
    assert db.scalars(select(Script)).all() == []


def test_preview_names_that_are_not_previews_are_not_served(web, scene):
    log_in(web, "op-tk")
    for name in ("..%2F..%2Fsecret_key", "secret_key", "0" * 64 + ".mp3"):
        assert web.get(f"/scripts/previews/{name}").status_code == 404


def _writers_preview(app, text: str, series) -> bytes:
    """What the writer heard on pressing "Nghe thử" for `text`."""
    writer = client_as(app, "op-tk")
    form = post_form(writer, "/scripts/new", {"series": str(series.id), "title": "Họp dân", "text": text,
                                              "action": "preview"}).get_data(as_text=True)
    heard = writer.get(re.search(r'src="(/scripts/previews/[^"]+)"', form).group(1))
    data = heard.get_data()
    heard.close()
    return data


def test_the_approver_hears_the_version_under_review_as_its_writer_did(app, web, db, scene):
    script = ops.add_script(db, scene["operator"], scene["series"], "Họp dân", TEXT, now=MADE)
    ops.submit_script(db, scene["operator"], script, now=MADE)
    heard_by_writer = _writers_preview(app, TEXT, scene["series"])
    log_in(web, "duyet-tk")
    page = web.get(f"/scripts/{script.id}").get_data(as_text=True)
    url = f"/scripts/{script.id}/versions/1/preview"
    assert f'<audio controls preload="none" src="{url}"' in page and "Duyệt kịch bản" in page
    assert "chủ nhật" in page.split('id="normalised"')[1].lower()  # the text as the voice reads it
    audio = web.get(url)
    assert (audio.status_code, audio.mimetype) == (200, "audio/mpeg")
    assert audio.get_data() == heard_by_writer and "private" in audio.headers["Cache-Control"]
    audio.close()
    partial = web.get(url, headers={"Range": "bytes=0-99"})  # how an audio element asks
    assert partial.status_code == 206 and len(partial.get_data()) == 100
    partial.close()
    assert web.get(f"/scripts/{script.id}/versions/2/preview").status_code == 404


def test_the_preview_of_a_script_is_for_its_own_area_only(app, web, db, scene):
    script = ops.add_script(db, scene["operator"], scene["series"], "Họp dân", TEXT, now=MADE)
    ops.submit_script(db, scene["operator"], script, now=MADE)
    stranger = create_user(db, "duyet-xa", "approver", scene["their_series"].plan.issued_by)
    url = f"/scripts/{script.id}/versions/1/preview"
    other_approver = client_as(app, stranger)
    assert other_approver.get(url).status_code == 403
    assert other_approver.get(f"/scripts/{script.id}").status_code == 403
    assert other_approver.get(f"/scripts/{script.id + 1000}/versions/1/preview").status_code == 404
    anonymous = web.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.location


def test_submitted_script_approved_by_the_approver_only(web, db, scene):
    script = ops.add_script(db, scene["operator"], scene["series"], "Họp dân", TEXT, now=MADE)
    ops.submit_script(db, scene["operator"], script, now=MADE)
    log_in(web, "op-tk")
    page = web.get(f"/scripts/{script.id}").get_data(as_text=True)
    assert "Duyệt kịch bản" not in page
    refused = web.post(f"/scripts/{script.id}/approve", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Không thực hiện được" in refused.get_data(as_text=True)
    db.expire_all()
    assert script.latest.status == "submitted"


def test_a_rejection_needs_a_reason_and_the_writer_sees_it(web, db, scene):
    script = ops.add_script(db, scene["operator"], scene["series"], "Họp dân", TEXT, now=MADE)
    ops.submit_script(db, scene["operator"], script, now=MADE)
    log_in(web, "duyet-tk")
    queue = web.get("/scripts/queue").get_data(as_text=True)
    assert "Họp dân" in queue
    empty = post_form(web, f"/scripts/{script.id}/reject", {"reason": " "}, page=f"/scripts/{script.id}")
    assert empty.status_code == 400
    assert _field_error(empty.get_data(as_text=True), "reason") == "Cho người viết biết vì sao kịch bản bị từ chối."
    post_form(web, f"/scripts/{script.id}/reject", {"reason": "Thiếu giờ họp."}, page=f"/scripts/{script.id}")
    db.expire_all()  # the requests wrote through sessions of their own
    assert script.latest.status == "rejected" and script.latest.reason == "Thiếu giờ họp."
    web.post("/logout", data={"csrf_token": csrf_token(queue)})
    log_in(web, "op-tk")
    assert "Thiếu giờ họp." in web.get(f"/scripts/{script.id}/edit").get_data(as_text=True)


def test_an_unchanged_edit_is_refused_and_a_change_is_shown_word_by_word(web, db, scene):
    script = ops.add_script(db, scene["operator"], scene["series"], "Họp dân", TEXT, now=MADE)
    ops.submit_script(db, scene["operator"], script, now=MADE)
    ops.approve_script(db, scene["approver"], script, now=MADE)
    log_in(web, "op-tk")
    same = post_form(web, f"/scripts/{script.id}/edit", {"text": TEXT, "action": "save"})
    assert same.status_code == 400
    assert _field_error(same.get_data(as_text=True), "text") == "Nội dung chưa thay đổi so với bản 1."
    changed = TEXT.replace("sáng Chủ nhật", "chiều Thứ 7")
    post_form(web, f"/scripts/{script.id}/edit", {"text": changed, "action": "submit"})
    db.expire_all()
    assert [v.status for v in script.versions] == ["approved", "submitted"]
    diff = web.get(f"/scripts/{script.id}").get_data(as_text=True)
    assert "Thay đổi so với bản 1" in diff
    assert "vào <del>sáng Chủ nhật.</del><ins>chiều Thứ 7.</ins>" in diff


def test_another_communes_script_is_refused(web, db, scene):
    script = ops.add_script(db, scene["other_operator"], scene["their_series"], "Tin Xuân An", TEXT, now=MADE)
    log_in(web, "op-tk")
    assert web.get(f"/scripts/{script.id}").status_code == 403
    assert web.get(f"/scripts/{script.id}/edit").status_code == 403
    assert "Tin Xuân An" not in web.get("/scripts/").get_data(as_text=True)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("a b c", "a x c", [("same", "a "), ("removed", "b"), ("added", "x"), ("same", " c")]),
    ("vào sáng Chủ nhật.", "vào chiều Thứ 7.", [("same", "vào "), ("removed", "sáng Chủ nhật."),
                                                ("added", "chiều Thứ 7.")]),
    ("a b c d", "a x c y", [("same", "a "), ("removed", "b"), ("added", "x"), ("same", " c "), ("removed", "d"),
                            ("added", "y")]),
    ("", "mới", [("added", "mới")]),
    ("cũ", "", [("removed", "cũ")]),
])
def test_changes_are_shown_in_whole_words(old, new, expected):
    assert [(c.kind, c.text) for c in word_changes(old, new)] == expected
