"""Alert sources managed by admins through the pages (CSRF forms, as a browser posts them): a
source changed (name, trust, feed, areas), revoked (its token refused like a wrong one, its feed
not pulled) and enabled again, and given a new token (the old one refused at once); each
audited in words; operators refused; bad input answered in Vietnamese, never with a 500."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from radio.cap.jobs import pull_cap_feeds
from radio.models import AuditLog, Area, CapAlert, CapSource
from tests.factories import create_user
from tests.radio.api_kit import PASSWORD, api, tones  # noqa: F401 (fixtures)
from tests.radio.api_kit import assert_error
from tests.radio.cap.cap_kit import make_source, post_alert, storm
from tests.radio.cap.test_cap_feeds import atom
from tests.radio.cap.test_cap_in import serving

pytestmark = pytest.mark.db
SOURCES = "/office/alert-sources"


def form_post(browser, url: str, data: dict | None = None):
    """A form's POST with its CSRF token in the form, as the page's own form sends it."""
    return browser.post(url, data={**(data or {}), "csrf_token": browser.headers["X-CSRFToken"]})


def source_row(api, code: str = "kttv-th") -> CapSource:
    with api.session() as session:
        source = session.scalar(select(CapSource).where(CapSource.code == code))
        source.areas  # loaded while the session is open
        return source


def audit_rows(api, action: str) -> list[AuditLog]:
    with api.session() as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def secret_of(page: str) -> str:
    return re.search(r'<p class="secret">([^<]+)</p>', page).group(1)


def test_an_admin_changes_a_sources_name_trust_feed_and_areas(api):
    token = make_source(api)  # trusted, for the whole province
    admin = api.login("quantri")
    form = admin.get(f"{api.base}{SOURCES}/kttv-th")
    assert form.status_code == 200 and 'value="Đài KTTV tỉnh Thanh Hóa"' in form.text
    saved = form_post(admin, f"{api.base}{SOURCES}/kttv-th",
                      {"name": "Đài KTTV Thanh Hóa", "areas": ["TH-TX"], "feed_url": "https://kttv.example/cap.atom"})
    assert saved.status_code == 200 and saved.url == f"{api.base}{SOURCES}"
    assert "Đã lưu nguồn cảnh báo “Đài KTTV Thanh Hóa”." in html.unescape(saved.text)
    source = source_row(api)
    assert (source.name, source.trusted, source.feed_url, [a.code for a in source.areas]) == (
        "Đài KTTV Thanh Hóa", False, "https://kttv.example/cap.atom", ["TH-TX"])
    # Its alerts now wait for an approver, and only its new areas are alerted.
    assert post_alert(api, token, storm(api.clock.now, "E-1", area_desc="Khu TH-TX-XA", geocode=None)
                      ).json()["status"] == "waiting"
    assert post_alert(api, token, storm(api.clock.now, "E-2")).json()["status"] == "held"  # TH-NT-TK: not its own
    [row] = audit_rows(api, "alert_source.update")
    assert (row.actor, row.object_key) == ("quantri", "kttv-th")
    assert row.before == {"name": "Đài KTTV tỉnh Thanh Hóa", "trusted": True, "feed_url": None, "areas": ["TH"]}
    assert row.after == {"name": "Đài KTTV Thanh Hóa", "trusted": False, "feed_url": "https://kttv.example/cap.atom",
                         "areas": ["TH-TX"]}
    log = html.unescape(admin.get(f"{api.base}/office/audit").text)
    assert "Sửa nguồn cảnh báo: Đài KTTV Thanh Hóa" in log
    assert "Tin cậy: có → không" in log and "Địa bàn: Khu TH → Khu TH-TX" in log
    again = form_post(admin, f"{api.base}{SOURCES}/kttv-th", {"name": "Đài KTTV Thanh Hóa", "areas": ["TH-TX"],
                                                             "feed_url": "https://kttv.example/cap.atom"})
    assert "Không có gì thay đổi." in again.text and len(audit_rows(api, "alert_source.update")) == 1


def test_a_revoked_sources_token_is_refused_like_a_wrong_one_until_it_is_enabled(api):
    token = make_source(api)
    admin = api.login("quantri")
    page = form_post(admin, f"{api.base}{SOURCES}/kttv-th/revoke")
    assert page.status_code == 200 and "Đã thu hồi lúc" in page.text
    assert "Đã thu hồi nguồn cảnh báo “Đài KTTV tỉnh Thanh Hóa”" in html.unescape(page.text)
    refused = assert_error(post_alert(api, token, storm(api.clock.now)), 401)
    assert refused == assert_error(post_alert(api, "not-a-token", storm(api.clock.now)), 401)  # nothing told apart
    with api.session() as session:
        assert session.scalar(select(func.count()).select_from(CapAlert)) == 0
    twice = form_post(admin, f"{api.base}{SOURCES}/kttv-th/revoke")
    assert "Nguồn cảnh báo “kttv-th” đã bị thu hồi." in html.unescape(twice.text)
    assert len(audit_rows(api, "alert_source.revoke")) == 1

    enabled = form_post(admin, f"{api.base}{SOURCES}/kttv-th/enable")
    assert "Đã bật lại nguồn cảnh báo" in enabled.text and "Đang dùng" in enabled.text
    assert post_alert(api, token, storm(api.clock.now)).status_code == 201
    [revoked], [back] = audit_rows(api, "alert_source.revoke"), audit_rows(api, "alert_source.enable")
    assert revoked.after == {"revoked_at": api.clock.now.isoformat()} and back.after == {"revoked_at": None}
    log = html.unescape(admin.get(f"{api.base}/office/audit").text)
    assert "Thu hồi nguồn cảnh báo: Đài KTTV tỉnh Thanh Hóa" in log and "Bật lại nguồn cảnh báo" in log


def test_a_revoked_sources_feed_is_not_pulled(api):
    files: dict[str, bytes] = {}
    with serving(files) as base:
        make_source(api, feed_url=f"{base}/feed.atom")
        files["/feed.atom"] = atom([f"{base}/a1.xml"])
        files["/a1.xml"] = storm(api.clock.now, "PULL-1")
        admin = api.login("quantri")
        form_post(admin, f"{api.base}{SOURCES}/kttv-th/revoke")
        with api.app.app_context():
            pull_cap_feeds()
        with api.session() as session:
            assert session.scalar(select(func.count()).select_from(CapAlert)) == 0
        form_post(admin, f"{api.base}{SOURCES}/kttv-th/enable")
        with api.app.app_context():
            pull_cap_feeds()
    with api.session() as session:
        assert session.scalars(select(CapAlert.identifier)).all() == ["PULL-1"]


def test_a_new_token_is_shown_once_and_the_old_one_stops_at_once(api):
    old = make_source(api)
    admin = api.login("quantri")
    page = form_post(admin, f"{api.base}{SOURCES}/kttv-th/token")
    assert page.status_code == 200 and "khoá cũ đã ngừng hoạt động" in page.text
    new = secret_of(page.text)
    assert new != old and new not in admin.get(f"{api.base}{SOURCES}").text
    assert_error(post_alert(api, old, storm(api.clock.now)), 401)
    assert post_alert(api, new, storm(api.clock.now)).status_code == 201
    [row] = audit_rows(api, "alert_source.token")
    assert (row.actor, row.object_key, row.before, row.after) == ("quantri", "kttv-th", None, None)
    assert new not in str(row.after) and "Cấp khoá mới cho nguồn cảnh báo" in admin.get(f"{api.base}/office/audit").text


@pytest.mark.parametrize("method, path", [("get", ""), ("post", ""), ("post", "/revoke"), ("post", "/enable"),
                                          ("post", "/token")])
def test_an_operator_may_do_none_of_it(api, method, path):
    token = make_source(api)
    operator = api.login("dai-tk")
    url = f"{api.base}{SOURCES}/kttv-th{path}"
    answer = (operator.get(url) if method == "get"
              else form_post(operator, url, {"name": "x", "areas": ["TH-NT-TK"], "trusted": "y"}))
    assert answer.status_code == 403
    source = source_row(api)
    assert (source.name, source.revoked_at, [a.code for a in source.areas]) == ("Đài KTTV tỉnh Thanh Hóa", None, ["TH"])
    assert post_alert(api, token, storm(api.clock.now)).status_code == 201  # the token unchanged


def test_a_district_admin_may_not_change_the_provinces_source(api):
    make_source(api)
    with api.session() as session:
        create_user(session, "quantri-tx", "admin", session.scalar(select(Area).where(Area.code == "TH-TX")), PASSWORD)
        session.commit()
    district = api.login("quantri-tx")
    assert "kttv-th" in district.get(f"{api.base}{SOURCES}").text  # it alerts their district: they see it
    for path in ("", "/revoke", "/token"):
        assert form_post(district, f"{api.base}{SOURCES}/kttv-th{path}", {"name": "x", "areas": ["TH-TX"]}
                         ).status_code == 403
    assert source_row(api).revoked_at is None and audit_rows(api, "alert_source.token") == []


def test_without_the_forms_token_nothing_changes(api):
    make_source(api)
    admin = api.login("quantri")
    del admin.headers["X-CSRFToken"]
    assert admin.post(f"{api.base}{SOURCES}/kttv-th/revoke").status_code == 400
    assert admin.post(f"{api.base}{SOURCES}/kttv-th", data={"name": "x", "areas": ["TH"]}).status_code == 400
    assert source_row(api).revoked_at is None and source_row(api).name == "Đài KTTV tỉnh Thanh Hóa"


@pytest.mark.parametrize("data, said", [
    ({"name": "", "areas": ["TH"]}, "Nhập tên."),
    ({"name": "Đài " * 60, "areas": ["TH"]}, "Tên dài tối đa 200 ký tự."),
    ({"name": "Đài KTTV"}, "Chọn ít nhất một địa bàn."),
    ({"name": "Đài KTTV", "areas": ["NOWHERE"]}, "Chọn một mục trong danh sách."),
    ({"name": "Đài KTTV", "areas": ["TH"], "feed_url": "ftp://kttv.example/cap"},
     "Địa chỉ nguồn tin phải bắt đầu bằng http:// hoặc https://."),
    ({"name": "Đài KTTV", "areas": ["TH"], "feed_url": "https://kttv.example/" + "tin/" * 150},
     "Dài tối đa 500 ký tự."),
])
def test_bad_input_is_refused_in_vietnamese_and_nothing_changes(api, data, said):
    make_source(api)
    admin = api.login("quantri")
    page = form_post(admin, f"{api.base}{SOURCES}/kttv-th", data)
    assert page.status_code == 422 and said in page.text
    assert "not a valid choice" not in page.text and "Field cannot be longer" not in page.text
    source = source_row(api)
    assert (source.name, source.feed_url) == ("Đài KTTV tỉnh Thanh Hóa", None)
    assert audit_rows(api, "alert_source.update") == []


def test_an_unknown_source_is_not_found_and_enabling_an_active_one_says_why(api):
    make_source(api)
    admin = api.login("quantri")
    for path in ("", "/revoke", "/token"):
        assert form_post(admin, f"{api.base}{SOURCES}/nowhere{path}").status_code == 404
    page = form_post(admin, f"{api.base}{SOURCES}/kttv-th/enable")
    assert page.status_code == 200 and "đang dùng, không cần bật lại" in page.text
    assert audit_rows(api, "alert_source.enable") == []
