"""Play logs waiting on disk until the server acknowledges them.

One file per log (`outbox/<uuid>.json`, written atomically), so a power cut loses at most the
log being written and never corrupts the others. A log leaves the outbox only when the server
answers `stored` or `duplicate` for its uuid (a retry after a lost answer is a duplicate, never
a second airing); one the server refuses is moved to `refused/` with the reason, for a person to
read, instead of being sent for ever.
"""
from __future__ import annotations

import logging
import uuid
from pathlib import Path

from .files import read_json, sync_folder, write_json

log = logging.getLogger(__name__)


class PlayLogQueue:
    def __init__(self, folder: Path):
        self.outbox = folder / "outbox"
        self.refused = folder / "refused"
        self.outbox.mkdir(parents=True, exist_ok=True)
        self.refused.mkdir(parents=True, exist_ok=True)

    def add(self, entry: dict) -> str:
        """Queue one airing; it gets its uuid here, once, so every retry carries the same one."""
        entry = {"uuid": str(uuid.uuid4()), **entry}
        write_json(self.outbox / f"{entry['uuid']}.json", entry)
        return entry["uuid"]

    def __len__(self) -> int:
        return sum(1 for _ in self.outbox.glob("*.json"))

    def pending(self, limit: int, besides: set[str] = frozenset()) -> list[dict]:
        """The oldest airings first, but those named in `besides` (sent, awaiting an answer)."""
        entries = [read_json(path, None) for path in self.outbox.glob("*.json") if path.stem not in besides]
        entries = [e for e in entries if isinstance(e, dict) and "uuid" in e]
        return sorted(entries, key=lambda e: (e.get("started_at", ""), e["uuid"]))[:limit]

    def settle(self, sent: list[dict], answer: dict) -> tuple[int, int]:
        """Act on the server's answer to `sent`; returns (acknowledged, refused)."""
        acknowledged = set(answer.get("stored", [])) | set(answer.get("duplicate", []))
        reasons = {r.get("uuid"): r.get("reason") for r in answer.get("refused", [])}
        done = refused = 0
        for entry in sent:
            path = self.outbox / f"{entry['uuid']}.json"
            if entry["uuid"] in acknowledged:
                path.unlink(missing_ok=True)
                done += 1
            elif entry["uuid"] in reasons:
                write_json(self.refused / path.name, {**entry, "refused_because": reasons[entry["uuid"]]})
                path.unlink(missing_ok=True)
                log.error("the server refused play log %s: %s", entry["uuid"], reasons[entry["uuid"]])
                refused += 1
        sync_folder(self.outbox)
        return done, refused
