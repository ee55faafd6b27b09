"""Audit rows as the log page shows them: who by name, when in the stations' zone, what in words
(audit_words.py), on which record by its name, and each changed field as "field: old → new".

A page of rows names its records with one query per kind of record, not one per row. A record
gone since (a pruned series) is named by the key the row kept.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (Area, AuditLog, Bulletin, CapSource, Device, Episode, FeedToken, FrozenReport, MediaFile, Plan,
                      Recording, Requirement, ScheduleEntry, Script, Series, Station, User)
from ..ui.i18n import format_dmy, format_hm
from .audit_words import HIDDEN_FIELDS, NAMED_VALUES, action_phrase, field_label, say


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None: the row recorded no value before (a record created)
    new: str | None  # None: nor after (a record or a role removed)


@dataclass(frozen=True)
class AuditLine:
    at: str
    who: str
    what: str
    target: str
    area: str
    changes: list[Change]


def audit_lines(session: Session, rows: list[AuditLog]) -> list[AuditLine]:
    names = Names(session, rows)
    return [AuditLine(at=f"{format_dmy(row.at)} {format_hm(row.at)}", who=names.actor(row),
                      what=action_phrase(row.action), target=names.name(row.object_type, row.object_key),
                      area=names.area_name(row.area_id), changes=_changes(row, names))
            for row in rows]


def _keyed(kind: str, code: str, row: AuditLog) -> str:
    """A series by "PLAN/CODE": a row names a series by its code, in the plan of the row's own key."""
    return f"{row.object_key.split('/', 1)[0]}/{code}" if kind == "series" else code


def _changes(row: AuditLog, names: Names) -> list[Change]:
    def name_of(kind: str, code: str) -> str:
        return names.name(kind, _keyed(kind, code, row), default=code)

    before, after = row.before or {}, row.after or {}
    fields = [*after, *(field for field in before if field not in after)]
    return [Change(field_label(field), say(field, before[field], name_of) if field in before else None,
                   say(field, after[field], name_of) if field in after else None)
            for field in fields if field not in HIDDEN_FIELDS]


class Names:
    """The names of the people and records a page of audit rows mentions."""

    def __init__(self, session: Session, rows: list[AuditLog]):
        keys: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            keys[row.object_type].add(row.object_key)
            for values in (row.before or {}, row.after or {}):
                for field, value in values.items():
                    if field in NAMED_VALUES and value:
                        found = map(str, value if isinstance(value, list) else [value])
                        keys[NAMED_VALUES[field]].update(_keyed(NAMED_VALUES[field], code, row) for code in found)
        for kind in ("window", "closed_date", "block"):  # "STATION/…": named with their station
            keys["station"].update(key.split("/", 1)[0] for key in keys.get(kind, ()))
        self._names = {kind: LOADERS[kind](session, found) for kind, found in keys.items() if kind in LOADERS}
        self._users = {u.id: u.name for u in session.scalars(
            select(User).where(User.id.in_({row.user_id for row in rows if row.user_id})))}
        self._areas = {a.id: a.name for a in session.scalars(
            select(Area).where(Area.id.in_({row.area_id for row in rows if row.area_id})))}

    def actor(self, row: AuditLog) -> str:
        if row.user_id in self._users:
            return self._users[row.user_id]
        return _("Hệ thống") if row.actor == "system" else row.actor

    def area_name(self, area_id: int | None) -> str:
        return self._areas.get(area_id, "")

    def name(self, kind: str, key: str, default: str | None = None) -> str:
        """The record's name; `default` (else the key) for a record not found."""
        if kind in ("window", "closed_date", "block"):
            return self._station_part(kind, key)
        return self._names.get(kind, {}).get(key, key if default is None else default)

    def _station_part(self, kind: str, key: str) -> str:
        station, _slash, part = key.partition("/")
        if kind == "closed_date":
            part = say("day", part)
        elif kind == "block":
            window, _at, at = part.partition("@")
            part = f"{window} {say('at', at)}"
        return f"{part} — {self.name('station', station)}"


