"""An operator's own content goes where they meant it: the forms ask which series (each with what
it is for, and a general "Thông báo" series per plan), and only content meant for a requirement
enters its rotation. The rabies notice of the demo: filed as a notice, it never takes the weekly
item's slot."""
from __future__ import annotations

import io
import re
import subprocess
import zlib
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from radio.models import Episode, ScheduleEntry, Script, Series, User
from radio.schedule.operations import build_schedule
from radio.scripts import operations as ops
from radio.scripts.voicing import voice_script
from tests.factories import (
    MADE, create_area, create_episode, create_plan, create_requirement, create_series, create_station, create_user,
)
from tests.radio.web_kit import RequestScopedClient, log_in, post_form, web  # noqa: F401  (fixture)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 7, 1, tzinfo=timezone.utc)  # Monday 07/12/2026, 08:00 in Hà Nội


@pytest.fixture
def world(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    commune = create_area(db, "TK", "commune")
    station = create_station(db, commune, "thanhky")
    plan = create_plan(db, commune, "tk-2026")
    series = create_series(db, plan, "cds")
    create_requirement(db, plan, series, [station], code="tk-cds", date_from=date(2026, 12, 7),
                       date_to=date(2026, 12, 31))
    create_episode(db, series, "w50", available_from=date(2026, 12, 7))
    create_user(db, "op-tk", "operator", commune)
    create_user(db, "duyet-tk", "approver", commune)
    db.commit()
    return {"plan": plan, "series": series, "station": station}


@pytest.fixture
def tone(tmp_path):
    """A 3-second tone at `hz` (distinct audio for each upload: a series refuses the same twice)."""
    def make(hz: int = 440) -> bytes:
        path = tmp_path / f"tone-{hz}.wav"
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency={hz}:duration=3",
                        str(path)], check=True)
        return path.read_bytes()
    return make


def upload(web, series_value: str, title: str, audio: bytes, **fields):
    form = {"series": series_value, "title": title, "available_from": "", "expires": "",
            "audio": (io.BytesIO(audio), f"tin-{zlib.crc32(title.encode())}.wav"), **fields}
    return post_form(web, "/library/upload", form, page="/library/", content_type="multipart/form-data")


def airing(db, title: str) -> list[ScheduleEntry]:
    return db.scalars(select(ScheduleEntry).join(Episode).where(
        ScheduleEntry.status == "planned", Episode.title == title)).all()


def build(db):
    return build_schedule(db, None, date(2026, 12, 7), date(2026, 12, 31), now=NOW, tz=TZ)


def test_the_upload_form_offers_each_series_with_what_it_is_for(web, world):
    log_in(web, "op-tk")
    page = web.get("/library/").get_data(as_text=True)
    general = page.index(f'value="general-{world["plan"].id}"')
    assert general < page.index(f'value="{world["series"].id}"')  # the notice series first, and chosen
    assert re.search(rf'value="general-{world["plan"].id}" checked', page)
    assert "Thông báo một lần, tin riêng: không yêu cầu phát nào tính" in page
    assert "Phát theo yêu cầu: 2 lần mỗi tuần, cần 1 tin mới mỗi tuần." in page
    assert "Xếp tin này vào các lượt phát theo yêu cầu của chuyên mục" in page


def _for_requirements_box(page: str) -> str:
    return re.search(r'<input[^>]*name="for_requirements"[^>]*>', page).group(0)


@pytest.mark.parametrize("path", ["/library/", "/library/record", "/scripts/new"])
def test_the_offices_content_is_meant_for_the_requirements_unless_unticked_an_operators_is_not(
        app, web, db, world, path):
    """What the district office supplies fills its series' required airings by default, as a plan
    file's episodes do; an operator's own content does only when they tick it."""
    create_user(db, "vanhoa-tk", "oversight", world["station"].area)
    db.commit()
    log_in(web, "op-tk")
    assert "checked" not in _for_requirements_box(web.get(path).get_data(as_text=True))
    office = RequestScopedClient(app, app.response_class, use_cookies=True)
    log_in(office, "vanhoa-tk")
    assert "checked" in _for_requirements_box(office.get(path).get_data(as_text=True))


