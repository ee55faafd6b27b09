"""Audio library pages through the test client: upload refusals keep the form, scope, availability."""
from __future__ import annotations

import io
import re
import subprocess
from datetime import datetime, timezone

from sqlalchemy import select

from radio.models import AuditLog, Episode
from tests.factories import create_user
from tests.radio.web_kit import RequestScopedClient, csrf_token, log_in, post_form, web  # noqa: F401  (fixture)
from tests.radio.web_scene import scene  # noqa: F401  (fixture)


def _error(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error" role="alert">([^<]*)</p>', html)
    assert match, f"no error next to {field}"
    return match.group(1)


def _upload(web, scene, data: bytes | None, name="ban-tin.wav", **fields):
    form = {"series": str(scene["series"].id), "title": "Bản tin thử", "available_from": "", "expires": "", **fields}
    if data is not None:
        form["audio"] = (io.BytesIO(data), name)
    return post_form(web, "/library/upload", form, page="/library/", content_type="multipart/form-data")


def _episodes(db, scene) -> list[str]:
    db.expire_all()
    return db.scalars(select(Episode.title).where(Episode.series_id == scene["series"].id)).all()


def test_upload_without_a_file_or_with_bad_dates_is_refused_next_to_the_fields(web, db, scene):
    log_in(web, "op-tk")
    missing = _upload(web, scene, None)
    assert missing.status_code == 400 and _error(missing.get_data(as_text=True), "audio") == "Chọn một tệp âm thanh."
    dates = _upload(web, scene, b"x", available_from="31/12/2026", expires="01/12/2026")
    html = dates.get_data(as_text=True)
    assert _error(html, "expires") == "Ngày hết hạn phải sau ngày bắt đầu phát."
    assert 'value="31/12/2026"' in html and 'value="Bản tin thử"' in html  # kept as typed
    bad = _upload(web, scene, b"x", available_from="31/02/2026").get_data(as_text=True)
    assert _error(bad, "available_from").startswith("Ngày không hợp lệ")
    assert 'value="31/02/2026"' in bad
    assert _episodes(db, scene) == ["Bản tin tin-1"]


def test_a_file_that_is_not_audio_is_refused_and_nothing_is_stored(web, db, scene, app, tmp_path):
    log_in(web, "op-tk")
    response = _upload(web, scene, b"RIFF-but-not-really-audio")
    assert response.status_code == 400
    assert _error(response.get_data(as_text=True), "audio").startswith("Tệp này không dùng được:")
    assert _episodes(db, scene) == ["Bản tin tin-1"]


def test_a_file_over_the_limit_is_refused_with_the_limit(web, db, scene, app, monkeypatch):
    log_in(web, "op-tk")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    response = _upload(web, scene, b"0" * 4096)
    assert response.status_code == 413
    assert _error(response.get_data(as_text=True), "audio") == f"Tệp quá lớn: tối đa {app.config['MAX_UPLOAD_MB']} MB."


def test_real_audio_becomes_an_episode_with_its_facts(web, db, scene, tmp_path):
    tone = tmp_path / "tone.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=3", str(tone)],
                   check=True)
    log_in(web, "op-tk")
    response = _upload(web, scene, tone.read_bytes(), expires="31/12/2026")
    assert response.status_code == 302
    page = web.get("/library/").get_data(as_text=True)
    assert "Đã thêm tin “Bản tin thử” (3 giây)." in page and "đến hết 31/12/2026" in page and "LUFS" in page
    assert sorted(_episodes(db, scene)) == ["Bản tin thử", "Bản tin tin-1"]


def test_the_same_audio_again_in_the_series_is_refused_naming_the_episode_that_has_it(web, db, scene, tmp_path):
    tone = tmp_path / "tone.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=3", str(tone)],
                   check=True)
    log_in(web, "op-tk")
    assert _upload(web, scene, tone.read_bytes()).status_code == 302
    again = _upload(web, scene, tone.read_bytes(), name="ban-tin-lan-hai.wav", title="Lần hai")
    assert again.status_code == 400
    assert _error(again.get_data(as_text=True), "audio") == (
        "Chuyên mục này đã có tin “Bản tin thử” với đúng âm thanh này.")
    assert sorted(_episodes(db, scene)) == ["Bản tin thử", "Bản tin tin-1"]


def test_availability_is_saved_audited_and_checked(web, db, scene):
    episode = scene["episode"]
    log_in(web, "op-tk")
    url = f"/library/episodes/{episode.id}"
    refused = post_form(web, url, {"available_from": "10/12/2026", "expires": "01/12/2026"})
    assert refused.status_code == 400
    assert post_form(web, url, {"available_from": "01/12/2026", "expires": "31/12/2026"}).status_code == 302
    db.expire_all()
    assert (f"{episode.available_from:%d/%m/%Y}", f"{episode.expires:%d/%m/%Y}") == ("01/12/2026", "31/12/2026")
    audit = db.scalars(select(AuditLog).where(AuditLog.action == "episode.availability")).one()
    assert audit.after == {"available_from": "2026-12-01", "expires": "2026-12-31"}


