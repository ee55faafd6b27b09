"""The glossary pages: an area's abbreviations and their readings, kept by approvers and the culture
office, seen and heard by whoever writes scripts there; and the `radio tts glossary-remove` command."""
from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from radio.models import AuditLog, GlossaryEntry
from radio.scripts.voicing import set_glossary_entry
from tests.factories import MADE, create_user
from tests.radio.office_kit import client_as
from tests.radio.web_kit import csrf_token, post_form
from tests.radio.web_scene import scene  # noqa: F401  (fixture)

PAGE = "/scripts/glossary/TK"


def entries(db, area) -> dict[str, str]:
    db.expire_all()
    return {e.term: e.reading for e in db.scalars(select(GlossaryEntry).where(GlossaryEntry.area_id == area.id))}


def save(client, term, reading, page=PAGE):
    return post_form(client, page, {"action": "save", "term": term, "reading": reading})


def test_an_approver_adds_changes_and_removes_a_term(app, db, scene):
    approver = client_as(app, scene["approver"])
    assert approver.get("/scripts/glossary").headers["Location"] == PAGE  # their one area
    added = save(approver, "  BCĐX ", "ban chỉ đạo xã")
    assert added.status_code == 302 and unquote(added.headers["Location"]) == f"{PAGE}?try=BCĐX"
    area = scene["ours"].area
    assert entries(db, area) == {"BCĐX": "ban chỉ đạo xã"}
    page = approver.get(f"{PAGE}?try=BCĐX").get_data(as_text=True)
    assert "<strong>BCĐX</strong> → ban chỉ đạo xã" in page
    assert re.search(r'<input [^>]*name="sentence" [^>]*value="BCĐX"', page)  # ready to hear it in a sentence

    editing = approver.get(PAGE, query_string={"edit": "BCĐX"}).get_data(as_text=True)
    assert re.search(r'<input [^>]*name="reading" [^>]*value="ban chỉ đạo xã"', editing)  # "Sửa" starts from it
    assert save(approver, "BCĐX", "ban chỉ đạo của xã").status_code == 302
    assert entries(db, area) == {"BCĐX": "ban chỉ đạo của xã"}
    removed = post_form(approver, PAGE, {"action": "remove", "term": "BCĐX"})
    assert removed.status_code == 302 and entries(db, area) == {}
    rows = db.scalars(select(AuditLog).where(AuditLog.object_type == "glossary").order_by(AuditLog.id)).all()
    assert [(r.actor, r.action, r.before, r.after) for r in rows] == [
        ("duyet-tk", "glossary.set", None, {"reading": "ban chỉ đạo xã"}),
        ("duyet-tk", "glossary.set", {"reading": "ban chỉ đạo xã"}, {"reading": "ban chỉ đạo của xã"}),
        ("duyet-tk", "glossary.remove", {"reading": "ban chỉ đạo của xã"}, None)]


def test_the_preview_reads_a_sentence_with_the_areas_terms(app, db, scene):
    set_glossary_entry(db, None, scene["ours"].area, "BCĐX", "ban chỉ đạo xã", now=MADE)
    operator = client_as(app, scene["operator"])  # writers hear it too
    response = post_form(operator, PAGE, {"action": "preview", "sentence": "Họp BCĐX lúc 7h30."})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    normalised = re.search(r'<pre class="text" id="normalised">([^<]*)</pre>', html).group(1)
    assert "ban chỉ đạo xã" in normalised and "bảy giờ ba mươi" in normalised
    audio = re.search(r'src="(/scripts/previews/[0-9a-f]{64}\.(?:wav|mp3))"', html).group(1)
    with operator.get(audio) as served:
        assert served.status_code == 200 and served.data[:4] in (b"RIFF", b"ID3\x03", b"ID3\x04")
    assert 'value="Họp BCĐX lúc 7h30."' in html  # the sentence stays to try again


