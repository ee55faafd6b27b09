"""A bulletin as the API takes it (to issue) and gives it back (with its entries and deliveries)."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from ..api.schemas import Invalid, instant_field, iso, object_of, text_field
from ..lookups import is_storable
from ..models import BULLETIN_PRIORITIES, Bulletin, ScheduleEntry
from .operations import episode_key


def load_bulletin_issue(body) -> dict:
    data = object_of(body, "the body")
    areas = data.get("areas")
    if not isinstance(areas, list) or not areas or len(areas) > 100 or \
            not all(isinstance(a, str) and a and len(a) <= 64 and is_storable(a) for a in areas):
        raise Invalid("areas: expected an array of 1 to 100 area codes")
    priority = text_field(data, "priority", 16, required=True)
    if priority not in BULLETIN_PRIORITIES:
        raise Invalid(f"priority: expected one of {', '.join(BULLETIN_PRIORITIES)}, got {priority!r}")
    return {"episode": text_field(data, "episode", 200, required=True), "areas": areas, "priority": priority,
            "valid_from": instant_field(data, "valid_from"), "valid_until": instant_field(data, "valid_until"),
            "title": text_field(data, "title", 300)}


def dump_bulletin(bulletin: Bulletin, tz: ZoneInfo, entries: list[ScheduleEntry], deliveries: list,
                  unplaced: list[str] = (), displaced: list[ScheduleEntry] = ()) -> dict:
    return {"id": str(bulletin.uuid), "title": bulletin.title, "priority": bulletin.priority,
            "episode": episode_key(bulletin.episode) if bulletin.episode else None,
            "areas": [a.code for a in bulletin.areas], "issued_at": iso(bulletin.created_at, tz),
            "valid_from": iso(bulletin.valid_from, tz), "valid_until": iso(bulletin.valid_until, tz),
            "cancelled_at": iso(bulletin.cancelled_at, tz),
            "entries": [_entry_ref(e, tz) for e in entries], "unplaced": list(unplaced),
            "displaced": [_entry_ref(e, tz) for e in displaced],
            "deliveries": [{"device": code, "fetched_at": iso(fetched, tz), "played_at": iso(played, tz)}
                           for code, fetched, played in deliveries]}


def _entry_ref(entry: ScheduleEntry, tz: ZoneInfo) -> dict:
    return {"id": str(entry.uuid), "station": entry.station.code, "start": iso(entry.start_at, tz),
            "end": iso(entry.end_at, tz), "status": entry.status}
