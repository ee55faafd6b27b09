"""The OpenAPI 3 description of /api/v1, served as /api/v1/openapi.json.

Kept by hand beside the handlers (a static document, not generated), and held to the real
responses by tests/radio/api/test_openapi.py, which runs schemathesis against the served app.
"""
from __future__ import annotations

from . import api_blueprint
from .responses import json_response


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict:
    texts = {400: "bad JSON, wrong types or a bad parameter", 401: "no token, a wrong or a revoked one",
             403: "not yours (another device's path, a file not on your schedule, an area outside your scope)",
             404: "no such resource", 409: "already done", 413: "body too large or too many items",
             416: "range not satisfiable", 422: "refused by the domain rules (the message says why)"}
    return {str(s): _json(_ref("Error"), texts[s]) for s in statuses}


STRING = {"type": "string"}
TIME = {"type": "string", "format": "date-time"}
UUID = {"type": "string", "format": "uuid"}
DATE = {"type": "string", "format": "date"}
CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
ETAG = {"ETag": {"description": "strong validator; send it back in If-None-Match (a full answer comes "
                           "without one when the server could not record what it sent: poll without one)",
                 "schema": STRING}}
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": STRING}
DEVICE = [{"deviceToken": []}]
USER = [{"session": []}]
AUDIO_TYPES = ("audio/mpeg", "audio/wav", "audio/ogg", "audio/mp4", "audio/flac", "audio/aac",
               "application/octet-stream")

CAP_TYPES = ("application/cap+xml", "application/xml", "text/xml")

