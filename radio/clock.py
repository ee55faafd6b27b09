"""The shell's one reading of the current time.

Handlers and commands ask here, and pass the instant on to operations and cores as an
argument. A test of the served app sets CLOCK (a callable returning an aware datetime) to
move time forward without sleeping. Nowhere else in radio/ reads the wall clock
(tests/test_clock_rule.py); the device client keeps a clock of its own.

It also checks the dates a person may ask about (`sensible_date`, against the core's
`SENSIBLE_YEARS`): every page, form, API parameter and command that reads a date checks it here.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request

from schedules.years import SENSIBLE_YEARS

_REQUEST_KEY = "radio.now"  # where a request keeps its instant (in its WSGI environ)


class DateOutOfRange(ValueError):
    """A date outside SENSIBLE_YEARS."""


def sensible_date(day: date) -> date:
    """`day` itself when its year is in SENSIBLE_YEARS; DateOutOfRange otherwise."""
    if day.year not in SENSIBLE_YEARS:
        raise DateOutOfRange(f"{day.isoformat()} is outside the years {SENSIBLE_YEARS[0]}–{SENSIBLE_YEARS[-1]}")
    return day


def iso_date(text: str) -> date:
    """A date written YYYY-MM-DD, in SENSIBLE_YEARS; ValueError (DateOutOfRange when only the
    year is wrong) otherwise."""
    return sensible_date(date.fromisoformat(text))


def now() -> datetime:
    """The current instant: within a request, the same one however often it is asked (the
    request is one moment); elsewhere read afresh, so a command reads it once and passes it on."""
    if not has_request_context():
        return _read()
    environ = request.environ
    if _REQUEST_KEY not in environ:
        environ[_REQUEST_KEY] = _read()
    return environ[_REQUEST_KEY]


def _read() -> datetime:
    clock = current_app.config.get("CLOCK")
    return clock() if clock is not None else datetime.now(timezone.utc)


def station_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])