def test_another_communes_episode_is_refused(web, scene):
    log_in(web, "op-tk")
    assert web.get(f"/library/episodes/{scene['their_episode'].id}").status_code == 403
    assert "Bản tin tin-2" not in web.get("/library/").get_data(as_text=True)
    token = csrf_token(web.get("/library/").get_data(as_text=True))
    response = web.post("/library/upload", data={"csrf_token": token, "series": str(scene["their_series"].id),
                                                 "audio": (io.BytesIO(b"x"), "x.wav")},
                        content_type="multipart/form-data")
    assert response.status_code == 400
    assert _error(response.get_data(as_text=True), "series") == "Chọn một mục trong danh sách."


def test_new_dates_for_a_scheduled_item_say_its_entries_wait_for_a_rebuild(web, db, scene):
    episode = scene["episode"]  # aired by today's entry
    log_in(web, "op-tk")
    saved = post_form(web, f"/library/episodes/{episode.id}", {"available_from": "", "expires": "23/11/2026"})
    page = web.get(saved.location).get_data(as_text=True)
    assert ("Đã lưu thời hạn phát. 1 mục đã xếp lịch của tin này vẫn giữ nguyên cho tới khi lập lại lịch phát."
            in page)


def _rebuild_form(page: str) -> tuple[str, dict]:
    """The library note's rebuild form: where it posts and its hidden fields."""
    section = page.split('id="rebuild-offer"')[1].split("</section>")[0]
    action = re.search(r'<form method="post" action="([^"]+)"', section).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', section))
    return action, {"csrf_token": csrf_token(section), **fields}


def test_new_dates_for_a_scheduled_item_show_old_and_new_and_rebuild_its_station_for_those_dates(web, db, scene, app,
                                                                                                 monkeypatch):
    episode = scene["episode"]  # aired by today's entry at Thanh Kỳ, 05:30; no dates yet
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2026, 11, 23, 22, 0, tzinfo=timezone.utc))  # 05:00
    log_in(web, "op-tk")
    saved = post_form(web, f"/library/episodes/{episode.id}", {"available_from": "", "expires": "23/11/2026"})
    page = web.get(saved.location).get_data(as_text=True)
    note = page.split('id="rebuild-offer"')[1].split("</section>")[0]
    assert "Hết hạn sau ngày: — → 23/11/2026" in note and "Phát từ ngày" not in note  # only what changed
    assert "Lập lại lịch của Đài Khu TK từ 24/11/2026 đến 24/11/2026" in note
    action, fields = _rebuild_form(page)
    assert fields["stations"] == "thanhky" and (fields["start"], fields["end"]) == ("24/11/2026", "24/11/2026")
    job = web.post(action, data=fields)
    assert job.status_code == 302 and "/jobs/" in job.location
    job_page = web.get(job.location).get_data(as_text=True)
    assert 'data-state="finished"' in job_page and f'href="/library/episodes/{episode.id}"' in job_page
    warnings = job_page.split('id="job-warnings"')[1].split("</table>")[0]  # the rebuild saw the new expiry
    assert "Đài Khu TK" in warnings and "“Bản tin tin-1” → “chờ nội dung”: tập cũ không còn được phát" in warnings
    status = web.get(job.location + ".json").get_json()
    assert (status["from"], status["to"], status["total"]) == ("2026-11-24", "2026-11-24", 1)
    assert web.get(f"/library/episodes/{episode.id}").get_data(as_text=True).count('id="rebuild-offer"') == 0


def test_the_rebuild_button_is_only_for_those_who_may_build_the_station(web, db, scene, app):
    episode = scene["episode"]
    log_in(web, "duyet-tk")  # an approver may change the dates but not build schedules
    saved = post_form(web, f"/library/episodes/{episode.id}", {"available_from": "", "expires": "23/11/2026"})
    note = web.get(saved.location).get_data(as_text=True).split('id="rebuild-offer"')[1].split("</section>")[0]
    assert "Hết hạn sau ngày: — → 23/11/2026" in note and "<form" not in note
    assert "Người lập lịch của Đài Khu TK cần lập lại lịch từ 24/11/2026 đến 24/11/2026." in note
    other = RequestScopedClient(app, app.response_class, use_cookies=True)
    log_in(other, "op-xa")  # another commune's operator: not their station
    token = csrf_token(other.get("/library/").get_data(as_text=True))
    refused = other.post("/office/stations/rebuild", data={"csrf_token": token, "stations": "thanhky",
                                                          "start": "24/11/2026", "end": "24/11/2026"})
    assert refused.status_code == 403
    unknown = other.post("/office/stations/rebuild", data={"csrf_token": token, "stations": "nowhere",
                                                          "start": "24/11/2026", "end": "24/11/2026"})
    assert unknown.status_code == 404
    assert db.scalars(select(AuditLog).where(AuditLog.action == "schedule.build",
                                             AuditLog.user_id.is_not(None))).all() == []


def test_the_culture_office_gets_the_rebuild_button_too(web, db, scene):
    create_user(db, "vanhoa-th", "oversight", scene["ours"].area.parent)
    db.commit()
    log_in(web, "vanhoa-th")
    saved = post_form(web, f"/library/episodes/{scene['episode'].id}",
                      {"available_from": "01/12/2026", "expires": ""})
    page = web.get(saved.location).get_data(as_text=True)
    action, fields = _rebuild_form(page)
    assert "Phát từ ngày: — → 01/12/2026" in page
    assert (action, fields["stations"], fields["start"], fields["end"]) == (
        "/office/stations/rebuild", "thanhky", "24/11/2026", "24/11/2026")
    assert web.post(action, data=fields).status_code == 302
