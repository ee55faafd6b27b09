"""What devices send (play logs, heartbeats) checked, and what they are sent (the schedule, the
emergency bulletins, presence) written, in the shapes of the OpenAPI document."""
from __future__ import annotations

import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import Row

from audio_library.formats import mime_type

from ..api.schemas import (
    Invalid, bool_field, instant_field, int_field, iso, number_field, object_of, text_field, type_name, uuid_field,
)
from ..models import PLAY_STATUSES, Bulletin
from .feed import STREAM_KINDS, ScheduleFeed, item_priority
from .playlogs import Outcome, PlayLogIn, Refusal

MediaUrl = Callable[[str], str]
NETWORK_TYPES = ("ethernet", "wifi", "cellular", "other")
MAX_UPTIME_S = 10**10
MAX_CONTACT_S = 86400  # a heartbeat at least daily (DEVICE_POLL_SECONDS' upper bound)
# A playback error's code: a word the pages know (forms.ERROR_LABELS) or a newer receiver's, whose
# message is then shown as it is; an older receiver sends only the message.
ERROR_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


def load_playlogs(body, max_items: int) -> list[PlayLogIn | Refusal]:
    """A batch: the array itself must be right; each item is then judged on its own."""
    if not isinstance(body, list):
        raise Invalid(f"the body must be a JSON array of play logs, got {type_name(body)}")
    if len(body) > max_items:
        raise Invalid(f"at most {max_items} play logs per request, got {len(body)}", "too_many", 413)
    return [_playlog(index, item) for index, item in enumerate(body)]


def _playlog(index: int, item) -> PlayLogIn | Refusal:
    label = item.get("uuid") if isinstance(item, dict) and isinstance(item.get("uuid"), str) else None
    try:
        data = object_of(item, f"item {index}")
        refs = [name for name in ("entry_id", "episode", "bulletin") if data.get(name) is not None]
        if len(refs) != 1:
            raise Invalid("give exactly one of entry_id, episode and bulletin")
        status = text_field(data, "status", 16, required=True)
        if status not in PLAY_STATUSES:
            raise Invalid(f"status: expected one of {', '.join(PLAY_STATUSES)}, got {status!r}")
        log = PlayLogIn(uuid=uuid_field(data, "uuid", required=True), started_at=instant_field(data, "started_at", True),
                        ended_at=instant_field(data, "ended_at"), status=status, entry_id=uuid_field(data, "entry_id"),
                        episode=text_field(data, "episode", 200), bulletin=uuid_field(data, "bulletin"),
                        detail=text_field(data, "detail", 2000))
    except Invalid as exc:
        return Refusal(index, label, exc.message)
    if log.ended_at is not None and log.ended_at < log.started_at:
        return Refusal(index, label, "ended_at is before started_at")
    return log


def load_heartbeat(body) -> dict:
    """The report as stored: every field checked, absent ones left out (a device says only what
    it can tell); a refusal names the field, "now_playing.title" for one inside an object."""
    data = object_of(body, "the body")
    report = {"volume": int_field(data, "volume", 0, 100),
              "free_disk_bytes": int_field(data, "free_disk_bytes", 0, 2**62),
              "cached_items": int_field(data, "cached_items", 0, 10**7),
              "firmware": text_field(data, "firmware", 64),
              "clock_offset_s": number_field(data, "clock_offset_s", 10**9),
              "device_time": instant_field(data, "device_time"),
              "uptime_s": int_field(data, "uptime_s", 0, MAX_UPTIME_S),
              "player_running": bool_field(data, "player_running"),
              "contact_s": int_field(data, "contact_s", 1, MAX_CONTACT_S),
              "now_playing": _inner(data, "now_playing", _now_playing),
              "last_error": _inner(data, "last_error", _last_error),
              "network": _inner(data, "network", _network)}
    return {name: value for name, value in report.items() if value is not None}


def _inner(data: dict, name: str, load: Callable[[dict], dict]) -> dict | None:
    value = data.get(name)
    if value is None:
        return None
    value = object_of(value, name)
    try:
        return load(value)
    except Invalid as exc:
        raise Invalid(f"{name}.{exc.message}") from None


