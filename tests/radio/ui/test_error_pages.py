"""Error pages: every page URL answers its errors with a page of the site in the reader's
language (refusals with their own words), /api/ URLs with JSON, and a failure with a calm page
while its traceback goes to the log."""
from __future__ import annotations

import logging
from datetime import date

import pytest

from radio.errors import NotFound, RadioError
from radio.media.library import LibraryError
from radio.ui.words import for_people
from schedules.planfile.messages import level_term
from tests.radio.web_kit import log_in, web  # noqa: F401  (fixture)
from tests.radio.web_scene import scene  # noqa: F401  (fixture)


def in_layout(html: str) -> bool:
    return '<meta name="viewport" content="width=device-width, initial-scale=1">' in html and 'class="topbar"' in html


def test_a_missing_page_is_a_page_of_the_site_in_the_readers_language(web):
    response = web.get("/khong-co-trang-nay")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and in_layout(html) and '<html lang="vi">' in html
    assert '<h1 id="error-title">Không tìm thấy</h1>' in html and "Về trang chủ" in html
    web.set_cookie("lang", "en")
    english = web.get("/khong-co-trang-nay").get_data(as_text=True)
    assert '<h1 id="error-title">Not found</h1>' in english and "Không tìm thấy" not in english


def test_a_page_outside_the_users_areas_is_refused_with_a_page_of_the_site(web, scene):
    log_in(web, "op-tk")
    response = web.get("/stations/xuanan/today")
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and in_layout(html)
    assert '<h1 id="error-title">Không có quyền</h1>' in html
    assert "forbidden" not in html.lower() and "You don't have the permission" not in html
    web.set_cookie("lang", "en")
    assert '<h1 id="error-title">Not allowed</h1>' in web.get("/stations/xuanan/today").get_data(as_text=True)


def test_a_method_a_page_does_not_take_is_a_page_too_and_says_which_it_takes(web):
    response = web.delete("/login")
    assert response.status_code == 405 and in_layout(response.get_data(as_text=True))
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_api_urls_keep_answering_json(web):
    missing = web.get("/api/v1/khong-co")
    assert missing.status_code == 404 and missing.get_json()["error"] == "not_found"
    wrong_method = web.delete("/api/v1/openapi.json")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["error"] == "method_not_allowed"


def test_a_failure_is_a_calm_page_and_its_traceback_is_logged(web, app, monkeypatch, caplog):
    def broken():
        raise RuntimeError("the disk is on fire")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.view_functions, "accounts.login", broken)
    with caplog.at_level(logging.ERROR):
        response = web.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and in_layout(html)
    assert '<h1 id="error-title">Đã có lỗi</h1>' in html and "không có gì được lưu dở dang" in html
    assert "disk is on fire" not in html and "Traceback" not in html
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert logged and "/login" in logged[0].getMessage()


@pytest.mark.parametrize(("error", "status", "vietnamese", "english"), [
    (LibraryError("available from 2026-12-31 is after expiry 2026-12-01", reason="dates_order",
                  values={"available_from": date(2026, 12, 31), "expires": date(2026, 12, 1)}), 400,
     "Ngày bắt đầu phát 31/12/2026 đang sau ngày hết hạn 01/12/2026.",
     "Available from 31/12/2026 is after the expiry date 01/12/2026."),
    (NotFound("no station with code 'x'"), 404, "Không có trang hoặc bản ghi này trong phạm vi của bạn.",
     "There is no such page or record in your areas."),
    (RadioError("something without words", status=422), 422, "Không thực hiện được yêu cầu này.",
     "This request could not be carried out."),
])
def test_a_refusal_under_a_page_says_its_own_words_never_its_english(web, app, monkeypatch, error, status,
                                                                      vietnamese, english):
    def refusing():
        raise error

    monkeypatch.setitem(app.view_functions, "accounts.login", refusing)
    response = web.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == status and in_layout(html) and vietnamese in html
    assert error.message not in html
    web.set_cookie("lang", "en")
    assert english in web.get("/login").get_data(as_text=True)


def test_values_are_written_for_people(app):
    with app.test_request_context("/"):
        assert for_people(date(2026, 3, 5)) == "05/03/2026"
        assert for_people((date(2026, 3, 5), date(2026, 3, 7))) == "05/03/2026, 07/03/2026"
        assert for_people(2.50) == "2.5" and for_people(level_term("commune")) == "xã"
    with app.app_context(), app.test_request_context("/", headers={"Cookie": "lang=en"}):  # a fresh locale
        assert for_people(level_term("commune")) == "commune"


def test_a_refusal_names_only_messages_it_has():
    with pytest.raises(ValueError, match="no message 'nonsense'"):
        LibraryError("x", reason="nonsense")
