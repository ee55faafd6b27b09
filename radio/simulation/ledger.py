"""Ground truth: what really happened in the simulated world, kept by the simulator itself
(never read back from the product), so the product's own records can be checked against it.

Receivers write every airing to their outbox through `RecordingQueue`, which notes it here
first; operators' confirmations and off-schedule airings, and every change the actors made
that must leave an audit row, are noted by the actors.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..device_client.playlogs import PlayLogQueue


@dataclass
class Ledger:
    plays: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))  # device → its logs
    confirmed: set[str] = field(default_factory=set)  # entry UUIDs an operator confirmed
    unscheduled: list[tuple[str, int, datetime]] = field(default_factory=list)  # station, episode id, start
    audits: Counter = field(default_factory=Counter)  # (action, target key or None: any) → rows owed
    counts: Counter = field(default_factory=Counter)  # the season's figures for the table

    def expect_audit(self, action: str, key: str | None, n: int = 1) -> None:
        self.audits[action, key] += n

    def uuids(self, device: str) -> set[str]:
        return {log["uuid"] for log in self.plays.get(device, ())}


class RecordingQueue(PlayLogQueue):
    """The receiver's own outbox, noting each airing in the ledger as the receiver queues it."""

    def __init__(self, folder: Path, device: str, ledger: Ledger):
        super().__init__(folder)
        self.device, self.ledger = device, ledger

    def add(self, entry: dict) -> str:
        uuid = super().add(entry)
        self.ledger.plays[self.device].append({"uuid": uuid, **entry})
        self.ledger.counts[f"device logs {entry['status']}"] += 1
        return uuid

    def waiting(self) -> set[str]:
        """UUIDs still in the outbox (not acknowledged by the server yet)."""
        return {path.stem for path in self.outbox.glob("*.json")}

    def refused_uuids(self) -> set[str]:
        return {path.stem for path in self.refused.glob("*.json")}
