"""Spots recorded with a microphone, through the test client: a real WebM/Opus upload (what
Chromium's MediaRecorder sends) waits for approval, an approver hears and decides, an approved
one is an episode the bulletin form offers; what is refused, and to whom."""
from __future__ import annotations

import io
import re
import subprocess

import pytest
from sqlalchemy import select

from radio.errors import Forbidden, RadioError
from radio.media.recordings import RecordingDecided, add_recording, approve_recording, reject_recording
from radio.models import AuditLog, Episode, Recording
from radio.stores import media_store
from tests.factories import create_user
from tests.radio.office_kit import client_as
from tests.radio.web_kit import csrf_token, log_in, post_form, web  # noqa: F401  (fixture)
from tests.radio.web_scene import NOW, scene  # noqa: F401  (fixture)


@pytest.fixture(scope="module")
def webm(tmp_path_factory) -> bytes:
    """Two seconds of Opus in WebM written to a pipe: no duration in the header, as browsers record."""
    return subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=330:duration=2",
                           "-c:a", "libopus", "-f", "webm", "pipe:1"], check=True, capture_output=True).stdout


def _error(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error" role="alert">([^<]*)</p>', html)
    assert match, f"no error next to {field}"
    return match.group(1)


def _record(web, series, data: bytes | None, title="Thông báo tiêm phòng dại", name="ghi-am.webm"):
    form = {"series": str(series.id), "title": title}
    if data is not None:
        form["audio"] = (io.BytesIO(data), name)
    return post_form(web, "/library/record", form, content_type="multipart/form-data")


def _recordings(db) -> list[Recording]:
    db.expire_all()
    return db.scalars(select(Recording).order_by(Recording.id)).all()


def _bulletin_choices(web) -> str:
    page = web.get("/office/bulletins")
    assert page.status_code == 200
    return page.get_data(as_text=True).split('name="episode"')[1].split("</select>")[0]


def test_an_operators_recording_waits_converted_and_off_air_until_approved(web, db, scene, webm):
    log_in(web, "op-tk")
    response = _record(web, scene["series"], webm)
    assert response.status_code == 302
    [recording] = _recordings(db)
    assert (recording.status, recording.title, recording.recorded_by.username) == (
        "submitted", "Thông báo tiêm phòng dại", "op-tk")
    media = recording.media
    assert (media.suffix, media.codec, media.is_canonical) == ("mp3", "mp3", True)
    assert media.duration_s == pytest.approx(2.0, abs=0.1) and media.loudness_lufs is not None
    assert media_store().path_for(media.original_sha256).suffix == ".webm"  # the upload, kept as sent
    assert recording.episode is None  # nothing airs it: not an episode yet
    assert db.scalars(select(Episode.title).where(Episode.series_id == scene["series"].id)).all() == ["Bản tin tin-1"]
    page = web.get(response.location).get_data(as_text=True)
    assert "Đã gửi bản ghi “Thông báo tiêm phòng dại” (2 giây) để duyệt." in page and "Chờ duyệt" in page
    assert "Duyệt bản ghi" not in page  # an operator does not decide
    assert "Thông báo tiêm phòng dại" not in _bulletin_choices(web)
    audit = db.scalars(select(AuditLog).where(AuditLog.action == "recording.add")).one()
    assert audit.after["title"] == "Thông báo tiêm phòng dại" and audit.actor == "op-tk"


def test_the_approver_hears_it_approves_it_and_it_is_offered_for_bulletins(app, web, db, scene, webm):
    log_in(web, "op-tk")
    _record(web, scene["series"], webm)
    [recording] = _recordings(db)
    approver = client_as(app, "duyet-tk")
    listed = approver.get("/library/recordings").get_data(as_text=True)
    assert f"/library/recordings/{recording.id}" in listed and "Thông báo tiêm phòng dại" in listed
    heard = approver.get(f"/library/recordings/{recording.id}/audio")
    assert (heard.status_code, heard.mimetype) == (200, "audio/mpeg")
    assert heard.data == media_store().path_for(recording.media_sha256).read_bytes()
    heard.close()
    page = approver.get(f"/library/recordings/{recording.id}").get_data(as_text=True)
    approved = approver.post(f"/library/recordings/{recording.id}/approve", data={"csrf_token": csrf_token(page)})
    assert approved.status_code == 302
    [recording] = _recordings(db)
    episode = recording.episode
    assert (recording.status, recording.decided_by.username) == ("approved", "duyet-tk")
    assert (episode.series_id, episode.code, episode.title, episode.media_sha256) == (
        scene["series"].id, "thong-bao-tiem-phong-dai", "Thông báo tiêm phòng dại", recording.media_sha256)
    assert "Đã duyệt: tin “Thông báo tiêm phòng dại” đã vào chuyên mục" in approver.get(
        approved.location).get_data(as_text=True)
    assert "kh-tk/cds/thong-bao-tiem-phong-dai" in _bulletin_choices(web)
    assert db.scalars(select(AuditLog.after).where(AuditLog.action == "recording.approve")).one() == {
        "status": "approved", "episode": "thong-bao-tiem-phong-dai"}


def test_an_approvers_own_recording_is_approved_at_once_and_titles_keep_codes_apart(web, db, scene, webm):
    log_in(web, "duyet-tk")
    assert _record(web, scene["series"], webm).status_code == 302
    assert _record(web, scene["series"], webm, name="lan-hai.webm").status_code == 302
    first, second = _recordings(db)
    assert (first.status, first.decided_by.username) == ("approved", "duyet-tk")
    assert [first.episode.code, second.episode.code] == ["thong-bao-tiem-phong-dai", "thong-bao-tiem-phong-dai-2"]
    assert "Đã ghi âm và duyệt tin" in web.get(f"/library/recordings/{second.id}").get_data(as_text=True)


def test_a_rejection_needs_a_reason_the_recorder_then_reads(app, web, db, scene, webm):
    log_in(web, "op-tk")
    _record(web, scene["series"], webm)
    [recording] = _recordings(db)
    approver = client_as(app, "duyet-tk")
    url = f"/library/recordings/{recording.id}"
    bare = post_form(approver, f"{url}/reject", {"reason": " "}, page=url)
    assert bare.status_code == 400
    assert _error(bare.get_data(as_text=True), "reason") == "Cho người ghi âm biết vì sao bản ghi bị từ chối."
    assert post_form(approver, f"{url}/reject", {"reason": "Tiếng ồn quá lớn, ghi lại ở nơi yên tĩnh."},
                     page=url).status_code == 302
    [recording] = _recordings(db)
    assert (recording.status, recording.reason, recording.episode) == (
        "rejected", "Tiếng ồn quá lớn, ghi lại ở nơi yên tĩnh.", None)
    assert "Tiếng ồn quá lớn" in web.get(url).get_data(as_text=True)  # the recorder reads why
    late = post_form(approver, f"{url}/approve", {}, page="/library/")
    assert late.status_code == 302
    assert "Bản ghi này đã được duyệt hoặc từ chối trước đó." in approver.get(late.location).get_data(as_text=True)
    assert _recordings(db)[0].status == "rejected"


def test_nobody_but_an_approver_of_the_area_decides(app, web, db, scene, webm):
    log_in(web, "op-tk")
    _record(web, scene["series"], webm)
    [recording] = _recordings(db)
    url = f"/library/recordings/{recording.id}"
    assert post_form(web, f"{url}/approve", {}, page=url).status_code == 403  # the recorder, an operator
    create_user(db, "duyet-xa", "approver", scene["theirs"].area)
    elsewhere = client_as(app, "duyet-xa")
    assert elsewhere.get(url).status_code == 403
    assert elsewhere.get(f"{url}/audio").status_code == 403
    assert post_form(elsewhere, f"{url}/approve", {}, page="/library/").status_code == 403
    assert post_form(elsewhere, f"{url}/reject", {"reason": "không"}, page="/library/").status_code == 403
    assert "Thông báo tiêm phòng dại" not in elsewhere.get("/library/recordings").get_data(as_text=True)
    assert _recordings(db)[0].status == "submitted"


def test_a_series_outside_the_users_areas_is_refused(web, db, scene, webm):
    log_in(web, "op-tk")
    response = _record(web, scene["their_series"], webm)
    assert response.status_code == 400
    assert _error(response.get_data(as_text=True), "series") == "Chọn một mục trong danh sách."
    assert _recordings(db) == []


def test_what_is_not_audio_or_too_big_or_untitled_is_refused_next_to_its_field(app, web, db, scene, webm,
                                                                              monkeypatch, tmp_path):
    log_in(web, "op-tk")
    text = _record(web, scene["series"], "đây không phải âm thanh".encode())
    assert text.status_code == 400
    assert _error(text.get_data(as_text=True), "audio") == (
        "Tệp gửi lên không phải âm thanh dùng được (MP3, WAV, OGG, M4A, FLAC hoặc WebM).")
    wav = tmp_path / "ghi-am.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=duration=2", str(wav)], check=True)
    cut = _record(web, scene["series"], wav.read_bytes()[:40_000], name="ghi-am.wav")  # cut off mid-sample
    assert cut.status_code == 400
    assert _error(cut.get_data(as_text=True), "audio").startswith("Bản ghi bị hỏng")
    untitled = _record(web, scene["series"], webm, title="")
    assert untitled.status_code == 400 and _error(untitled.get_data(as_text=True), "title") == "Nhập tiêu đề tin."
    missing = _record(web, scene["series"], None)
    assert _error(missing.get_data(as_text=True), "audio") == "Hãy ghi âm, hoặc chọn một tệp ghi âm."
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", len(webm) // 2)
    big = _record(web, scene["series"], webm)
    html = big.get_data(as_text=True)
    assert big.status_code == 413 and 'id="recorder"' in html  # the recording page, not the upload page
    assert _error(html, "audio") == f"Tệp quá lớn: tối đa {app.config['MAX_UPLOAD_MB']} MB."
    assert _recordings(db) == []