SCHEMAS = {
    "Error": {"type": "object", "required": ["error", "message"],
              "properties": {"error": STRING, "message": STRING}},
    "Media": {"type": "object", "required": ["url", "sha256", "bytes", "duration_s", "mime"], "properties": {
        "url": {"type": "string", "format": "uri"}, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "bytes": {"type": "integer", "minimum": 0}, "duration_s": {"type": "number", "minimum": 0},
        "mime": STRING}},
    "Item": {"type": "object", "required": ["id", "start", "end", "kind", "title", "series", "priority", "media",
                                            "stream"], "properties": {
        "id": UUID, "start": TIME, "end": TIME,
        "kind": {"type": "string", "enum": ["episode", "reservation", "relay", "live", "bulletin"]},
        "title": STRING, "series": _nullable(STRING),
        "priority": {"type": "string", "enum": ["normal", "priority", "emergency"]},
        "window": _nullable(STRING), "episode": _nullable(STRING), "bulletin": _nullable(UUID),
        "media": _nullable(_ref("Media")), "stream": _nullable(STRING)}},
    "DeviceBulletin": {"type": "object", "required": ["id", "title", "priority", "play", "valid_from",
                                                      "valid_until", "media"], "properties": {
        "id": UUID, "title": STRING, "priority": {"type": "string", "enum": ["emergency"]},
        "play": {"type": "string", "enum": ["immediately"]}, "issued_at": TIME, "valid_from": TIME,
        "valid_until": TIME, "media": _nullable(_ref("Media"))}},
    "Schedule": {"type": "object", "required": ["device", "station", "timezone", "generated_at", "valid_until",
                                                "poll_seconds", "items", "bulletins"], "properties": {
        "device": STRING, "station": {"type": "object", "required": ["code", "name"],
                                      "properties": {"code": STRING, "name": STRING}},
        "timezone": STRING, "schedule_version": {"type": "integer"}, "generated_at": TIME, "valid_until": TIME,
        "poll_seconds": {"type": "integer", "minimum": 1}, "items": {"type": "array", "items": _ref("Item")},
        "bulletins": {"type": "array", "items": _ref("DeviceBulletin")},
        "poll_file": {"type": "string", "description": "where the device's poll file is, when the server keeps "
                      "them: ask it with If-None-Match and call this API only when it changed"}}},
    "DeviceBulletins": {"type": "object", "required": ["device", "poll_seconds", "bulletins"], "properties": {
        "device": STRING, "poll_seconds": {"type": "integer", "minimum": 1},
        "bulletins": {"type": "array", "items": _ref("DeviceBulletin")}}},
    "PlayLog": {"type": "object", "description": "one of entry_id (a scheduled airing), episode (an unscheduled "
                "airing: the audio's sha256 or PLAN/SERIES/CODE) or bulletin (an emergency bulletin played)",
                "required": ["uuid", "started_at", "status"], "properties": {
        "uuid": UUID, "entry_id": UUID, "episode": STRING, "bulletin": UUID, "started_at": TIME, "ended_at": TIME,
        "status": {"type": "string", "enum": ["played", "skipped", "failed"]},
        "detail": {"type": "string", "maxLength": 2000}}},
    "PlayLogResult": {"type": "object", "required": ["stored", "duplicate", "refused"], "properties": {
        "stored": {"type": "array", "items": STRING}, "duplicate": {"type": "array", "items": STRING},
        "refused": {"type": "array", "items": {"type": "object", "required": ["index", "uuid", "reason"],
                                                "properties": {"index": {"type": "integer"},
                                                               "uuid": _nullable(STRING), "reason": STRING}}}}},
    "Heartbeat": {"type": "object", "properties": {
        "now_playing": _nullable({"type": "object", "properties": {
            "id": _nullable({"type": "string", "maxLength": 64}),
            "title": _nullable({"type": "string", "maxLength": 300}),
            "position_s": _nullable({"type": "number", "minimum": 0})}}),
        "volume": {"type": "integer", "minimum": 0, "maximum": 100},
        "free_disk_bytes": {"type": "integer", "minimum": 0}, "cached_items": {"type": "integer", "minimum": 0},
        "firmware": {"type": "string", "maxLength": 64}, "clock_offset_s": {"type": "number"},
        "device_time": TIME, "uptime_s": {"type": "integer", "minimum": 0, "maximum": 10**10,
                                          "description": "seconds since the receiver started"},
        "player_running": {"type": "boolean", "description": "whether the player process runs now"},
        "contact_s": {"type": "integer", "minimum": 1, "maximum": 86400, "description":
                      "seconds until this device's next heartbeat (longer while it hears MQTT notices)"},
        "last_error": {"type": "object", "required": ["at", "message"], "description": "the last playback error",
                       "properties": {"at": TIME, "message": {"type": "string", "minLength": 1, "maxLength": 300,
                                                              "description": "the detail, for a technician"},
                                      "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$",
                                               "description": "what kind of error, which the pages word for "
                                               "their readers: player_failed (the player exited with an error), "
                                               "player_not_started (the player is missing or could not start), "
                                               "cache_mismatch (audio held no longer matched its sha256), "
                                               "audio_refused (the audio downloaded did not match its sha256), "
                                               "audio_missing (the audio was gone when it was to resume); "
                                               "another code is kept, and its message shown as it is"}}},
        "network": {"type": "object", "required": ["type"], "description": "the default route's interface",
                    "properties": {"type": {"type": "string", "enum": ["ethernet", "wifi", "cellular", "other"]},
                                   "signal_dbm": {"type": "integer", "minimum": -150, "maximum": 0}}}}},
    "HeartbeatResult": {"type": "object", "required": ["device", "status", "last_seen_at", "server_time",
                                                       "poll_seconds"], "properties": {
        "device": STRING, "status": {"type": "string", "enum": ["online", "offline", "never_seen"]},
        "last_seen_at": TIME, "server_time": TIME, "poll_seconds": {"type": "integer"},
        "playlogs_mqtt": {"type": "object", "required": ["topic", "ack_topic", "key"], "description":
                          "present only while the server takes play logs over MQTT: publish them (QoS 1) on "
                          "`topic`, sealed with `key` (HMAC-SHA256), and read the sealed acknowledgements on "
                          "`ack_topic`; absent, send them by POST /playlogs",
                          "properties": {"topic": STRING, "ack_topic": STRING,
                                         "key": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}}}},
    "BulletinIssue": {"type": "object", "required": ["episode", "areas", "priority"], "properties": {
        "episode": {"type": "string", "description": "CODE, SERIES/CODE or PLAN/SERIES/CODE"},
        "areas": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"type": "string", "minLength": 1}},
        "priority": {"type": "string", "enum": ["normal", "priority", "emergency"]},
        "valid_from": TIME, "valid_until": TIME, "title": {"type": "string", "maxLength": 300}}},
    "EntryRef": {"type": "object", "required": ["id", "station", "start", "end", "status"], "properties": {
        "id": UUID, "station": STRING, "start": TIME, "end": TIME, "status": STRING}},
    "Bulletin": {"type": "object", "required": ["id", "title", "priority", "areas", "valid_from", "valid_until",
                                                "entries", "deliveries"], "properties": {
        "id": UUID, "title": STRING, "priority": {"type": "string", "enum": ["normal", "priority", "emergency"]},
        "episode": _nullable(STRING), "areas": {"type": "array", "items": STRING}, "issued_at": TIME,
        "valid_from": TIME, "valid_until": TIME, "cancelled_at": _nullable(TIME),
        "entries": {"type": "array", "items": _ref("EntryRef")}, "unplaced": {"type": "array", "items": STRING},
        "displaced": {"type": "array", "items": _ref("EntryRef")},
        "deliveries": {"type": "array", "items": {"type": "object", "required": ["device"], "properties": {
            "device": STRING, "fetched_at": _nullable(TIME), "played_at": _nullable(TIME)}}}}},
    "AlertReceived": {"type": "object", "required": ["identifier", "status", "duplicate", "priority", "bulletin"],
                      "properties": {
        "identifier": STRING, "duplicate": {"type": "boolean"},
        "status": {"type": "string", "enum": ["held", "waiting", "issued", "ended", "discarded", "note"]},
        "priority": {"type": "string", "enum": ["normal", "priority", "emergency"]}, "bulletin": _nullable(UUID),
        "audio_problem": _nullable(STRING)}},
    "StationDevices": {"type": "object", "required": ["station", "poll_seconds", "devices"], "properties": {
        "station": STRING, "poll_seconds": {"type": "integer"}, "devices": {"type": "array", "items": {
            "type": "object", "required": ["device", "status"], "properties": {
                "device": STRING, "area": STRING,
                "status": {"type": "string", "enum": ["online", "offline", "never_seen"]},
                "last_seen_at": _nullable(TIME), "heartbeat_at": _nullable(TIME),
                "heartbeat": _nullable({"type": "object"})}}}}},
    "ComplianceRow": {"type": "object", "required": [
        "requirement", "station", "period_start", "period_end", "partial", "required_min", "required_max", "planned",
        "aired", "new_required", "new_aired", "status", "reasons"], "properties": {
        "requirement": STRING, "station": STRING, "period_start": DATE, "period_end": DATE,
        "partial": {"type": "boolean"}, "required_min": {"type": "integer"},
        "required_max": _nullable({"type": "integer"}), "planned": {"type": "integer"},
        "aired": {"type": "integer"}, "new_required": {"type": "integer"}, "new_aired": {"type": "integer"},
        "status": {"type": "string", "enum": ["met", "short", "over", "in_progress", "at_risk", "pending"]},
        "reasons": {"type": "array", "items": STRING}, "unscheduled": {"type": "integer"},
        "duration_violations": {"type": "integer"}, "missing_dates": {"type": "array", "items": DATE}}},
    "Compliance": {"type": "object", "required": ["area", "from", "to", "as_of", "rows", "unscheduled"],
                   "properties": {
        "area": STRING, "from": DATE, "to": DATE, "as_of": TIME,
        "rows": {"type": "array", "items": _ref("ComplianceRow")},
        "unscheduled": {"type": "array", "items": {"type": "object", "required": ["station", "episode_id",
                                                                                  "started_at"], "properties": {
            "station": STRING, "episode_id": {"type": "integer"}, "started_at": TIME,
            "window": _nullable(STRING)}}}}},
}


