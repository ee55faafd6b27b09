"""Everything the receiver must remember across restarts, in one JSON file written atomically.

What it holds: the last schedule and emergency bulletins with their ETags (to play from when the
server is unreachable, and to poll with If-None-Match; the bulletins ETag stands for exactly the
bulletins held, or is None, and the two are written in the same file at once), the ETag of the
poll file the server keeps, if any (taken only once the change it told of was fetched), which airings are
done, what was playing (a restart resumes it), what an emergency interrupted, audio the
server sent corrupt, and the last playback error (`note_error`: a stable code the server's
pages word for their readers, and a message for the technician), and the server's offer to take
play logs over MQTT (`playlogs_mqtt`, from the last heartbeat answer: a restart uses it at once).
The file is rewritten only when something in it changed (SD cards wear out).
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from .clock import parse_instant
from .files import read_json, write_json

KEEP_DONE = timedelta(days=2)  # done marks outlive their airing's end by this much
FIELDS = {"schedule": None, "schedule_etag": None, "bulletins": [], "bulletins_etag": None, "poll_file_etag": None,
          "done": {},
          "playing": None, "interrupted": None, "bad_media": {}, "last_error": None, "playlogs_mqtt": None}
MAX_ERROR_LENGTH = 300
# The codes of the playback errors the receiver reports (playout.py notes them); the server
# words each one for its readers and shows the message only to those who want the detail.
PLAYER_FAILED = "player_failed"  # the player exited with an error while playing
PLAYER_NOT_STARTED = "player_not_started"  # the player program is missing or could not start
CACHE_MISMATCH = "cache_mismatch"  # audio held no longer matched its sha256 when it was to play
AUDIO_REFUSED = "audio_refused"  # the audio downloaded never matched its sha256: the airing could not play
AUDIO_MISSING = "audio_missing"  # the audio of an interrupted item was gone when it was to resume


class State:
    def __init__(self, path: Path):
        self.path = path
        stored = read_json(path, {})
        self.data = {name: stored.get(name, json.loads(json.dumps(default))) for name, default in FIELDS.items()}
        self._written = json.dumps(self.data, sort_keys=True)

    def __getitem__(self, name: str):
        return self.data[name]

    def __setitem__(self, name: str, value) -> None:
        if name not in FIELDS:
            raise KeyError(name)
        self.data[name] = value

    def save(self) -> bool:
        text = json.dumps(self.data, sort_keys=True)
        if text == self._written:
            return False
        write_json(self.path, self.data)
        self._written = text
        return True

    @property
    def done(self) -> set[str]:
        return set(self.data["done"])

    def mark_done(self, airing_id: str, status: str, until: datetime) -> None:
        self.data["done"][airing_id] = {"status": status, "until": until.isoformat()}

    def note_error(self, now: datetime, code: str, message: str) -> None:
        """The last playback error, for the heartbeat: `code` (one of the codes above) says what
        kind it is, `message` the detail. It is kept until a newer one replaces it, never
        cleared: after a recovery the server still sees what last went wrong, and `at` says when."""
        self.data["last_error"] = {"at": now.isoformat(), "code": code, "message": message[:MAX_ERROR_LENGTH]}

    def forget_old(self, now: datetime) -> None:
        self.data["done"] = {key: mark for key, mark in self.data["done"].items()
                             if parse_instant(mark["until"], "done") + KEEP_DONE > now}
