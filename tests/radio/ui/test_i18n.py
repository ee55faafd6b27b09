"""Languages: Vietnamese by default, English by choice (remembered), compiled catalogs up to date,
and the one place where dates and weekdays are written."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from audio_library.probe import MESSAGES as AUDIO_MESSAGES, UNSUPPORTED as AUDIO_UNSUPPORTED
from radio.ui.i18n import (
    TRANSLATIONS_DIR, day_label, format_dmy, format_duration, format_hm, format_span, weekday_name,
)
from schedules.compliance.notes import MESSAGES as NOTE_MESSAGES
from schedules.planfile.messages import (JSON_PROBLEMS, JSON_SYNTAX_ERROR, LEVEL_NAMES, MESSAGES as PLANFILE_MESSAGES,
                                        SYNTAX_ERROR, SYNTAX_PROBLEMS)
from schedules.planner.reasons import MESSAGES as PLANNER_MESSAGES
from tests.radio.web_kit import csrf_token, web  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[3]
CATALOGS = sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/*.po"))


def test_there_is_an_english_catalog_for_the_pages():
    assert TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po" in CATALOGS


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_each_compiled_catalog_matches_its_source(po_path):
    """The .mo files are committed (no build step before the app runs): each must say what its .po says.
    Recompile with `pybabel compile -d translations`."""
    assert po_path.name == "messages.po", f"{po_path}: the pages have one catalog, messages.po"
    with po_path.open("rb") as source:
        po = {m.id: m.string for m in read_po(source) if m.id and m.string and not m.fuzzy}
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: compile it"
    with mo_path.open("rb") as compiled:
        mo = {m.id: m.string for m in read_mo(compiled) if m.id}
    assert mo == po, f"{mo_path} is out of date: recompile it"


def english() -> dict[str, str]:
    with (TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return {m.id: m.string for m in read_po(source) if m.id and m.string and not m.fuzzy}


@pytest.mark.parametrize("table", [NOTE_MESSAGES, PLANNER_MESSAGES, PLANFILE_MESSAGES, LEVEL_NAMES, AUDIO_MESSAGES,
                                   AUDIO_UNSUPPORTED, {**SYNTAX_PROBLEMS, "": SYNTAX_ERROR},
                                   {**JSON_PROBLEMS, "": JSON_SYNTAX_ERROR}],
                         ids=["compliance notes", "planner reasons", "plan-file problems", "area levels",
                              "audio refused", "audio of a kind not accepted", "plan-file syntax", "JSON syntax"])
def test_every_message_the_cores_give_the_pages_has_its_english(table):
    """The cores' messages are msgids of the pages' catalog (the pages show them translated); a
    new one without its English would show in Vietnamese."""
    missing = [message for message in table.values() if not english().get(message)]
    assert missing == [], "translate these in translations/en/LC_MESSAGES/messages.po"


def test_every_marked_string_of_the_pages_has_its_english():
    """What pybabel extracts (radio/ui/i18n.py has the command) is all in the English catalog."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None}
    method_map = [("**.py", "python"), ("**.html", "jinja2.ext:babel_extract")]
    marked = set()
    for folder in (ROOT / "radio", ROOT / "templates", ROOT / "schedules", ROOT / "audio_library"):
        marked |= {message for _file, _line, message, *_ in extract_from_dir(folder, method_map, keywords=keywords)}
    marked = {message[0] if isinstance(message, tuple) else message for message in marked}
    assert len(marked) > 300  # the extraction found the pages' strings
    translated = english()
    assert sorted(m for m in marked if not translated.get(m)) == []



def test_pages_are_vietnamese_by_default_and_english_when_chosen(web):
    page = web.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page and "Đăng nhập" in page and "Mật khẩu" in page
    response = web.post("/language", data={"csrf_token": csrf_token(page), "language": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "lang=en" in response.headers["Set-Cookie"]
    english = web.get("/login").get_data(as_text=True)  # remembered by the cookie
    assert '<html lang="en">' in english and "Password" in english and "Mật khẩu" not in english
    refused = web.post("/login", data={"csrf_token": csrf_token(english), "username": "", "password": ""})
    assert "Enter your username." in refused.get_data(as_text=True)


def test_language_switch_needs_its_csrf_token_and_ignores_unknown_languages(web):
    assert web.post("/language", data={"language": "en"}).status_code == 400
    token = csrf_token(web.get("/login").get_data(as_text=True))
    response = web.post("/language", data={"csrf_token": token, "language": "xx", "next": "//evil.example"})
    assert response.headers["Location"] == "/"  # no open redirect
    assert "lang=vi" in response.headers["Set-Cookie"]


@pytest.mark.parametrize(("day", "name"), [
    (date(2026, 11, 23), "Thứ 2"), (date(2026, 11, 24), "Thứ 3"), (date(2026, 11, 28), "Thứ 7"),
    (date(2026, 11, 29), "Chủ nhật"),
])
def test_weekdays_are_named_the_vietnamese_way(app, day, name):
    with app.test_request_context("/"):
        assert weekday_name(day) == name


def test_dates_are_day_month_year_and_instants_shown_in_the_station_zone(app):
    with app.test_request_context("/"):
        assert format_dmy(date(2026, 3, 5)) == "05/03/2026"
        late_utc = datetime(2026, 3, 5, 22, 30, tzinfo=timezone.utc)  # 05:30 next day in Hà Nội
        assert format_dmy(late_utc) == "06/03/2026" and format_hm(late_utc) == "05:30"
        assert day_label(date(2026, 11, 29)) == "Chủ nhật, 29/11/2026"
    with app.app_context(), app.test_request_context("/", headers={"Cookie": "lang=en"}):  # a fresh locale
        assert day_label(date(2026, 11, 29)) == "Sunday, 29/11/2026"
    with app.test_request_context("/"):
        assert format_duration(65.4) == "1 phút 5 giây" and format_duration(3725) == "1 giờ 2 phút 5 giây"
        assert format_duration(600) == "10 phút" and format_duration(23) == "23 giây"
        start = datetime(2026, 3, 5, 22, 40, tzinfo=timezone.utc)
        assert format_span(start, start + timedelta(seconds=23)) == "05:40:00–05:40:23"
        assert format_span(start, start + timedelta(minutes=10)) == "05:40–05:50"
    with app.app_context(), app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert format_duration(600) == "10 min" and format_duration(185) == "3 min 5 s"
