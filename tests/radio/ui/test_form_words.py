"""What a refused form says next to its field is in the page's language: WTForms' own messages
("Field cannot be longer than …", "Not a valid choice.") are English and never reach a page."""
from __future__ import annotations

import re

import pytest

from radio.scripts import operations as ops
from tests.factories import MADE, create_episode, create_plan, create_series, create_tree, create_user
from tests.radio.office_kit import client_as, post_form

pytestmark = pytest.mark.db

WORDS = {"vi": ("Dài tối đa {n} ký tự.", "Chọn một mục trong danh sách."),
         "en": ("At most {n} characters.", "Choose one of the listed options.")}


@pytest.fixture
def people(db):
    tree = create_tree(db)
    create_episode(db, create_series(db, create_plan(db, tree["TH-NT"], "kh-nt"), "cds"), "bt-1", duration_s=60.0)
    people = {"tree": tree, "series": create_series(db, create_plan(db, tree["TH-NT-TK"], "kh-tk"), "cds"),
              "admin": create_user(db, "quantri", "admin", tree["TH"]),
              "op": create_user(db, "op-tk", "operator", tree["TH-NT-TK"]),
              "approver": create_user(db, "duyet-nt", "approver", tree["TH-NT"]),
              "office": create_user(db, "vanhoa-nt", "oversight", tree["TH-NT"])}
    db.commit()
    return people


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error" role="alert">([^<]*)</p>', html)
    assert match, f"no error next to {field_id}"
    return match.group(1)


def as_reader(client, language: str):
    client.set_cookie("lang", language)
    return client


def too_long(n: int) -> str:
    return "a" * (n + 1)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_too_long_username_at_sign_in_is_refused_in_the_readers_language(app, language):
    client = as_reader(client_as(app, None), language)
    response = post_form(client, "/login", {"username": too_long(64), "password": "mat-khau-123"})
    assert field_error(response.get_data(as_text=True), "username") == WORDS[language][0].format(n=64)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_new_users_too_long_username_is_refused_in_the_readers_language(app, people, language):
    admin = as_reader(client_as(app, people["admin"]), language)
    response = post_form(admin, "/office/users", {"username": too_long(64), "password": "mat-khau-moi",
                                                  "role": "operator", "area": "TH-NT-TK"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "username") == WORDS[language][0].format(n=64)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_users_too_long_email_address_is_refused_in_the_readers_language(app, people, language):
    admin = as_reader(client_as(app, people["admin"]), language)
    address = "a" * 250 + "@example.vn"
    response = post_form(admin, "/office/users/op-tk", {"action": "email", "mail-email": address})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "mail-email").startswith(WORDS[language][0].format(n=254))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_ones_own_too_long_notice_address_is_refused_in_the_readers_language(app, people, language):
    client = as_reader(client_as(app, people["op"]), language)
    response = post_form(client, "/notices/preferences", {"email": "a" * 250 + "@example.vn"})
    assert field_error(response.get_data(as_text=True), "email").startswith(WORDS[language][0].format(n=254))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("field", "limit"), [("name", 200), ("url", 500)])
def test_a_webhooks_too_long_name_or_address_is_refused_in_the_readers_language(app, people, language, field,
                                                                                limit):
    admin = as_reader(client_as(app, people["admin"]), language)
    data = {"name": "Zalo tỉnh", "url": "https://example.vn/hook", "area": "TH", "kinds": ["device.offline"]}
    data[field] = "https://example.vn/" + too_long(limit) if field == "url" else too_long(limit)
    response = post_form(admin, "/office/webhooks", data)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field) == WORDS[language][0].format(n=limit)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_too_long_reason_to_reject_a_script_is_refused_in_the_readers_language(app, db, people, language):
    script = ops.add_script(db, people["op"], people["series"], "Họp dân", "Họp dân sáng Chủ nhật.", now=MADE)
    ops.submit_script(db, people["op"], script, now=MADE)
    db.commit()
    approver = as_reader(client_as(app, people["approver"]), language)
    response = post_form(approver, f"/scripts/{script.id}/reject", {"reason": too_long(2000)},
                         page=f"/scripts/{script.id}")
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "reason") == WORDS[language][0].format(n=2000)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("change", [{"episode": "kh-nt/cds/khong-co"}, {"areas": ["TH-TX"]},
                                    {"priority": "siêu khẩn"}], ids=["episode", "areas", "priority"])
def test_a_bulletin_choice_not_offered_is_refused_in_the_readers_language(app, people, language, change):
    office = as_reader(client_as(app, people["office"]), language)
    data = {"episode": "kh-nt/cds/bt-1", "areas": ["TH-NT"], "priority": "normal", **change}
    response = post_form(office, "/office/bulletins", data)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), next(iter(change))) == WORDS[language][1]
