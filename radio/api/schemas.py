"""The API's boundary checks: payloads parsed and checked field by field, times written back.

Checks are written out rather than taken from a schema library: the rules are few, and each
refusal must name the field and what was wrong with it, per item for play-log batches. Each
feature's schemas.py builds its payloads from these; the OpenAPI document (openapi.py)
describes the same shapes, and a test holds the two together.
"""
from __future__ import annotations

import json
import math
import uuid as uuid_module
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from ..clock import SENSIBLE_YEARS, DateOutOfRange, sensible_date
from ..errors import RadioError
from ..lookups import is_storable


class Invalid(RadioError):
    """A request the API cannot read: bad JSON, a wrong type, a missing field."""

    def __init__(self, message: str, code: str = "invalid", status: int = 400):
        super().__init__(message, status=status, code=code)


# -- parsing ---------------------------------------------------------------------------------

def parse_json(raw: bytes):
    """The body as JSON; NaN and Infinity are refused (they are not JSON, and could not be sent back)."""
    if not raw.strip():
        raise Invalid("the body is empty: send JSON", "bad_json")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except UnicodeDecodeError as exc:
        raise Invalid(f"the body is not UTF-8 (byte {exc.start})", "bad_json") from None
    except RecursionError:
        raise Invalid("the body is nested too deeply", "bad_json") from None
    except (json.JSONDecodeError, ValueError) as exc:
        where = f" at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise Invalid(f"the body is not valid JSON{where}: {getattr(exc, 'msg', exc)}", "bad_json") from None


def _no_constants(name: str):
    raise ValueError(f"{name} is not a JSON number")


def days_param(args, default: int, maximum: int) -> int:
    text = args.get("days")
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= maximum:
        raise Invalid(f"days: expected a whole number from 1 to {maximum}, got {text!r}", "bad_parameter")
    return int(text)


def type_name(value) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null",
            int: "integer", float: "number"}.get(type(value), type(value).__name__)


def text_field(data: dict, name: str, max_length: int, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise Invalid(f"{name}: required")
        return None
    if not isinstance(value, str):
        raise Invalid(f"{name}: expected a string, got {type_name(value)}")
    if len(value) > max_length:
        raise Invalid(f"{name}: at most {max_length} characters")
    if not is_storable(value):
        raise Invalid(f"{name}: contains a NUL character or invalid Unicode")
    if required and not value.strip():
        raise Invalid(f"{name}: must not be empty")
    return value


def int_field(data: dict, name: str, low: int, high: int) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid(f"{name}: expected an integer, got {type_name(value)}")
    if not low <= value <= high:
        raise Invalid(f"{name}: expected {low} to {high}, got {value}")
    return value


def bool_field(data: dict, name: str) -> bool | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise Invalid(f"{name}: expected true or false, got {type_name(value)}")
    return value


def number_field(data: dict, name: str, limit: float) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise Invalid(f"{name}: expected a number, got {type_name(value)}")
    if abs(value) > limit:
        raise Invalid(f"{name}: at most {limit:g} in size")
    return value


def instant_field(data: dict, name: str, required: bool = False) -> datetime | None:
    value = text_field(data, name, 64, required)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{name}: {value!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise Invalid(f"{name}: {value!r} has no UTC offset (write e.g. 2026-11-24T05:30:00+07:00)")
    try:
        sensible_date(moment.astimezone(timezone.utc).date())
    except (OverflowError, DateOutOfRange):
        raise Invalid(f"{name}: {value!r} is out of range (years {SENSIBLE_YEARS[0]}–{SENSIBLE_YEARS[-1]})") from None
    return moment


def uuid_field(data: dict, name: str, required: bool = False) -> uuid_module.UUID | None:
    value = text_field(data, name, 64, required)
    if value is None:
        return None
    try:
        return uuid_module.UUID(value)
    except ValueError:
        raise Invalid(f"{name}: {value!r} is not a UUID") from None


def object_of(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"{what}: expected an object, got {type_name(value)}")
    return value


def iso(moment: datetime | None, tz: ZoneInfo) -> str | None:
    return moment.astimezone(tz).isoformat() if moment is not None else None
