"""Office pages, users (admins): add, grant, revoke, reset passwords within the admin's areas; the audit log."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from radio.auth.operations import authenticate, grant_role
from radio.models import AuditLog, User
from tests.factories import MADE, create_tree, create_user
from tests.radio.office_kit import client_as, post_form


@pytest.fixture
def people(db):
    tree = create_tree(db)
    return {"tree": tree, "admin-nt": create_user(db, "admin-nt", "admin", tree["TH-NT"]),
            "admin-th": create_user(db, "admin-th", "admin", tree["TH"]),
            "op": create_user(db, "op-tk", "operator", tree["TH-NT-TK"]),
            "op-xa": create_user(db, "op-xa", "operator", tree["TH-TX-XA"]),
            "vanhoa": create_user(db, "vanhoa", "oversight", tree["TH-NT"])}


def test_an_admin_adds_a_user_with_a_role_on_an_area(app, db, people):
    admin = client_as(app, people["admin-nt"])
    response = post_form(admin, "/office/users", {"username": "moi", "display_name": "Người Mới",
                                                  "password": "mat-khau-moi", "role": "operator", "area": "TH-NT-TK"})
    assert response.status_code == 302
    user = authenticate(db, "moi", "mat-khau-moi")
    assert [(g.role, g.area.code) for g in user.grants] == [("operator", "TH-NT-TK")]
    assert db.scalar(select(AuditLog.actor).where(AuditLog.action == "user.add", AuditLog.object_key == "moi")) == "admin-nt"


@pytest.mark.parametrize("change, message", [
    ({"password": "ngan"}, "Mật khẩu phải có ít nhất 8 ký tự."),
    ({"username": "op-tk"}, "Tên đăng nhập này đã có."),
    ({"username": ""}, "Nhập tên đăng nhập."),
])
def test_refused_new_users_say_why_next_to_the_field(app, db, people, change, message):
    admin = client_as(app, people["admin-nt"])
    data = {"username": "moi", "display_name": "Người Mới", "password": "mat-khau-moi", "role": "operator",
            "area": "TH-NT-TK", **change}
    response = post_form(admin, "/office/users", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert 'value="Người Mới"' in html  # nothing typed is lost
    assert db.scalar(select(User).where(User.username == "moi")) is None


def options(html: str, select_id: str) -> list[tuple[str, str]]:
    select = html.split(f'<select id="{select_id}"')[1].split("</select>")[0]
    return re.findall(r'<option (?:selected )?value="([^"]*)">([^<]*)</option>', select)


def test_the_add_user_form_starts_with_no_role_and_no_area(app, people):
    html = client_as(app, people["admin-nt"]).get("/office/users").get_data(as_text=True)
    assert options(html, "role") == [("", "— chọn vai trò —"), ("operator", "Người vận hành đài"),
                                     ("approver", "Người duyệt"), ("oversight", "Phòng Văn hóa (giám sát)"),
                                     ("admin", "Quản trị")]  # least powerful first, none chosen
    assert [value for value, _label in options(html, "area")] == ["", "TH-NT", "TH-NT-TK", "TH-NT-TK-01"]
    assert "selected" not in html.split('<select id="role"')[1].split("</select>")[0]


@pytest.mark.parametrize("change, field, message", [
    ({"role": ""}, "role", "Chọn vai trò."),
    ({"area": ""}, "area", "Chọn địa bàn."),
    ({"role": "superuser"}, "role", "Chọn một mục trong danh sách."),
    ({"area": "TH-TX"}, "area", "Chọn một mục trong danh sách."),  # another district: not offered
])
def test_a_new_user_needs_a_role_and_an_area_chosen(app, db, people, change, field, message):
    data = {"username": "moi", "password": "mat-khau-moi", "role": "operator", "area": "TH-NT-TK", **change}
    response = post_form(client_as(app, people["admin-nt"]), "/office/users", data)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error" role="alert">{message}</p>' in response.get_data(as_text=True)
    assert db.scalar(select(User).where(User.username == "moi")) is None


def test_roles_are_granted_and_revoked_only_inside_the_admins_areas(app, db, people):
    admin = client_as(app, people["admin-nt"])
    url = "/office/users/op-tk"
    assert post_form(admin, url, {"action": "grant", "grant-role": "approver", "grant-area": "TH-NT-TK"}).status_code == 302
    outside = post_form(admin, url, {"action": "grant", "grant-role": "approver", "grant-area": "TH-TX"})
    assert outside.status_code == 422  # not one of the areas offered
    db.expire_all()
    assert sorted(g.role for g in people["op"].grants) == ["approver", "operator"]
    assert post_form(admin, url, {"action": "revoke", "role": "approver", "area": "TH-NT-TK"}).status_code == 302
    db.expire_all()
    assert [g.role for g in people["op"].grants] == ["operator"]


def test_password_reset_and_users_beyond_the_admins_reach(app, db, people):
    admin = client_as(app, people["admin-nt"])
    short = post_form(admin, "/office/users/op-tk", {"action": "password", "pw-password": "ngan"})
    assert short.status_code == 422 and "Mật khẩu phải có ít nhất 8 ký tự." in short.get_data(as_text=True)
    assert post_form(admin, "/office/users/op-tk", {"action": "password", "pw-password": "mat-khau-moi"}).status_code == 302
    db.expire_all()
    assert authenticate(db, "op-tk", "mat-khau-moi") is not None
    assert admin.get("/office/users/op-xa").status_code == 404  # another district's user: not even seen
    listing = admin.get("/office/users").get_data(as_text=True)
    assert "op-tk" in listing and "op-xa" not in listing
    # a province admin who also has a role in TH-NT: seen, never changed from the district
    grant_role(db, None, people["admin-th"], "approver", "TH-NT-TK", now=MADE)
    assert "chỉ xem" in admin.get("/office/users/admin-th").get_data(as_text=True)
    response = post_form(admin, "/office/users/admin-th", {"action": "password", "pw-password": "chiem-quyen-1"},
                         page="/office/users/op-tk")
    assert response.status_code == 403 and authenticate(db, "admin-th", "chiem-quyen-1") is None


def test_only_admins_reach_the_user_pages(app, people):
    office = client_as(app, people["vanhoa"])
    assert office.get("/office/users").status_code == 403
    assert office.get("/office/audit").status_code == 403


def test_the_audit_log_filters_by_user_area_and_date(app, db, people):
    admin = client_as(app, people["admin-nt"])
    post_form(admin, "/office/users/op-tk", {"action": "grant", "grant-role": "approver", "grant-area": "TH-NT-TK"})
    post_form(admin, "/office/users/vanhoa", {"action": "grant", "grant-role": "approver", "grant-area": "TH-NT"})

    def rows(**query):
        html = admin.get("/office/audit", query_string=query).get_data(as_text=True)
        return html.split('id="audit-rows"')[1].count('class="item audit-line"')

    everything = rows()
    assert everything >= 2
    assert rows(user="admin-nt") == 2
    assert rows(user="admin-nt", area="TH-NT-TK") == 1
    assert rows(date_from="2000-01-01", date_to="2000-01-02") == 0
    # another district's rows are never shown
    province = client_as(app, people["admin-th"])
    post_form(province, "/office/users/op-xa", {"action": "grant", "grant-role": "approver", "grant-area": "TH-TX-XA"})
    assert rows(user="admin-th") == 0
    assert admin.get("/office/audit", query_string={"area": "TH-TX"}).status_code == 403
