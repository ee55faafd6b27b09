"""Languages of the pages: Vietnamese first, English second (Flask-Babel), and the one place
where dates and weekdays are written for people.

Message ids are the Vietnamese text itself, so Vietnamese needs no catalog and a template
reads as the page does; `translations/en/LC_MESSAGES/messages.po` carries the English of every
page, and `tests/radio/ui/test_i18n.py` fails when a marked string has none. The cores mark the
messages they give the pages with `N_` (compliance notes, planner reasons, plan-file problems,
audio files refused), so they are extracted too. After changing strings:

    pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output -w 120 \
        -o /tmp/messages.pot radio templates schedules audio_library
    pybabel update -w 120 -i /tmp/messages.pot -d translations -l en
    pybabel compile -d translations -l en

The compiled `.mo` files are committed, not compiled at start-up: the app may run from a
read-only checkout and writes nothing into the source tree, and nothing needs building before
it runs. `tests/radio/ui/test_i18n.py` fails when a `.mo` differs from its `.po`
(recompile it).

The choice is remembered in a cookie (it must work on the login page, before anyone is known).
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import Flask, redirect, request, url_for
from flask_babel import Babel, get_locale, gettext, lazy_gettext

from ..clock import station_tz
from .redirects import safe_next

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"
TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"
LANGUAGE_COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

# Monday first, as date.weekday() counts; Vietnamese calls Monday "the second day".
WEEKDAY_NAMES = (lazy_gettext("Thứ 2"), lazy_gettext("Thứ 3"), lazy_gettext("Thứ 4"), lazy_gettext("Thứ 5"),
                 lazy_gettext("Thứ 6"), lazy_gettext("Thứ 7"), lazy_gettext("Chủ nhật"))

# The periods of a requirement, as the pages name them.
PERIOD_LABELS = {"day": lazy_gettext("ngày"), "week": lazy_gettext("tuần"), "month": lazy_gettext("tháng"), "quarter": lazy_gettext("quý"),
                 "year": lazy_gettext("năm"), "campaign": lazy_gettext("đợt")}

# The regions of the voice (audio_library.text_vi.REGIONS), as the pages name them.
VOICE_REGION_LABELS = {"north": lazy_gettext("Giọng miền Bắc"), "central": lazy_gettext("Giọng miền Trung"),
                       "south": lazy_gettext("Giọng miền Nam")}


def chosen_language() -> str:
    wanted = request.cookies.get(LANGUAGE_COOKIE)
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def remember_language(response, language: str):
    """Set the language cookie on `response` (unknown languages fall back to Vietnamese)."""
    response.set_cookie(LANGUAGE_COOKIE, language if language in LANGUAGES else DEFAULT_LANGUAGE,
                        max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax")
    return response


def switch_language():
    """POST /language: the form in every page's top bar (CSRF-checked like every POST)."""
    back = safe_next(request.form.get("next"), url_for("today.home"))
    return remember_language(redirect(back), request.form.get("language", ""))


def _local(value: date | datetime) -> date | datetime:
    """Instants are shown in the stations' time zone; plain dates stay as they are."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(station_tz())
    return value


def format_dmy(value: date | datetime | None) -> str:
    """dd/mm/yyyy in every language (the way dates are written in Vietnam)."""
    return "" if value is None else f"{_local(value):%d/%m/%Y}"


def format_hm(value: datetime | None) -> str:
    return "" if value is None else f"{_local(value):%H:%M}"


def format_dmy_hm(value: datetime | None) -> str:
    return "" if value is None else f"{format_hm(value)} {format_dmy(value)}"


def weekday_name(value: date | datetime) -> str:
    """"Thứ 2" … "Chủ nhật" (Monday … Sunday in English)."""
    return str(WEEKDAY_NAMES[_local(value).weekday()])


def day_label(value: date | datetime) -> str:
    """"Thứ 2, 23/11/2026": how a day is named in headings."""
    return gettext("%(weekday)s, %(date)s", weekday=weekday_name(value), date=format_dmy(value))


def format_duration(seconds: float | None) -> str:
    """"10 phút", "3 phút 5 giây", "23 giây": a length in words, which no one reads as a clock time."""
    from schedules.exports.text import duration_words  # here: the exports package loads icalendar and fpdf's kin

    if seconds is None:
        return ""
    return duration_words(seconds, gettext("giờ"), gettext("phút"), gettext("giây"))


def format_span(start: datetime | None, end: datetime | None) -> str:
    """"05:40–05:50"; "05:40:00–05:40:23" when the minutes alone would not tell start from end."""
    from schedules.exports.text import span_text  # here, as above: every command's app loads this kit

    return "" if start is None or end is None else span_text(start, end, station_tz())


def window_title(station, name: str) -> str:
    """`station | window_title(name)`: how people read a window (a code) in the page's language,
    its title as written or the usual words for its name ("Buổi sáng")."""
    return station.window_title(name, gettext)


FILTERS = {"dmy": format_dmy, "hm": format_hm, "dmy_hm": format_dmy_hm, "weekday": weekday_name,
           "day_label": day_label, "duration": format_duration, "span": format_span, "window_title": window_title}


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    Babel(app, locale_selector=chosen_language)
    app.add_url_rule("/language", "language", switch_language, methods=["POST"])
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=lambda: str(get_locale()))
