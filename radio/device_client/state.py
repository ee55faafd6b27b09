"""Everything the receiver must remember across restarts, in one JSON file written atomically.

What it holds: the last schedule and emergency bulletins with their ETags (to play from when the
server is unreachable, and to poll with If-None-Match; the bulletins ETag stands for exactly the
bulletins held, or is None, and the two are written in the same file at once), which airings are
done, what was playing (a restart resumes it), what an emergency interrupted, audio the
server sent corrupt, and the last playback error (`note_error`). The file is rewritten only
when something in it changed (SD cards wear out).
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from .clock import parse_instant
from .files import read_json, write_json

KEEP_DONE = timedelta(days=2)  # done marks outlive their airing's end by this much
FIELDS = {"schedule": None, "schedule_etag": None, "bulletins": [], "bulletins_etag": None, "done": {},
          "playing": None, "interrupted": None, "bad_media": {}, "last_error": None}
MAX_ERROR_LENGTH = 300


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

    def note_error(self, now: datetime, message: str) -> None:
        """The last playback error, for the heartbeat. It is kept until a newer one replaces it,
        never cleared: after a recovery the server still sees what last went wrong, and `at` says
        when."""
        self.data["last_error"] = {"at": now.isoformat(), "message": message[:MAX_ERROR_LENGTH]}

    def forget_old(self, now: datetime) -> None:
        self.data["done"] = {key: mark for key, mark in self.data["done"].items()
                             if parse_instant(mark["until"], "done") + KEEP_DONE > now}
