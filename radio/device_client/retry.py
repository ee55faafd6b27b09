"""When to try the server again after a failure, on the injected clock.

Waits double from `first_s` up to `cap_s`, each spread by a fixed per-device factor (0.75–1.25,
from the device code), so that a village's receivers do not all come back at the same second
after an outage, and a test still sees the same waits every run.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta


class Backoff:
    def __init__(self, seed: str, first_s: float = 10, cap_s: float = 300):
        self.first_s, self.cap_s = first_s, cap_s
        self.spread = 0.75 + int(hashlib.sha256(seed.encode()).hexdigest()[:4], 16) / 0xFFFF / 2
        self.failures = 0
        self.not_before: datetime | None = None

    def ready(self, now: datetime) -> bool:
        return self.not_before is None or now >= self.not_before

    def failed(self, now: datetime) -> float:
        """Note a failure; returns the seconds until the next attempt."""
        wait = min(self.first_s * 2 ** self.failures, self.cap_s) * self.spread
        self.failures += 1
        self.not_before = now + timedelta(seconds=wait)
        return wait

    def succeeded(self) -> None:
        self.failures, self.not_before = 0, None