def _device_get(summary: str, schema: str, extra_params=()) -> dict:
    return {"get": {"summary": summary, "security": DEVICE, "parameters": [CODE, IF_NONE_MATCH, *extra_params],
                    "responses": {"200": {**_json(_ref(schema), "the current answer"), "headers": ETAG},
                                  "304": {"description": "unchanged since the ETag sent", "headers": ETAG},
                                  **_errors(400, 401, 403)}}}


def _device_post(summary: str, body: dict, result: str) -> dict:
    return {"post": {"summary": summary, "security": DEVICE, "parameters": [CODE],
                     "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                     "responses": {"200": _json(_ref(result), "accepted"), **_errors(400, 401, 403, 413)}}}


def _playlist(day: str) -> dict:
    return {"get": {"summary": f"{day}'s schedule as M3U8 for simple players, media links signed for this device",
                    "security": [{"urlToken": []}, *DEVICE],
                    "parameters": [CODE, {"name": "token", "in": "query", "schema": STRING}],
                    "responses": {"200": {"description": "an M3U8 playlist",
                                          "content": {"audio/x-mpegurl": {"schema": STRING}}},
                                  **_errors(400, 401, 403)}}}


SHA_PARAM = {"name": "sha256", "in": "path", "required": True, "schema": {"type": "string"}}
MEDIA_RESPONSES = {
    "200": {"description": "the audio file (immutable)", "content": {t: {"schema": {"type": "string",
                                                                                     "format": "binary"}}
                                                                      for t in AUDIO_TYPES}},
    "206": {"description": "the range asked for", "content": {t: {"schema": {"type": "string", "format": "binary"}}
                                                              for t in AUDIO_TYPES}},
    "304": {"description": "unchanged"}, **_errors(400, 401, 403, 404, 416)}
MEDIA = {"summary": "an audio file by its sha256 (Range and HEAD supported)",
         "security": [*DEVICE, {"urlToken": []}, *USER],
         "parameters": [SHA_PARAM, {"name": "token", "in": "query", "schema": STRING},
                        {"name": "Range", "in": "header", "schema": STRING}],
         "responses": MEDIA_RESPONSES}
BULLETIN_ID = {"name": "uuid_text", "in": "path", "required": True, "schema": STRING}
# What a client does next with an issued bulletin (OpenAPI links: read it, cancel it, by its id).
BULLETIN_LINKS = {name: {"operationId": operation, "parameters": {"uuid_text": "$response.body#/id"}}
                  for name, operation in (("GetBulletin", "getBulletin"), ("CancelBulletin", "cancelBulletin"))}
COMPLIANCE_PARAMS = [{"name": "area", "in": "query", "required": True, "schema": {"type": "string", "minLength": 1}},
                     {"name": "from", "in": "query", "required": True, "schema": DATE},
                     {"name": "to", "in": "query", "required": True, "schema": DATE}]
COMPLIANCE_FILES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "pdf": "application/pdf"}


def _compliance_file(fmt: str) -> dict:
    return {"get": {"summary": f"the compliance report as {fmt.upper()} (XLSX and PDF: the report to hand in)",
                    "security": USER, "parameters": COMPLIANCE_PARAMS,
                    "responses": {"200": {"description": "a download", "content": {
                        COMPLIANCE_FILES[fmt]: {"schema": {"type": "string", "format": "binary"}}}},
                        **_errors(400, 401, 403, 404)}}}


PATHS = {
    "/devices/{code}/schedule": _device_get(
        "the device's schedule from today for N days, and the emergency bulletins to play now", "Schedule",
        [{"name": "days", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 14}}]),
    "/devices/{code}/bulletins": _device_get("emergency bulletins to play now (poll every 30–60 s)",
                                             "DeviceBulletins"),
    "/devices/{code}/playlogs": _device_post(
        "report airings; idempotent by uuid, judged item by item",
        {"type": "array", "maxItems": 1000, "items": _ref("PlayLog")}, "PlayLogResult"),
    "/devices/{code}/heartbeat": _device_post("the device's status", _ref("Heartbeat"), "HeartbeatResult"),
    "/devices/{code}/today.m3u8": _playlist("today"),
    "/devices/{code}/tomorrow.m3u8": _playlist("tomorrow"),
    "/media/{sha256}": {"get": MEDIA, "head": {**MEDIA, "responses": {
        code: {"description": r["description"]} for code, r in MEDIA_RESPONSES.items()}}},
    "/bulletins": {"post": {"summary": "issue a bulletin (oversight or station users)", "security": USER,
                            "operationId": "issueBulletin",
                            "parameters": [{"name": "X-CSRFToken", "in": "header", "schema": STRING}],
                            "requestBody": {"required": True, "content": {"application/json": {
                                "schema": _ref("BulletinIssue")}}},
                            "responses": {"201": {**_json(_ref("Bulletin"), "issued"), "links": BULLETIN_LINKS},
                                          **_errors(400, 401, 403, 413, 422)}}},
    "/bulletins/{uuid_text}": {"get": {"summary": "a bulletin, its entries and who fetched and played it",
                                       "security": USER, "parameters": [BULLETIN_ID], "operationId": "getBulletin",
                                       "responses": {"200": _json(_ref("Bulletin"), "the bulletin"),
                                                     **_errors(401, 403, 404)}}},
    "/bulletins/{uuid_text}/cancel": {"post": {"summary": "cancel a bulletin", "security": USER,
                                               "operationId": "cancelBulletin",
                                               "parameters": [BULLETIN_ID,
                                                              {"name": "X-CSRFToken", "in": "header",
                                                               "schema": STRING}],
                                               "responses": {"200": {**_json(_ref("Bulletin"), "cancelled"),
                                                                     "links": {"GetBulletin": BULLETIN_LINKS[
                                                                         "GetBulletin"]}},
                                                             **_errors(401, 403, 404, 409)}}},
    "/stations/{code}/devices": {"get": {"summary": "the station's devices: online, offline (3 missed polls)",
                                         "security": USER, "parameters": [CODE],
                                         "responses": {"200": _json(_ref("StationDevices"), "devices"),
                                                       **_errors(401, 403, 404)}}},
    "/compliance": {"get": {"summary": "required vs planned vs aired per requirement, station and period (whole "
                                       "periods touching from–to), for oversight users of the area",
                            "security": USER, "parameters": COMPLIANCE_PARAMS,
                            "responses": {"200": _json(_ref("Compliance"), "the rows"),
                                          **_errors(400, 401, 403, 404)}}},
    **{f"/compliance.{fmt}": _compliance_file(fmt) for fmt in COMPLIANCE_FILES},
    "/cap": {"post": {"summary": "an emergency alert in CAP 1.2 from an alert source (validated against the OASIS "
                                 "schema; the same identifier, sender and sent twice is one alert)",
                      "security": [{"alertSource": []}],
                      "requestBody": {"required": True, "content": {t: {"schema": STRING} for t in CAP_TYPES}},
                      "responses": {"201": _json(_ref("AlertReceived"), "received"),
                                    "200": _json(_ref("AlertReceived"), "received before: the same alert"),
                                    **_errors(400, 401, 413, 422)}}},
    "/cap/feed": {"get": {"summary": "the bulletins heard in an area (to it, above or below it) as CAP 1.2 alerts "
                                     "in an Atom feed, with the loudspeakers' acknowledgements",
                          "parameters": [{"name": "area", "in": "query", "required": True,
                                          "schema": {"type": "string", "minLength": 1}}],
                          "responses": {"200": {"description": "an Atom feed",
                                                "content": {"application/atom+xml": {"schema": STRING}}},
                                        **_errors(400, 404)}}},
}

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "Commune radio device API", "version": "1",
             "description": "Village loudspeaker receivers pull their schedule and audio, take emergency "
                            "bulletins (Circular 39/2020/TT-BTTTT) and report what they played. Times are "
                            "ISO 8601 with offset; errors are {\"error\", \"message\"}."},
    "servers": [{"url": "/api/v1"}],
    "paths": PATHS,
    "components": {"schemas": SCHEMAS, "securitySchemes": {
        "deviceToken": {"type": "http", "scheme": "bearer", "description": "the device's token (radio device-token)"},
        "urlToken": {"type": "apiKey", "in": "query", "name": "token",
                     "description": "the device token (playlists) or a signed media link (media)"},
        "session": {"type": "apiKey", "in": "cookie", "name": "session", "description": "a signed-in user"},
        "alertSource": {"type": "http", "scheme": "bearer", "description": "an alert source's token (its page)"}}},
}


bp = api_blueprint("api", __name__)


@bp.get("/openapi.json")
def openapi():
    return json_response(DOCUMENT)
