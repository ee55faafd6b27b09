"""Login, logout, rate limit and area scope (radio/auth)."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from flask_login import AnonymousUserMixin

from radio.auth.operations import authenticate
from radio.auth.scope import area_ids_in_scope, can, require
from radio.errors import Forbidden
from radio.models import ROLES
from tests.factories import MADE, create_area, create_station, create_tree, create_user
from tests.radio.web_kit import csrf_token, post_login

PASSWORD = "mat-khau-123"
WRONG = "Sai tên đăng nhập hoặc mật khẩu."


@pytest.fixture
def client(app):
    """A test client whose every request gets an app context (and so `g`, a database session and
    Flask-Login's cached user) of its own, as in production: under the shared `client` fixture the
    test's app context would carry the logged-in user from one request to the next, so the
    session cookie itself would go untested."""

    class Client(FlaskClient):
        def open(self, *args, **kwargs):
            with app.app_context():
                return super().open(*args, **kwargs)

    return Client(app, app.response_class, use_cookies=True)


@pytest.fixture
def tree(db):
    return create_tree(db)


@pytest.fixture
def operator(db, tree):
    return create_user(db, "op-nt", "operator", tree["TH-NT"], password=PASSWORD)


# --- the login page ---------------------------------------------------------------------------

def test_login_page_renders_with_a_csrf_field(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(csrf_token(html)) > 20
    assert 'name="username"' in html and 'name="password"' in html and 'type="password"' in html


def test_home_sends_an_anonymous_visitor_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_post_without_csrf_token_is_refused(client, operator):
    response = client.post("/login", data={"username": "op-nt", "password": PASSWORD})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn hoặc không hợp lệ" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in


def test_post_with_a_forged_csrf_token_is_refused(client, operator):
    client.get("/login")
    response = client.post("/login", data={"csrf_token": "forged", "username": "op-nt", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_wrong_password_shows_an_error_and_does_not_log_in(client, operator):
    response = post_login(client, "op-nt", "mat-khau-sai")
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_user_gets_the_same_error(client, operator):
    response = post_login(client, "nobody", PASSWORD)
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)


def test_empty_fields_are_named(client):
    response = post_login(client, "", "")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nhập tên đăng nhập." in html and "Nhập mật khẩu." in html


def test_right_password_logs_in_and_home_shows_only_stations_in_scope(client, db, tree, operator):
    create_station(db, tree["TH-NT-TK"], code="st-nongtruong")
    create_station(db, tree["TH-TX-XA"], code="st-thixa")
    create_station(db, tree["TH"], code="st-tinh")
    response = post_login(client, "op-nt", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/stations/st-nongtruong/today"  # the only station in scope
    home = client.get("/?all")
    html = home.get_data(as_text=True)
    assert home.status_code == 200
    assert "st-nongtruong" in html
    assert "st-thixa" not in html and "st-tinh" not in html


def test_username_is_trimmed(client, operator):
    assert post_login(client, "  op-nt ", PASSWORD).status_code == 302


def test_user_without_stations_in_scope_sees_an_empty_list(client, db, tree, operator):
    create_station(db, tree["TH-TX-XA"], code="st-thixa")
    post_login(client, "op-nt", PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert "st-thixa" not in html
    assert "Chưa có đài nào trong phạm vi của bạn." in html


def test_inactive_user_cannot_log_in(client, db, operator):
    operator.is_active = False
    db.flush()
    response = post_login(client, "op-nt", PASSWORD)
    assert response.status_code == 401
    assert client.get("/").status_code == 302


def test_deactivating_a_logged_in_user_ends_the_session(client, db, operator):
    assert post_login(client, "op-nt", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    operator.is_active = False
    db.flush()
    assert client.get("/").status_code == 302


def test_user_without_password_cannot_log_in(db, tree):
    from radio.auth.operations import add_user

    add_user(db, None, "no-pass", None, "operator", "TH-NT", now=MADE)
    assert authenticate(db, "no-pass", "") is None
    assert authenticate(db, "no-pass", "not-a-real-password") is None


def test_authenticate_returns_the_user_only_for_the_right_password(db, operator):
    assert authenticate(db, "op-nt", PASSWORD) is operator
    assert authenticate(db, "op-nt", PASSWORD + "x") is None
    assert authenticate(db, "OP-NT", PASSWORD) is None


def test_session_cookie_is_http_only_and_same_site(client, operator):
    response = post_login(client, "op-nt", PASSWORD)
    cookies = [value for key, value in response.headers.items() if key == "Set-Cookie"]
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert "Expires=" in session_cookie  # a permanent session, limited by PERMANENT_SESSION_LIFETIME


# --- next= after login ------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "//evil.example", "//evil.example/login", "https://evil.example/", "http:evil.example",
    "/\\evil.example", "/%5Cevil.example", "/%09/evil.example", "\\\\evil.example", "evil.example",
    "javascript:alert(1)",
])
def test_next_refuses_other_sites(client, operator, target):
    from urllib.parse import quote

    response = post_login(client, "op-nt", PASSWORD, next_="next=" + quote(target, safe="%"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_honours_a_same_site_path(client, operator):
    response = post_login(client, "op-nt", PASSWORD, next_="next=%2Fstations%2F7%3Fweek%3D2026-W48")
    assert response.status_code == 302
    assert response.headers["Location"] == "/stations/7?week=2026-W48"


def test_next_from_the_login_redirect_round_trips(client, operator):
    login_url = client.get("/").headers["Location"]
    token = csrf_token(client.get(login_url).get_data(as_text=True))
    response = client.post(login_url, data={"csrf_token": token, "username": "op-nt", "password": PASSWORD})
    assert response.headers["Location"] == "/"


# --- logout -----------------------------------------------------------------------------------

def test_logout_requires_post(client, operator):
    post_login(client, "op-nt", PASSWORD)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_logout_without_csrf_is_refused(client, operator):
    post_login(client, "op-nt", PASSWORD)
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_logout_with_csrf_ends_the_session(client, operator):
    post_login(client, "op-nt", PASSWORD)
    token = csrf_token(client.get("/").get_data(as_text=True))  # the logout form in the header
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "Đã đăng xuất." in client.get("/login").get_data(as_text=True)
    assert client.get("/").status_code == 302


# --- rate limit -------------------------------------------------------------------------------

def test_eleventh_failed_login_within_the_window_is_refused(client, app, operator):
    assert app.config["LOGIN_RATE_LIMIT"] == "10 per 5 minutes"
    for _ in range(10):
        assert post_login(client, "op-nt", "mat-khau-sai").status_code == 401
    assert post_login(client, "op-nt", "mat-khau-sai").status_code == 429
    # Even the right password waits for the window: the limit is on attempts, not failures.
    assert post_login(client, "op-nt", PASSWORD).status_code == 429
    assert client.get("/").status_code == 302


def test_one_account_used_up_leaves_the_others_behind_the_same_address_free(client, app, db, tree, operator):
    """A culture office's staff share one public address: one person's typos lock out only them."""
    create_user(db, "op-nt-2", "operator", tree["TH-NT"], password=PASSWORD)
    db.commit()
    for _ in range(10):
        assert post_login(client, "op-nt", "mat-khau-sai").status_code == 401
    assert post_login(client, " OP-NT ", PASSWORD).status_code == 429  # the same account, however typed
    colleague = app.test_client()
    assert post_login(colleague, "op-nt-2", PASSWORD).status_code == 302


def test_an_address_trying_many_accounts_meets_a_looser_ceiling(client, app, operator, monkeypatch):
    assert app.config["LOGIN_ADDRESS_RATE_LIMIT"] == "50 per 5 minutes"
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_RATE_LIMIT", "5 per 5 minutes")  # the same rule, sooner
    for n in range(5):
        assert post_login(client, f"nobody-{n}", "mat-khau-sai").status_code == 401
    assert post_login(client, "op-nt", PASSWORD).status_code == 429
    assert post_login(client, "op-nt", PASSWORD, environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 302


def test_rate_limit_is_per_address_and_leaves_the_form_readable(client, operator):
    for _ in range(11):
        post_login(client, "op-nt", "mat-khau-sai")
    assert client.get("/login").status_code == 200  # GET is not limited
    other = {"REMOTE_ADDR": "10.0.0.2"}
    assert post_login(client, "op-nt", PASSWORD, environ_base=other).status_code == 302


# --- scope ------------------------------------------------------------------------------------

def test_a_district_grant_covers_its_communes_and_villages_only(db, tree):
    user = create_user(db, role="operator", area=tree["TH-NT"])
    for code in ("TH-NT", "TH-NT-TK", "TH-NT-TK-01"):
        assert can(user, ["operator"], tree[code]), code
    for code in ("TH", "TH-TX", "TH-TX-XA", "TH-TX-XA-01"):
        assert not can(user, ["operator"], tree[code]), code


def test_a_grant_is_for_its_role_only(db, tree):
    user = create_user(db, role="operator", area=tree["TH"])
    assert can(user, ["operator"], tree["TH-NT-TK-01"])
    assert not can(user, ["approver"], tree["TH-NT-TK-01"])
    assert not can(user, ["approver", "oversight"], tree["TH"])
    assert can(user, ["approver", "operator"], tree["TH-TX"])


@pytest.mark.parametrize("role", ROLES)
def test_admin_covers_every_role_below_its_area(db, tree, role):
    admin = create_user(db, role="admin", area=tree["TH-TX"])
    assert can(admin, [role], tree["TH-TX-XA-01"])
    assert not can(admin, [role], tree["TH-NT"])
    assert not can(admin, [role], tree["TH"])


def test_inactive_user_has_no_rights(db, tree):
    admin = create_user(db, role="admin", area=tree["TH"])
    admin.is_active = False
    db.flush()
    assert not can(admin, ["operator"], tree["TH-NT-TK"])
    assert area_ids_in_scope(db, admin, ROLES) == set()
    with pytest.raises(Forbidden):
        require(admin, ["operator"], tree["TH-NT-TK"])


def test_nobody_and_anonymous_have_no_rights(tree):
    assert not can(None, ROLES, tree["TH"])
    assert not can(AnonymousUserMixin(), ROLES, tree["TH"])


def test_require_raises_forbidden_and_names_the_area(db, tree):
    user = create_user(db, role="approver", area=tree["TH-NT"])
    require(user, ["approver"], tree["TH-NT-TK-01"])  # allowed: returns quietly
    with pytest.raises(Forbidden) as refused:
        require(user, ["approver"], tree["TH-TX"])
    assert refused.value.status == 403 and refused.value.code == "forbidden"
    assert "TH-TX" in refused.value.message and "approver" in refused.value.message


def test_area_ids_in_scope_is_exactly_the_subtree(db, tree):
    elsewhere = create_area(db, "HN", "province")
    create_area(db, "HN-01", "commune", elsewhere)
    user = create_user(db, role="operator", area=tree["TH-NT"])
    expected = {tree[c].id for c in ("TH-NT", "TH-NT-TK", "TH-NT-TK-01")}
    assert area_ids_in_scope(db, user, ["operator"]) == expected
    assert area_ids_in_scope(db, user, ["approver"]) == set()


def test_area_ids_in_scope_follows_any_depth_and_unions_grants(db, tree):
    from radio.auth.operations import grant_role

    node = tree["TH-TX-XA-01"]
    deep = []
    for i in range(6):  # deeper than the four official tiers
        node = create_area(db, f"DEEP{i}", "village", node)
        deep.append(node.id)
    user = create_user(db, role="operator", area=tree["TH-NT-TK"])
    grant_role(db, None, user, "operator", "TH-TX-XA-01", now=MADE)
    grant_role(db, None, user, "operator", "TH-NT-TK-01", now=MADE)  # overlaps the first grant
    grant_role(db, None, user, "approver", "TH", now=MADE)  # another role: not counted for operator
    expected = {tree["TH-NT-TK"].id, tree["TH-NT-TK-01"].id, tree["TH-TX-XA-01"].id, *deep}
    assert area_ids_in_scope(db, user, ["operator"]) == expected
    assert area_ids_in_scope(db, user, ["approver"]) == {a.id for a in tree.values()} | set(deep)


def test_area_ids_in_scope_of_an_admin_counts_for_every_role(db, tree):
    admin = create_user(db, role="admin", area=tree["TH-NT"])
    expected = {tree[c].id for c in ("TH-NT", "TH-NT-TK", "TH-NT-TK-01")}
    for role in ROLES:
        assert area_ids_in_scope(db, admin, [role]) == expected
