"""The API's boundary: payloads parsed and checked here, responses dumped here.

Checks are written out rather than taken from a schema library: the rules are few, and each
refusal must name the field and what was wrong with it, per item for play-log batches.
The OpenAPI document (openapi.py) describes the same shapes; a test holds the two together.
"""
from __future__ import annotations

import json
import math
import uuid as uuid_module
from collections.abc import Callable
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Row

from ..bulletins.operations import episode_key
from ..devices.feed import STREAM_KINDS, ScheduleFeed, item_priority
from ..devices.playlogs import Outcome, PlayLogIn, Refusal
from ..media.access import mime_type
from ..models import BULLETIN_PRIORITIES, PLAY_STATUSES, Bulletin, ScheduleEntry
from ..errors import RadioError

MediaUrl = Callable[[str], str]
MIN_YEAR, MAX_YEAR = 1970, 9000


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


def is_storable(text: str) -> bool:
    """Text a database can hold: no NUL (PostgreSQL refuses it) and no lone surrogates (JSON
    escapes can make them; they are not UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _type_name(value) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null",
            int: "integer", float: "number"}.get(type(value), type(value).__name__)


def _string(data: dict, name: str, max_length: int, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise Invalid(f"{name}: required")
        return None
    if not isinstance(value, str):
        raise Invalid(f"{name}: expected a string, got {_type_name(value)}")
    if len(value) > max_length:
        raise Invalid(f"{name}: at most {max_length} characters")
    if not is_storable(value):
        raise Invalid(f"{name}: contains a NUL character or invalid Unicode")
    if required and not value.strip():
        raise Invalid(f"{name}: must not be empty")
    return value


def _integer(data: dict, name: str, low: int, high: int) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid(f"{name}: expected an integer, got {_type_name(value)}")
    if not low <= value <= high:
        raise Invalid(f"{name}: expected {low} to {high}, got {value}")
    return value


def _number(data: dict, name: str, limit: float) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise Invalid(f"{name}: expected a number, got {_type_name(value)}")
    if abs(value) > limit:
        raise Invalid(f"{name}: at most {limit:g} in size")
    return value


def _instant(data: dict, name: str, required: bool = False) -> datetime | None:
    value = _string(data, name, 64, required)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{name}: {value!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise Invalid(f"{name}: {value!r} has no UTC offset (write e.g. 2026-11-24T05:30:00+07:00)")
    try:
        in_utc = moment.astimezone(timezone.utc)
    except OverflowError:
        in_utc = None
    if in_utc is None or not MIN_YEAR <= in_utc.year <= MAX_YEAR:
        raise Invalid(f"{name}: {value!r} is out of range (years {MIN_YEAR}–{MAX_YEAR})")
    return moment


def _uuid(data: dict, name: str, required: bool = False) -> uuid_module.UUID | None:
    value = _string(data, name, 64, required)
    if value is None:
        return None
    try:
        return uuid_module.UUID(value)
    except ValueError:
        raise Invalid(f"{name}: {value!r} is not a UUID") from None


def _object(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"{what}: expected an object, got {_type_name(value)}")
    return value


def load_playlogs(body, max_items: int) -> list[PlayLogIn | Refusal]:
    """A batch: the array itself must be right; each item is then judged on its own."""
    if not isinstance(body, list):
        raise Invalid(f"the body must be a JSON array of play logs, got {_type_name(body)}")
    if len(body) > max_items:
        raise Invalid(f"at most {max_items} play logs per request, got {len(body)}", "too_many", 413)
    return [_playlog(index, item) for index, item in enumerate(body)]


def _playlog(index: int, item) -> PlayLogIn | Refusal:
    label = item.get("uuid") if isinstance(item, dict) and isinstance(item.get("uuid"), str) else None
    try:
        data = _object(item, f"item {index}")
        refs = [name for name in ("entry_id", "episode", "bulletin") if data.get(name) is not None]
        if len(refs) != 1:
            raise Invalid("give exactly one of entry_id, episode and bulletin")
        status = _string(data, "status", 16, required=True)
        if status not in PLAY_STATUSES:
            raise Invalid(f"status: expected one of {', '.join(PLAY_STATUSES)}, got {status!r}")
        log = PlayLogIn(uuid=_uuid(data, "uuid", required=True), started_at=_instant(data, "started_at", True),
                        ended_at=_instant(data, "ended_at"), status=status, entry_id=_uuid(data, "entry_id"),
                        episode=_string(data, "episode", 200), bulletin=_uuid(data, "bulletin"),
                        detail=_string(data, "detail", 2000))
    except Invalid as exc:
        return Refusal(index, label, exc.message)
    if log.ended_at is not None and log.ended_at < log.started_at:
        return Refusal(index, label, "ended_at is before started_at")
    return log


def load_heartbeat(body) -> dict:
    data = _object(body, "the body")
    report = {"volume": _integer(data, "volume", 0, 100),
              "free_disk_bytes": _integer(data, "free_disk_bytes", 0, 2**62),
              "cached_items": _integer(data, "cached_items", 0, 10**7),
              "firmware": _string(data, "firmware", 64),
              "clock_offset_s": _number(data, "clock_offset_s", 10**9),
              "device_time": _instant(data, "device_time")}
    playing = data.get("now_playing")
    if playing is not None:
        playing = _object(playing, "now_playing")
        report["now_playing"] = {"id": _string(playing, "id", 64), "title": _string(playing, "title", 300),
                                 "position_s": _number(playing, "position_s", 10**7)}
    return {name: value for name, value in report.items() if value is not None}


def load_bulletin_issue(body) -> dict:
    data = _object(body, "the body")
    areas = data.get("areas")
    if not isinstance(areas, list) or not areas or len(areas) > 100 or \
            not all(isinstance(a, str) and a and len(a) <= 64 and is_storable(a) for a in areas):
        raise Invalid("areas: expected an array of 1 to 100 area codes")
    priority = _string(data, "priority", 16, required=True)
    if priority not in BULLETIN_PRIORITIES:
        raise Invalid(f"priority: expected one of {', '.join(BULLETIN_PRIORITIES)}, got {priority!r}")
    return {"episode": _string(data, "episode", 200, required=True), "areas": areas, "priority": priority,
            "valid_from": _instant(data, "valid_from"), "valid_until": _instant(data, "valid_until"),
            "title": _string(data, "title", 300)}


# -- dumping ---------------------------------------------------------------------------------

def _iso(moment: datetime | None, tz: ZoneInfo) -> str | None:
    return moment.astimezone(tz).isoformat() if moment is not None else None


def _media(media, url: MediaUrl) -> dict | None:
    if media is None or media.sha256 is None:
        return None
    return {"url": url(media.sha256), "sha256": media.sha256, "bytes": media.bytes,
            "duration_s": round(media.duration_s, 3), "mime": mime_type(media.suffix)}


def dump_item(row: Row, tz: ZoneInfo, url: MediaUrl) -> dict:
    """One schedule item from a flat row (devices.feed.ITEM_COLUMNS)."""
    stream = row.kind in STREAM_KINDS
    episode = f"{row.episode_plan}/{row.episode_series}/{row.episode_code}" if row.episode_code else None
    return {"id": str(row.uuid), "start": _iso(row.start_at, tz), "end": _iso(row.end_at, tz),
            "kind": row.kind, "title": row.title or row.episode_title or row.kind, "series": row.series,
            "priority": item_priority(row), "window": row.window_name, "episode": episode,
            "bulletin": str(row.bulletin_uuid) if row.bulletin_uuid else None,
            "media": None if stream else _media(row, url), "stream": row.source if stream else None}


def dump_device_bulletin(bulletin: Bulletin, tz: ZoneInfo, url: MediaUrl) -> dict:
    return {"id": str(bulletin.uuid), "title": bulletin.title, "priority": bulletin.priority, "play": "immediately",
            "issued_at": _iso(bulletin.created_at, tz), "valid_from": _iso(bulletin.valid_from, tz),
            "valid_until": _iso(bulletin.valid_until, tz), "media": _media(bulletin.episode.media, url)}


def dump_schedule(feed: ScheduleFeed, url: MediaUrl, poll_s: int) -> dict:
    tz = feed.tz
    return {"device": feed.device.code, "station": {"code": feed.station.code, "name": feed.station.name},
            "timezone": tz.key, "schedule_version": feed.station.schedule_version,
            "generated_at": _iso(feed.generated_at, tz), "valid_until": _iso(feed.valid_until, tz),
            "poll_seconds": poll_s, "items": [dump_item(row, tz, url) for row in feed.items],
            "bulletins": [dump_device_bulletin(b, tz, url) for b in feed.bulletins]}


def dump_device_bulletins(device_code: str, bulletins: list[Bulletin], tz: ZoneInfo, url: MediaUrl,
                          poll_s: int) -> dict:
    return {"device": device_code, "poll_seconds": poll_s,
            "bulletins": [dump_device_bulletin(b, tz, url) for b in bulletins]}


def dump_outcome(outcome: Outcome) -> dict:
    return {"stored": outcome.stored, "duplicate": outcome.duplicate,
            "refused": [{"index": r.index, "uuid": r.uuid, "reason": r.reason} for r in outcome.refused]}


def dump_bulletin(bulletin: Bulletin, tz: ZoneInfo, entries: list[ScheduleEntry], deliveries: list,
                  unplaced: list[str] = (), displaced: list[ScheduleEntry] = ()) -> dict:
    return {"id": str(bulletin.uuid), "title": bulletin.title, "priority": bulletin.priority,
            "episode": episode_key(bulletin.episode) if bulletin.episode else None,
            "areas": [a.code for a in bulletin.areas], "issued_at": _iso(bulletin.created_at, tz),
            "valid_from": _iso(bulletin.valid_from, tz), "valid_until": _iso(bulletin.valid_until, tz),
            "cancelled_at": _iso(bulletin.cancelled_at, tz),
            "entries": [_entry_ref(e, tz) for e in entries], "unplaced": list(unplaced),
            "displaced": [_entry_ref(e, tz) for e in displaced],
            "deliveries": [{"device": code, "fetched_at": _iso(fetched, tz), "played_at": _iso(played, tz)}
                           for code, fetched, played in deliveries]}


def _entry_ref(entry: ScheduleEntry, tz: ZoneInfo) -> dict:
    return {"id": str(entry.uuid), "station": entry.station.code, "start": _iso(entry.start_at, tz),
            "end": _iso(entry.end_at, tz), "status": entry.status}


def dump_presence(device, state: str, tz: ZoneInfo) -> dict:
    return {"device": device.code, "area": device.area.code, "status": state,
            "last_seen_at": _iso(device.last_seen_at, tz), "heartbeat_at": _iso(device.heartbeat_at, tz),
            "heartbeat": device.heartbeat}
