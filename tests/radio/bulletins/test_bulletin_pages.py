"""Office pages, bulletins: issued from the form, on the device's next poll, who fetched and played it."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from radio.devices.operations import issue_token
from radio.models import Bulletin
from tests.factories import (
    MADE, create_device, create_episode, create_plan, create_series, create_station, create_tree, create_user,
)
from tests.radio.office_kit import client_as, post_form


@pytest.fixture
def world(db):
    tree = create_tree(db)
    tk, xa = create_station(db, tree["TH-NT-TK"], "st-tk"), create_station(db, tree["TH-TX-XA"], "st-xa")
    series = create_series(db, create_plan(db, tree["TH-NT"], "kh-nt"), "cds")
    create_device(db, tk, tree["TH-NT-TK-01"], "loa-01")
    create_device(db, xa, tree["TH-TX-XA-01"], "loa-xa")
    create_episode(db, series, "bt-1", duration_s=60.0)
    return {"tree": tree, "office": create_user(db, "vanhoa-nt", "oversight", tree["TH-NT"]),
            "other": create_user(db, "vanhoa-tx", "oversight", tree["TH-TX"]),
            "tokens": {code: issue_token(db, None, code, now=MADE) for code in ("loa-01", "loa-xa")}}


def poll(client, device, token):
    response = client.get(f"/api/v1/devices/{device}/bulletins", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return [b["title"] for b in response.get_json()["bulletins"]]


EMERGENCY = {"episode": "kh-nt/cds/bt-1", "areas": ["TH-NT"], "priority": "emergency", "title": "Cảnh báo lũ"}


def test_an_emergency_bulletin_asks_first_saying_how_many_loudspeakers_it_interrupts(app, db, world):
    office = client_as(app, world["office"])
    asked = post_form(office, "/office/bulletins", EMERGENCY)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and db.scalar(select(Bulletin)) is None  # nothing issued yet
    confirm = html.split('id="emergency-confirm"')[1].split("</div>")[0]
    assert "phát ngay trên 1 loa thôn (Khu TH-NT), ngắt mọi chương trình đang phát" in confirm
    assert 'name="confirm" value="emergency"' in confirm and 'value="Cảnh báo lũ"' in html  # the form is kept
    office.set_cookie("lang", "en")
    english = post_form(office, "/office/bulletins", EMERGENCY).get_data(as_text=True)
    assert "will play at once on 1 village loudspeaker(s) (Khu TH-NT), interrupting whatever is playing" in english


def test_an_emergency_bulletin_from_the_page_is_on_the_next_poll(app, db, world):
    office = client_as(app, world["office"])
    device = client_as(app, None)
    assert poll(device, "loa-01", world["tokens"]["loa-01"]) == []
    response = post_form(office, "/office/bulletins", {**EMERGENCY, "confirm": "emergency"})
    assert response.status_code == 302
    assert poll(device, "loa-01", world["tokens"]["loa-01"]) == ["Cảnh báo lũ"]
    assert poll(device, "loa-xa", world["tokens"]["loa-xa"]) == []  # another district
    page = office.get(response.location).get_data(as_text=True)
    row = page.split('<td data-label="Thiết bị">loa-01</td>')[1].split("</tr>")[0]
    assert row.count("—") == 1  # fetched, not yet played
    bulletin = db.scalar(select(Bulletin))
    assert bulletin.priority == "emergency" and [a.code for a in bulletin.areas] == ["TH-NT"]


def test_a_refused_bulletin_says_why_and_keeps_the_choices(app, db, world):
    office = client_as(app, world["office"])
    response = post_form(office, "/office/bulletins", {"episode": "kh-nt/cds/bt-1", "areas": ["TH-NT"],
                                                       "priority": "normal", "valid_from": "08:00 02/12/2026",
                                                       "valid_until": "08:00 01/12/2026"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Lúc hết hiệu lực 08:00 01/12/2026 phải sau lúc bắt đầu 08:00 02/12/2026." in html
    office.set_cookie("lang", "en")
    english = post_form(office, "/office/bulletins", {"episode": "kh-nt/cds/bt-1", "areas": ["TH-NT"],
                                                      "priority": "normal", "valid_from": "08:00 02/12/2026",
                                                      "valid_until": "08:00 01/12/2026"}).get_data(as_text=True)
    assert "must be after" in english and "phải sau" not in english
    assert 'value="TH-NT" selected' in html or 'selected value="TH-NT"' in html
    assert db.scalar(select(Bulletin)) is None


def test_areas_outside_the_office_are_neither_offered_nor_accepted(app, db, world):
    office = client_as(app, world["office"])
    assert 'value="TH-TX"' not in office.get("/office/bulletins").get_data(as_text=True)
    response = post_form(office, "/office/bulletins", {"episode": "kh-nt/cds/bt-1", "areas": ["TH-TX"],
                                                       "priority": "emergency"})
    assert response.status_code == 422 and db.scalar(select(Bulletin)) is None


def test_another_district_cannot_see_or_cancel_the_bulletin(app, db, world):
    office = client_as(app, world["office"])
    location = post_form(office, "/office/bulletins", {"episode": "kh-nt/cds/bt-1", "areas": ["TH-NT"],
                                                       "priority": "emergency", "confirm": "emergency"}).location
    other = client_as(app, world["other"])
    assert other.get(location).status_code == 403
    assert "bt-1" not in other.get("/office/bulletins").get_data(as_text=True)
    assert post_form(other, location + "/cancel", {}, page="/office/bulletins").status_code == 403
    assert post_form(office, location + "/cancel", {}, page=location).status_code == 302
    assert db.scalar(select(Bulletin)).cancelled_at is not None


@pytest.mark.parametrize("typed", ["07:30 31/12/2026", "31/12/2026 07:30", "2026-12-31T07:30", "7:30 31.12.2026"])
def test_validity_is_typed_as_the_pages_write_it(typed):
    from werkzeug.datastructures import MultiDict
    from wtforms import Form

    from radio.ui.fields import LocalDateTimeField

    class Validity(Form):
        when = LocalDateTimeField()

    form = Validity(formdata=MultiDict({"when": typed}))
    assert form.validate() and form.when.data == datetime(2026, 12, 31, 7, 30)


def test_a_validity_that_is_not_a_time_says_how_to_write_it(app, db, world):
    office = client_as(app, world["office"])
    response = post_form(office, "/office/bulletins", {"episode": "kh-nt/cds/bt-1", "areas": ["TH-NT"],
                                                       "priority": "normal", "valid_from": "mai"})
    assert "ví dụ 07:30 31/12/2026" in response.get_data(as_text=True)
    assert 'value="mai"' in response.get_data(as_text=True) and db.scalar(select(Bulletin)) is None
