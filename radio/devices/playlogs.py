"""Play logs from devices: what really aired, stored once whatever the retries.

A batch is judged item by item: well-formed logs are stored (or found to be there already),
and each refused one gets its reason, so one bad log never costs the device the rest. Late
and out-of-order logs are normal on 3G links and accepted; a log may not claim to start
further in the future than the clock-skew tolerance.
"""
from __future__ import annotations

import re
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import db
from ..area_tree import ancestors_and_self
from ..bulletins.delivery import record_played
from ..models import Bulletin, Device, Episode, Plan, PlayLog, ScheduleEntry, Series, bulletin_areas, uuid_key

SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_AGE_DAYS = 400  # a receiver keeps unsent logs for months offline; never for more than a year


@dataclass(frozen=True)
class PlayLogIn:
    """One well-formed log; exactly one of entry_id, episode and bulletin is set."""

    uuid: uuid_module.UUID
    started_at: datetime
    status: str
    ended_at: datetime | None = None
    entry_id: uuid_module.UUID | None = None
    episode: str | None = None
    bulletin: uuid_module.UUID | None = None
    detail: str | None = None


@dataclass
class Refusal:
    index: int
    uuid: str | None
    reason: str


@dataclass
class Outcome:
    stored: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


@dataclass
class Judged:
    """A batch judged against the database (reads only), ready to be stored."""

    results: dict[int, tuple[str, str | None, str | None]]
    rows: list[tuple[PlayLogIn, dict]]
    first: dict


def judge_playlogs(session: Session, device: Device, items: list[PlayLogIn | Refusal], now: datetime,
                   skew_s: int) -> Judged:
    """Refuse what cannot be stored (with reasons) and prepare the rest; nothing is written."""
    return judge_batches(session, [(device, items)], now, skew_s)[0]


def judge_batches(session: Session, batches: list[tuple[Device, list[PlayLogIn | Refusal]]], now: datetime,
                  skew_s: int) -> list[Judged]:
    """judge_playlogs for many devices' batches at once: what they name is loaded together (the
    intake takes thousands of batches off the broker in a few queries, intake.py)."""
    refs = _References(session, [(device, [i for i in items if isinstance(i, PlayLogIn)])
                                  for device, items in batches])
    window = _Window(now, skew_s)
    return [_judge(device, items, refs, window) for device, items in batches]


def _judge(device: Device, items: list[PlayLogIn | Refusal], refs: _References, window: _Window) -> Judged:
    results: dict[int, tuple[str, str | None, str | None]] = {
        i.index: ("refused", i.uuid, i.reason) for i in items if isinstance(i, Refusal)}
    rows, first = [], {}
    for index, log in enumerate(items):
        if isinstance(log, Refusal):
            continue
        reason = window.outside(log) or refs.missing(device, log)
        if reason:
            results[index] = ("refused", str(log.uuid), reason)
        elif log.uuid in first:
            results[index] = ("duplicate", str(log.uuid), None)  # the same log twice in one batch
        else:
            first[log.uuid] = index
            rows.append((log, _row(device, log, refs, window.now)))
    return Judged(results, rows, first)


def store_playlogs(session: Session, device: Device, judged: Judged) -> Outcome:
    """Store the new logs in one statement (a retry's are there already); outcomes in request order."""
    return store_batches(session, [(device, judged)])[0]


def store_batches(session: Session, batches: list[tuple[Device, Judged]]) -> list[Outcome]:
    """store_playlogs for many devices' batches in one statement; an outcome per batch."""
    rows = [row for _, judged in batches for _, row in judged.rows]
    stored = {key for key, *_ in db.insert_new(session, PlayLog.__table__, rows, uuid_key(session))}
    owners = _owners(session, [log.uuid for _, judged in batches for log, _ in judged.rows if log.uuid not in stored])
    outcomes = []
    for device, judged in batches:
        results = dict(judged.results)
        for log, row in judged.rows:
            results[judged.first[log.uuid]] = _result(log, stored, owners, device)
            if log.uuid in stored and log.status == "played" and row["bulletin_id"] is not None:
                record_played(session, device, row["bulletin_id"], log.started_at)
        outcomes.append(_outcome(results))
    return outcomes


def _owners(session: Session, uuids: list) -> dict:
    """Which device each already-stored uuid belongs to."""
    if not uuids:
        return {}
    return dict(session.execute(select(PlayLog.client_uuid, PlayLog.device_id)
                                .where(PlayLog.client_uuid.in_(uuids))).all())


def _result(log: PlayLogIn, stored: set, owners: dict, device: Device) -> tuple[str, str, str | None]:
    """A log not inserted was there already: the device's own retry, or a uuid another client took."""
    if log.uuid in stored:
        return ("stored", str(log.uuid), None)
    if owners.get(log.uuid) == device.id:
        return ("duplicate", str(log.uuid), None)
    return ("refused", str(log.uuid), "uuid already used by another client")


def _outcome(results: dict) -> Outcome:
    outcome = Outcome()
    for index in sorted(results):
        kind, uuid_text, reason = results[index]
        if kind == "refused":
            outcome.refused.append(Refusal(index, uuid_text, reason))
        else:
            getattr(outcome, kind).append(uuid_text)
    return outcome