def _now_playing(data: dict) -> dict:
    return {"id": text_field(data, "id", 64), "title": text_field(data, "title", 300),
            "position_s": number_field(data, "position_s", 10**7)}


def _last_error(data: dict) -> dict:
    error = {"at": instant_field(data, "at", required=True).isoformat(),
             "message": text_field(data, "message", 300, required=True)}
    code = text_field(data, "code", 40)
    if code is not None:
        if not ERROR_CODE.fullmatch(code):
            raise Invalid("code: lowercase letters, digits and _, starting with a letter (e.g. player_failed)")
        error["code"] = code
    return error


def _network(data: dict) -> dict:
    kind = text_field(data, "type", 16, required=True)
    if kind not in NETWORK_TYPES:
        raise Invalid(f"type: expected one of {', '.join(NETWORK_TYPES)}, got {kind!r}")
    signal = int_field(data, "signal_dbm", -150, 0)
    return {"type": kind} if signal is None else {"type": kind, "signal_dbm": signal}


def media_ref(media, url: MediaUrl) -> dict | None:
    if media is None or media.sha256 is None:
        return None
    return {"url": url(media.sha256), "sha256": media.sha256, "bytes": media.bytes,
            "duration_s": round(media.duration_s, 3), "mime": mime_type(media.suffix)}


def dump_item(row: Row, tz: ZoneInfo, url: MediaUrl) -> dict:
    """One schedule item from a flat row (devices.feed.ITEM_COLUMNS)."""
    stream = row.kind in STREAM_KINDS
    episode = f"{row.episode_plan}/{row.episode_series}/{row.episode_code}" if row.episode_code else None
    return {"id": str(row.uuid), "start": iso(row.start_at, tz), "end": iso(row.end_at, tz),
            "kind": row.kind, "title": row.title or row.episode_title or row.kind, "series": row.series,
            "priority": item_priority(row), "window": row.window_name, "episode": episode,
            "bulletin": str(row.bulletin_uuid) if row.bulletin_uuid else None,
            "media": None if stream else media_ref(row, url), "stream": row.source if stream else None}


def dump_device_bulletin(bulletin: Bulletin, tz: ZoneInfo, url: MediaUrl) -> dict:
    return {"id": str(bulletin.uuid), "title": bulletin.title, "priority": bulletin.priority, "play": "immediately",
            "issued_at": iso(bulletin.created_at, tz), "valid_from": iso(bulletin.valid_from, tz),
            "valid_until": iso(bulletin.valid_until, tz), "media": media_ref(bulletin.episode.media, url)}


def dump_schedule(feed: ScheduleFeed, url: MediaUrl, poll_s: int, poll_file: str | None) -> dict:
    """`poll_file`: the address of the device's poll file (devices/poll_files.py), when there is one."""
    tz = feed.tz
    body = {"device": feed.device.code, "station": {"code": feed.station.code, "name": feed.station.name},
            "timezone": tz.key, "schedule_version": feed.station.schedule_version,
            "generated_at": iso(feed.generated_at, tz), "valid_until": iso(feed.valid_until, tz),
            "poll_seconds": poll_s, "items": [dump_item(row, tz, url) for row in feed.items],
            "bulletins": [dump_device_bulletin(b, tz, url) for b in feed.bulletins]}
    if poll_file:
        body["poll_file"] = poll_file
    return body


def dump_device_bulletins(device_code: str, bulletins: list[Bulletin], tz: ZoneInfo, url: MediaUrl,
                          poll_s: int) -> dict:
    return {"device": device_code, "poll_seconds": poll_s,
            "bulletins": [dump_device_bulletin(b, tz, url) for b in bulletins]}


def dump_outcome(outcome: Outcome) -> dict:
    return {"stored": outcome.stored, "duplicate": outcome.duplicate,
            "refused": [{"index": r.index, "uuid": r.uuid, "reason": r.reason} for r in outcome.refused]}


def dump_presence(device, state: str, tz: ZoneInfo) -> dict:
    return {"device": device.code, "area": device.area.code, "status": state,
            "last_seen_at": iso(device.last_seen_at, tz), "heartbeat_at": iso(device.heartbeat_at, tz),
            "heartbeat": device.heartbeat}