def test_a_sentence_with_nothing_to_read_is_refused_next_to_it(app, scene):
    response = post_form(client_as(app, scene["operator"]), PAGE, {"action": "preview", "sentence": "!!!"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<p class="error" id="sentence-error" role="alert">Câu cần có chữ hoặc số để nghe thử.</p>' in html


def test_a_voice_that_cannot_speak_is_said_in_vietnamese(app, scene, monkeypatch, tmp_path):
    """espeak-ng missing (not on PATH): the page says so in the reader's words, not the program's."""
    operator = client_as(app, scene["operator"])
    token_page = operator.get(PAGE).get_data(as_text=True)
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    response = operator.post(PAGE, data={"csrf_token": csrf_token(token_page), "action": "preview",
                                         "sentence": "Họp lúc 7h30."})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Không đọc thử được: giọng đọc espeak-ng đang không dùng được." in html
    assert "not installed" not in html and "apt-get" not in html


def test_operators_see_and_hear_but_may_not_change_the_glossary(app, db, scene):
    set_glossary_entry(db, None, scene["ours"].area, "BCĐX", "ban chỉ đạo xã", now=MADE)
    operator = client_as(app, scene["operator"])
    page = operator.get(PAGE).get_data(as_text=True)
    assert "<strong>BCĐX</strong> → ban chỉ đạo xã" in page
    assert 'name="reading"' not in page and 'value="remove"' not in page
    assert save(operator, "TKQ", "Thanh Kỳ quê hương", page=PAGE).status_code == 403
    assert post_form(operator, PAGE, {"action": "remove", "term": "BCĐX"}).status_code == 403
    assert entries(db, scene["ours"].area) == {"BCĐX": "ban chỉ đạo xã"}


def test_another_communes_glossary_is_out_of_reach(app, scene):
    operator = client_as(app, scene["operator"])
    assert operator.get("/scripts/glossary/XA").status_code == 403
    assert operator.get("/scripts/glossary/KHONG-CO").status_code == 404
    assert client_as(app, scene["other_operator"]).get(
        "/scripts/glossary", query_string={"area": "TK"}).headers["Location"] == PAGE
    assert client_as(app, scene["other_operator"]).get(PAGE).status_code == 403


def test_the_culture_office_keeps_the_province_terms_the_communes_inherit(app, db, scene):
    province = scene["ours"].area.parent
    office = create_user(db, "vanhoa", "oversight", province)
    client = client_as(app, office)
    assert save(client, "TKQ", "Thanh Kỳ quê hương", page="/scripts/glossary/TH").status_code == 302
    assert save(client, "BCĐX", "ban chỉ đạo xã").status_code == 302  # a commune below: also theirs
    commune_page = client_as(app, scene["approver"]).get(PAGE).get_data(as_text=True)
    assert "<strong>TKQ</strong> → Thanh Kỳ quê hương" in commune_page
    assert f"Của {province.name}" in commune_page


@pytest.mark.parametrize("term, reading, field, message", [
    ("BCĐX", "", "reading", "Nhập cách đọc."),
    ("", "ban chỉ đạo xã", "term", "Nhập từ viết tắt."),
    ("X" * 65, "ích", "term", "Từ viết tắt dài tối đa 64 ký tự."),
])
def test_a_refused_term_says_why_and_keeps_what_was_typed(app, db, scene, term, reading, field, message):
    response = save(client_as(app, scene["approver"]), term, reading)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<p class="error" id="{field}-error" role="alert">{message}</p>' in html
    assert f'value="{term or reading}"' in html
    assert entries(db, scene["ours"].area) == {}


def test_the_command_removes_a_term_for_those_who_may(runner, db, scene):
    area = scene["ours"].area
    set_glossary_entry(db, None, area, "BCĐX", "ban chỉ đạo xã", now=MADE)
    db.commit()
    refused = runner.invoke(args=["tts", "glossary-remove", "BCĐX", "--area", "TK", "--as", "op-tk"])
    assert refused.exit_code == 1 and "rights on TK are needed" in refused.output
    assert entries(db, area) == {"BCĐX": "ban chỉ đạo xã"}
    done = runner.invoke(args=["tts", "glossary-remove", "BCĐX", "--area", "TK", "--as", "duyet-tk"])
    assert done.exit_code == 0, done.output
    assert entries(db, area) == {}
    unknown = runner.invoke(args=["tts", "glossary-remove", "BCĐX", "--area", "TK"])
    assert unknown.exit_code == 1 and "TK has no reading of 'BCĐX'" in unknown.output
