"""One's own password: every signed-in user changes it; after an admin's reset, the user must
change it before any page or API call."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from radio.auth.operations import authenticate, set_password
from radio.models import AuditLog
from tests.factories import MADE, create_tree, create_user
from tests.radio.office_kit import client_as, post_form
from tests.radio.web_kit import PASSWORD, log_in

NEW = "mat-khau-rieng-1"
UNKNOWN_BULLETIN = "/api/v1/bulletins/00000000-0000-4000-8000-000000000000"


@pytest.fixture
def people(db):
    tree = create_tree(db)
    return {"admin": create_user(db, "admin-nt", "admin", tree["TH-NT"]),
            "op": create_user(db, "op-tk", "operator", tree["TH-NT-TK"])}


def change(client, current, new, again=None):
    return post_form(client, "/account/password", {"current": current, "password": new,
                                                   "again": new if again is None else again})


def test_a_user_changes_their_own_password_from_the_top_bar(app, db, people):
    operator = client_as(app, people["op"])
    home = operator.get("/").get_data(as_text=True)
    assert 'href="/account/password"' in home and "Đổi mật khẩu" in home
    response = change(operator, PASSWORD, NEW)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    db.expire_all()
    assert authenticate(db, "op-tk", NEW) is not None and authenticate(db, "op-tk", PASSWORD) is None
    row = db.scalars(select(AuditLog).where(AuditLog.action == "user.change_password")).one()
    assert (row.actor, row.object_key) == ("op-tk", "op-tk")


@pytest.mark.parametrize("current, new, again, field, message", [
    ("sai-mat-khau", NEW, None, "current", "Mật khẩu hiện tại không đúng."),
    (PASSWORD, NEW, "mat-khau-khac-1", "again", "Hai lần nhập mật khẩu mới không khớp."),
    (PASSWORD, "ngan", None, "password", "Mật khẩu phải có ít nhất 8 ký tự."),
    (PASSWORD, PASSWORD, None, "password", "Mật khẩu mới phải khác mật khẩu hiện tại."),
    ("", NEW, None, "current", "Nhập mật khẩu hiện tại."),
])
def test_a_refused_change_says_why_next_to_the_field_and_changes_nothing(app, db, people, current, new, again,
                                                                          field, message):
    response = change(client_as(app, people["op"]), current, new, again)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error" role="alert">{message}</p>' in html
    db.expire_all()
    assert authenticate(db, "op-tk", PASSWORD) is not None
    assert db.scalar(select(AuditLog).where(AuditLog.action == "user.change_password")) is None


def test_the_page_needs_a_signed_in_user(app):
    response = client_as(app, None).get("/account/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_after_an_admins_reset_the_user_must_change_the_password_first(app, db, people):
    admin = client_as(app, people["admin"])
    reset = post_form(admin, "/office/users/op-tk", {"action": "password", "pw-password": "dat-lai-123"})
    assert reset.status_code == 302
    db.expire_all()
    assert people["op"].must_change_password
    assert db.scalars(select(AuditLog).where(AuditLog.action == "user.passwd")).one().after == {
        "must_change_password": True}

    operator = client_as(app, None)
    log_in(operator, "op-tk", "dat-lai-123")
    for page in ("/", "/scripts/", "/scripts/glossary", "/office/users"):
        response = operator.get(page)
        assert response.status_code == 302, page
        assert response.headers["Location"].startswith("/account/password?next="), page
    sent = operator.get("/account/password").get_data(as_text=True)
    assert "Mật khẩu của bạn vừa được quản trị viên đặt lại" in sent
    api = operator.get(UNKNOWN_BULLETIN)
    assert api.status_code == 403 and api.get_json()["error"] == "password_change_required"
    assert "/account/password" in api.get_json()["message"]
    with operator.get("/static/css/app.css") as static:
        assert static.status_code == 200

    assert change(operator, "dat-lai-123", "dat-lai-123").status_code == 422  # the admin's password stays known
    done = post_form(operator, "/account/password?next=/scripts/",
                     {"current": "dat-lai-123", "password": NEW, "again": NEW})
    assert done.status_code == 302 and done.headers["Location"] == "/scripts/"
    db.expire_all()
    assert not people["op"].must_change_password
    assert operator.get("/scripts/").status_code == 200
    assert operator.get(UNKNOWN_BULLETIN).get_json()["error"] == "not_found"  # answered as for anyone


def test_a_user_who_must_change_may_still_log_out(app, db, people):
    set_password(db, people["admin"], people["op"], "dat-lai-123", now=MADE)
    operator = client_as(app, None)
    log_in(operator, "op-tk", "dat-lai-123")
    response = post_form(operator, "/logout", {}, page="/account/password")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert operator.get("/").headers["Location"].startswith("/login")


def test_setting_ones_own_password_forces_no_change(db, people):
    set_password(db, people["admin"], people["admin"], "cua-rieng-toi-1", now=MADE)
    assert not people["admin"].must_change_password
    set_password(db, None, people["admin"], "he-thong-dat-1", now=MADE)  # the command line without --as
    assert people["admin"].must_change_password