def test_a_notice_in_the_general_series_never_lands_in_a_requirements_slot(web, db, world, tone):
    log_in(web, "op-tk")
    saved = upload(web, f"general-{world['plan'].id}", "Thông báo tiêm phòng dại", tone())
    assert saved.status_code == 302, saved.get_data(as_text=True)
    notice = db.scalar(select(Episode).where(Episode.title == "Thông báo tiêm phòng dại"))
    assert (notice.series.code, notice.series.title, notice.for_requirements) == ("thong-bao", "Thông báo", False)
    build(db)
    assert airing(db, "Thông báo tiêm phòng dại") == []
    assert len(airing(db, "Bản tin w50")) == 2  # Tuesday and Thursday keep the weekly item


def test_an_upload_in_a_requirements_series_enters_its_rotation_only_when_ticked(web, db, world, tone):
    log_in(web, "op-tk")
    series = str(world["series"].id)
    assert upload(web, series, "Âm báo thử 2 phút", tone()).status_code == 302
    assert upload(web, series, "Bản tin tuần 51", tone(660), for_requirements="y").status_code == 302
    flags = dict(db.execute(select(Episode.title, Episode.for_requirements)).all())
    assert flags["Âm báo thử 2 phút"] is False and flags["Bản tin tuần 51"] is True
    build(db)
    assert airing(db, "Âm báo thử 2 phút") == []
    assert airing(db, "Bản tin tuần 51")  # next week's new item


def test_the_general_series_is_created_once_per_plan(web, db, world, tone):
    log_in(web, "op-tk")
    upload(web, f"general-{world['plan'].id}", "Thông báo 1", tone())
    page = web.get("/library/").get_data(as_text=True)
    general = db.scalar(select(Series).where(Series.code == "thong-bao"))
    assert f'value="general-{world["plan"].id}"' not in page and f'value="{general.id}"' in page
    assert upload(web, str(general.id), "Thông báo 2", tone(660)).status_code == 302
    assert db.scalars(select(Series.code).where(Series.plan_id == world["plan"].id).order_by(Series.code)).all() == [
        "cds", "thong-bao"]


def test_a_script_for_the_general_series_voices_into_an_episode_no_requirement_counts(web, db, world):
    log_in(web, "op-tk")
    response = post_form(web, "/scripts/new", {"series": f"general-{world['plan'].id}", "title": "Tiêm phòng dại",
                                               "text": "Mời bà con đưa chó mèo đi tiêm phòng dại.", "station": "",
                                               "action": "submit"})
    assert response.status_code == 302, response.get_data(as_text=True)
    script = db.scalar(select(Script).where(Script.title == "Tiêm phòng dại"))
    assert script.series.code == "thong-bao" and script.for_requirements is False
    ops.approve_script(db, db.scalar(select(User).where(User.username == "duyet-tk")), script, now=MADE)
    episode = voice_script(db, None, script, now=MADE)
    assert episode.for_requirements is False and episode.series.code == "thong-bao"


def test_the_cli_marks_a_one_off_item(runner, db, world, tone, tmp_path):
    path = tmp_path / "am-bao.wav"
    path.write_bytes(tone(880))
    result = runner.invoke(args=["audio", "add", str(path), "--series", "cds", "--title", "Âm báo thử", "--one-off",
                                 "--as", "op-tk"])
    assert result.exit_code == 0, result.output
    written = runner.invoke(args=["scripts", "add", "--series", "cds", "--title", "Tin định kỳ", "--text", "Nội dung.",
                                  "--as", "op-tk"])
    assert written.exit_code == 0, written.output
    db.expire_all()
    assert db.scalar(select(Episode.for_requirements).where(Episode.title == "Âm báo thử")) is False
    assert db.scalar(select(Script.for_requirements).where(Script.title == "Tin định kỳ")) is True