class _Window:
    """A log from the future (past the clock skew allowed) or older than MAX_AGE_DAYS (a receiver
    whose clock was reset, say) cannot be true: refused, not counted. The bounds are worked out
    once a batch, not once a log."""

    def __init__(self, now: datetime, skew_s: int):
        self.now, self.skew_s = now, skew_s
        self.limit, self.oldest = now + timedelta(seconds=skew_s), now - timedelta(days=MAX_AGE_DAYS)

    def outside(self, log: PlayLogIn) -> str | None:
        for name, value in (("started_at", log.started_at), ("ended_at", log.ended_at)):
            if value is not None and value > self.limit:
                return (f"{name} {value.isoformat()} is in the future (server time {self.now.isoformat()}, "
                        f"tolerance {self.skew_s} s)")
            if value is not None and value < self.oldest:
                return (f"{name} {value.isoformat()} is more than {MAX_AGE_DAYS} days old "
                        f"(server time {self.now.isoformat()})")
        return None


def _row(device: Device, log: PlayLogIn, refs: _References, now: datetime) -> dict:
    entry = refs.entries.get(log.entry_id)
    bulletin = refs.bulletins.get((device.id, log.bulletin))
    episode_id = refs.episodes.get(log.episode) if log.episode else None
    if entry is not None:
        episode_id, bulletin_id = entry.episode_id, entry.bulletin_id
    else:
        bulletin_id = bulletin.id if bulletin is not None else None
        episode_id = bulletin.episode_id if bulletin is not None else episode_id
    return {"client_uuid": log.uuid, "device_id": device.id, "entry_id": entry.id if entry else None,
            "episode_id": episode_id, "bulletin_id": bulletin_id, "started_at": log.started_at,
            "ended_at": log.ended_at, "status": log.status, "note": log.detail, "received_at": now}


class _References:
    """Entries, episodes and bulletins named by the batches, each kind loaded in as few queries as
    the database takes, and each checked against what the batch's device could have been sent."""

    def __init__(self, session: Session, batches: list[tuple[Device, list[PlayLogIn]]]):
        self.session = session
        entry_ids = {log.entry_id for _, logs in batches for log in logs if log.entry_id}
        names = {log.episode for _, logs in batches for log in logs if log.episode}
        self.entries = self._entries(entry_ids)
        self.bulletins = {(device.id, b.uuid): b for device, logs in batches
                          for b in self._bulletins(device, {log.bulletin for log in logs if log.bulletin})}
        self.episodes = self._episodes(names) if names else {}
        self.chains: dict[int, set[int]] = {}

    def _entries(self, ids: set) -> dict:
        found, ids = {}, list(ids)
        for start in range(0, len(ids), db.IN_CHUNK):
            found.update((row.uuid, row) for row in self.session.execute(select(
                ScheduleEntry.uuid, ScheduleEntry.id, ScheduleEntry.station_id, ScheduleEntry.target_area_id,
                ScheduleEntry.episode_id, ScheduleEntry.bulletin_id).where(
                ScheduleEntry.uuid.in_(ids[start:start + db.IN_CHUNK]))))
        return found

    def _bulletins(self, device, ids) -> list:
        if not ids:
            return []
        reaching = select(bulletin_areas.c.bulletin_id).where(
            bulletin_areas.c.area_id.in_(ancestors_and_self(device.area_id)))
        return list(self.session.scalars(select(Bulletin).where(Bulletin.uuid.in_(ids), Bulletin.id.in_(reaching))))

    def _episodes(self, names) -> dict:
        """By media sha256 (what a device has in its cache) or PLAN/SERIES/CODE."""
        found = {}
        digests = [n for n in names if SHA256.fullmatch(n)]
        if digests:
            for sha, episode_id in self.session.execute(select(Episode.media_sha256, Episode.id).where(
                    Episode.media_sha256.in_(digests)).order_by(Episode.id.desc())):
                found[sha] = episode_id  # the oldest episode with that audio wins
        for name in names - set(digests):
            parts = name.split("/")
            if len(parts) == 3:
                found[name] = self.session.scalar(select(Episode.id).join(Series).join(Plan).where(
                    Plan.code == parts[0], Series.code == parts[1], Episode.code == parts[2]))
        return {name: episode_id for name, episode_id in found.items() if episode_id is not None}

    def _reaches(self, device: Device, entry) -> bool:
        """An entry of the device's station, for its whole station or an area the device is in."""
        if entry.station_id != device.station_id:
            return False
        if entry.target_area_id is None:
            return True
        if device.area_id not in self.chains:
            self.chains[device.area_id] = set(self.session.scalars(ancestors_and_self(device.area_id)))
        return entry.target_area_id in self.chains[device.area_id]

    def missing(self, device: Device, log: PlayLogIn) -> str | None:
        if log.entry_id is not None and not (log.entry_id in self.entries
                                             and self._reaches(device, self.entries[log.entry_id])):
            return f"unknown entry {log.entry_id} (not in this device's schedule)"
        if log.bulletin is not None and (device.id, log.bulletin) not in self.bulletins:
            return f"unknown bulletin {log.bulletin} (not issued to this device's area)"
        if log.episode is not None and log.episode not in self.episodes:
            return f"unknown episode {log.episode!r} (give its audio's sha256 or PLAN/SERIES/CODE)"
        return None
