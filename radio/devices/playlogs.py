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
    results: dict[int, tuple[str, str | None, str | None]] = {
        i.index: ("refused", i.uuid, i.reason) for i in items if isinstance(i, Refusal)}
    logs = [(index, i) for index, i in enumerate(items) if isinstance(i, PlayLogIn)]
    refs = _References(session, device, [log for _, log in logs])
    rows, first = [], {}
    for index, log in logs:
        reason = _out_of_time(log, now, skew_s) or refs.missing(log)
        if reason:
            results[index] = ("refused", str(log.uuid), reason)
        elif log.uuid in first:
            results[index] = ("duplicate", str(log.uuid), None)  # the same log twice in one batch
        else:
            first[log.uuid] = index
            rows.append((log, _row(device, log, refs, now)))
    return Judged(results, rows, first)


def store_playlogs(session: Session, device: Device, judged: Judged) -> Outcome:
    """Store the new logs in one statement (a retry's are there already); outcomes in request order."""
    rows, results = judged.rows, dict(judged.results)
    stored = {key for key, *_ in db.insert_new(session, PlayLog.__table__, [r for _, r in rows], uuid_key(session))}
    owners = _owners(session, [log.uuid for log, _ in rows if log.uuid not in stored])
    for log, row in rows:
        results[judged.first[log.uuid]] = _result(log, stored, owners, device)
        if log.uuid in stored and log.status == "played" and row["bulletin_id"] is not None:
            record_played(session, device, row["bulletin_id"], log.started_at)
    return _outcome(results)


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


def _out_of_time(log: PlayLogIn, now: datetime, skew_s: int) -> str | None:
    """A log from the future (past the clock skew allowed) or older than MAX_AGE_DAYS (a receiver
    whose clock was reset, say) cannot be true: refused, not counted."""
    limit, oldest = now + timedelta(seconds=skew_s), now - timedelta(days=MAX_AGE_DAYS)
    for name, value in (("started_at", log.started_at), ("ended_at", log.ended_at)):
        if value is not None and value > limit:
            return (f"{name} {value.isoformat()} is in the future (server time {now.isoformat()}, "
                    f"tolerance {skew_s} s)")
        if value is not None and value < oldest:
            return f"{name} {value.isoformat()} is more than {MAX_AGE_DAYS} days old (server time {now.isoformat()})"
    return None


def _row(device: Device, log: PlayLogIn, refs: _References, now: datetime) -> dict:
    entry = refs.entries.get(log.entry_id)
    bulletin = refs.bulletins.get(log.bulletin)
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
    """Entries, episodes and bulletins named by a batch, each kind loaded in one query, and only
    those this device could have been sent."""

    def __init__(self, session: Session, device: Device, logs: list[PlayLogIn]):
        entry_ids = {log.entry_id for log in logs if log.entry_id}
        bulletin_ids = {log.bulletin for log in logs if log.bulletin}
        names = {log.episode for log in logs if log.episode}
        self.entries = self._entries(session, device, entry_ids) if entry_ids else {}
        self.bulletins = self._bulletins(session, device, bulletin_ids) if bulletin_ids else {}
        self.episodes = self._episodes(session, names) if names else {}

    @staticmethod
    def _entries(session, device, ids) -> dict:
        rows = session.scalars(select(ScheduleEntry).where(
            ScheduleEntry.uuid.in_(ids), ScheduleEntry.station_id == device.station_id))
        chain = set(session.scalars(ancestors_and_self(device.area_id)))
        return {e.uuid: e for e in rows if e.target_area_id is None or e.target_area_id in chain}

    @staticmethod
    def _bulletins(session, device, ids) -> dict:
        reaching = select(bulletin_areas.c.bulletin_id).where(
            bulletin_areas.c.area_id.in_(ancestors_and_self(device.area_id)))
        rows = session.scalars(select(Bulletin).where(Bulletin.uuid.in_(ids), Bulletin.id.in_(reaching)))
        return {b.uuid: b for b in rows}

    @staticmethod
    def _episodes(session, names) -> dict:
        """By media sha256 (what a device has in its cache) or PLAN/SERIES/CODE."""
        found = {}
        digests = [n for n in names if SHA256.fullmatch(n)]
        if digests:
            for sha, episode_id in session.execute(select(Episode.media_sha256, Episode.id).where(
                    Episode.media_sha256.in_(digests)).order_by(Episode.id.desc())):
                found[sha] = episode_id  # the oldest episode with that audio wins
        for name in names - set(digests):
            parts = name.split("/")
            if len(parts) == 3:
                found[name] = session.scalar(select(Episode.id).join(Series).join(Plan).where(
                    Plan.code == parts[0], Series.code == parts[1], Episode.code == parts[2]))
        return {name: episode_id for name, episode_id in found.items() if episode_id is not None}

    def missing(self, log: PlayLogIn) -> str | None:
        if log.entry_id is not None and log.entry_id not in self.entries:
            return f"unknown entry {log.entry_id} (not in this device's schedule)"
        if log.bulletin is not None and log.bulletin not in self.bulletins:
            return f"unknown bulletin {log.bulletin} (not issued to this device's area)"
        if log.episode is not None and log.episode not in self.episodes:
            return f"unknown episode {log.episode!r} (give its audio's sha256 or PLAN/SERIES/CODE)"
        return None
