"""Scripts voiced and previewed in the station's regional voice (real espeak-ng), the cache kept
apart per region, and the preview page showing the reading with what was rewritten highlighted."""
from __future__ import annotations

import re
import subprocess

from sqlalchemy import func, select

from radio.models import TtsCacheEntry
from radio.scripts import operations as ops
from radio.scripts.voicing import voice_script
from radio.stores import media_store
from tests.factories import MADE, create_user
from tests.radio.web_kit import log_in, post_form, web  # noqa: F401  (fixture)
from tests.radio.web_scene import scene  # noqa: F401  (fixture)

TEXT = "Họp lúc 7h30 tại UBND xã, phí 1.000đ/người."


def _approved(db, writer, approver, series):
    script = ops.add_script(db, writer, series, "Họp dân", TEXT, now=MADE)
    ops.submit_script(db, writer, script, now=MADE)
    ops.approve_script(db, approver, script, now=MADE)
    return script


def _pcm(sha256: str) -> bytes:
    return subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", media_store().path_for(sha256),
                           "-f", "s16le", "-ac", "1", "-"], check=True, capture_output=True).stdout


def test_two_regions_voice_the_same_script_differently_and_never_share_a_cache_entry(db, scene):
    scene["ours"].area.voice_region = "south"  # Thanh Kỳ reads southern; Xuân An keeps the default
    their_approver = create_user(db, "duyet-xa", "approver", scene["theirs"].area)
    ours = _approved(db, scene["operator"], scene["approver"], scene["series"])
    theirs = _approved(db, scene["other_operator"], their_approver, scene["their_series"])
    south, north = voice_script(db, None, ours, now=MADE), voice_script(db, None, theirs, now=MADE)
    assert south.media_sha256 != north.media_sha256 and _pcm(south.media_sha256) != _pcm(north.media_sha256)
    entries = db.scalars(select(TtsCacheEntry)).all()
    assert sorted(e.voice for e in entries) == ["vi", "vi-vn-x-south"] and len({e.key for e in entries}) == 2
    scene["ours"].area.voice_region = None  # now both read northern: the northern spot is served
    assert voice_script(db, None, ours, now=MADE).media_sha256 == north.media_sha256
    assert db.scalar(select(func.count()).select_from(TtsCacheEntry)) == 2


def test_the_preview_shows_the_reading_with_what_was_rewritten_highlighted(web, db, scene):
    scene["ours"].voice_region = "south"
    db.commit()
    log_in(web, "op-tk")
    form = {"series": str(scene["series"].id), "title": "Họp dân", "text": TEXT, "action": "preview"}
    html = post_form(web, "/scripts/new", {**form, "station": "thanhky"}).get_data(as_text=True)
    reading = re.search(r'<p class="reading" id="reading" lang="vi">(.*?)</p>', html, re.S).group(1)
    assert reading.startswith("Họp lúc <mark") and "Giọng miền Nam" in html
    assert re.search(r'<mark tabindex="0" title="UBND" data-original="UBND">ủy ban nhân dân', reading)
    assert 'title="1.000"' in reading and ">một ngàn<" in reading  # the southern word
    plans = post_form(web, "/scripts/new", form).get_data(as_text=True)  # the plan's voice: its one station's
    assert ">một ngàn<" in plans and "Giọng miền Nam" in plans
    scene["ours"].voice_region = None
    db.commit()
    northern = post_form(web, "/scripts/new", form).get_data(as_text=True)  # nothing chosen: the default
    assert ">một nghìn<" in northern and "Giọng miền Bắc" in northern
    audio = [re.search(r'src="(/scripts/previews/[0-9a-f]{64}\.mp3)"', page).group(1)
             for page in (html, plans, northern)]
    assert audio[0] == audio[1] != audio[2]  # one region's preview is never played for another


def test_a_station_outside_the_persons_areas_cannot_be_chosen(web, db, scene):
    log_in(web, "op-tk")
    response = post_form(web, "/scripts/new", {"series": str(scene["series"].id), "title": "Họp dân",
                                               "text": TEXT, "action": "preview", "station": "xuanan"})
    assert response.status_code == 400 and "Chọn một mục trong danh sách." in response.get_data(as_text=True)