def _uuids(keys: Iterable[str]) -> dict[uuid.UUID, str]:
    parsed = {}
    for key in keys:
        try:
            parsed[uuid.UUID(key)] = key
        except ValueError:
            pass
    return parsed


def _by_code(model, label):
    return lambda session, keys: {row.code: label(row) for row in session.scalars(
        select(model).where(model.code.in_(keys)))}


def _of_plans(model, label):
    """Records keyed "PLAN/CODE" (series, episodes, requirements: codes are unique per plan)."""
    def load(session, keys):
        pairs = {tuple(key.split("/", 1)) for key in keys if "/" in key}
        query = select(model, Plan.code)
        query = (query.join(Series, model.series_id == Series.id) if model is not Series else query)
        rows = session.execute(query.join(Plan, Series.plan_id == Plan.id).where(
            Plan.code.in_({plan for plan, _code in pairs}), model.code.in_({code for _plan, code in pairs})))
        return {f"{plan}/{row.code}": label(row) for row, plan in rows if (plan, row.code) in pairs}
    return load


def _scripts(session, keys):
    """Scripts by id (their pages), or by their episode's "PLAN/CODE" (a plan file's scripts)."""
    ids = {int(key) for key in keys if key.isdigit()}
    names = {str(s.id): s.title for s in session.scalars(select(Script).where(Script.id.in_(ids)))}
    return names | _of_plans(Episode, lambda e: e.title)(session, keys)


def _entries(session, keys):
    found = _uuids(keys)
    return {found[e.uuid]: f"{e.title or (e.episode.title if e.episode else '')} "
                           f"({format_hm(e.start_at)} {format_dmy(e.start_at)})".strip()
            for e in session.scalars(select(ScheduleEntry).where(ScheduleEntry.uuid.in_(found)))}


def _bulletins(session, keys):
    found = _uuids(keys)
    return {found[b.uuid]: b.title for b in session.scalars(select(Bulletin).where(Bulletin.uuid.in_(found)))}


def _frozen_reports(session, keys):
    found = _uuids(keys)
    return {found[f.uuid]: f"{f.plan.title} ({format_dmy(f.period_from)}–{format_dmy(f.period_to)})"
            for f in session.scalars(select(FrozenReport).where(FrozenReport.uuid.in_(found)))}


def _feeds(session, keys):
    ids = {int(key) for key in keys if key.isdigit()}
    return {str(f.id): f.label or (f.station.name if f.station else f.device.name if f.device else str(f.id))
            for f in session.scalars(select(FeedToken).where(FeedToken.id.in_(ids)))}


def _media(session, keys):
    return {m.sha256: m.original_name or _("tệp âm thanh") for m in session.scalars(
        select(MediaFile).where(MediaFile.sha256.in_(keys)))}


def _recordings(session, keys):
    ids = {int(key) for key in keys if key.isdigit()}
    return {str(r.id): r.title for r in session.scalars(select(Recording).where(Recording.id.in_(ids)))}


def _users(session, keys):
    return {u.username: u.name for u in session.scalars(
        select(User).where(User.username.in_(keys)))}


LOADERS = {
    "user": _users,
    "area": _by_code(Area, lambda a: a.name),
    "station": _by_code(Station, lambda s: s.name),
    "device": _by_code(Device, lambda d: d.name or d.code),
    "plan": _by_code(Plan, lambda p: p.title),
    "series": _of_plans(Series, lambda s: s.title),
    "episode": _of_plans(Episode, lambda e: e.title),
    "requirement": _of_plans(Requirement, lambda r: r.series.title),
    "script": _scripts,
    "schedule_entry": _entries,
    "bulletin": _bulletins,
    "frozen_report": _frozen_reports,
    "feed": _feeds,
    "media": _media,
    "recording": _recordings,
    "alert_source": _by_code(CapSource, lambda s: s.name),
}