def test_a_recording_in_a_container_the_store_does_not_keep_is_refused_not_a_crash(web, db, scene):
    aiff = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", "-f", "aiff",
                           "pipe:1"], check=True, capture_output=True).stdout
    log_in(web, "op-tk")
    response = _record(web, scene["series"], aiff, name="ghi-am.aiff")
    assert response.status_code == 400
    assert _error(response.get_data(as_text=True), "audio").startswith("Tệp gửi lên không phải âm thanh dùng được")
    assert _recordings(db) == []


def test_the_library_and_the_script_pages_lead_to_the_recorder(web, db, scene, webm):
    log_in(web, "op-tk")
    assert 'href="/library/record"' in web.get("/library/").get_data(as_text=True)
    assert 'href="/library/record"' in web.get("/scripts/").get_data(as_text=True)
    _record(web, scene["series"], webm)
    assert "1 bản ghi chờ duyệt" in web.get("/library/").get_data(as_text=True)
    page = web.get("/library/record").get_data(as_text=True)
    assert "Chuyên mục Chuyển đổi số" in page and 'data-unsupported="Trình duyệt này không ghi âm được' in page


def test_the_operations_check_rights_themselves(db, scene, webm, tmp_path):
    """What the CLI or another page would meet: the operations refuse without the pages' checks."""
    path = tmp_path / "ghi-am.webm"
    path.write_bytes(webm)
    with pytest.raises(Forbidden, match="op-xa may not record spots for cds"):
        add_recording(db, scene["other_operator"], scene["series"], path, title="Tin", name=path.name, now=NOW)
    waiting = add_recording(db, scene["operator"], scene["series"], path, title="Tin", name=path.name, now=NOW)
    with pytest.raises(Forbidden, match="approver rights on TK are needed"):
        approve_recording(db, scene["operator"], waiting, now=NOW)
    with pytest.raises(RadioError, match="a rejection needs a reason"):
        reject_recording(db, scene["approver"], waiting, "  ", now=NOW)
    approve_recording(db, scene["approver"], waiting, now=NOW)
    with pytest.raises(RecordingDecided):
        reject_recording(db, scene["approver"], waiting, "muộn", now=NOW)
    assert (waiting.status, waiting.episode.title, waiting.decided_at) == ("approved", "Tin", NOW)
