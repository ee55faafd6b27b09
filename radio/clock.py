"""The shell's one reading of the current time.

Handlers and commands ask here, and pass the instant on to operations and cores as an
argument. A test of the served app sets CLOCK (a callable returning an aware datetime) to
move time forward without sleeping.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app

from .models import utcnow


def now() -> datetime:
    clock = current_app.config.get("CLOCK")
    return clock() if clock is not None else utcnow()


def station_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])
