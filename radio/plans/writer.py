"""Writing a plan document once it is validated (operations.import_document checks it first).

Records are upserted by code and every change is audited; records created by the thousand go
in as plain rows (radio.db.bulk). A record is deleted only when nothing refers to it
(`delete_record`, for `--prune` and the pages' "remove"): ending keeps history.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from schedules.planfile import PlanDocument, PlanFileError, Problem, VoiceSpec

from .. import audit
from ..auth.permissions import may
from ..db import bulk
from ..devices.operations import retire_device
from ..errors import Conflict
from ..media.operations import ingest_audio
from ..models import (
    Area, AuditLog, BroadcastWindow, Bulletin, BulletinDelivery, ClosedDate, Device, Episode, FeedToken, FixedBlock,
    FrozenReport, GlossaryEntry, MediaFile, OfflinePeriod, Plan, PlayLog, Requirement, RoleGrant, ScheduleEntry, Script,
    ScriptVersion, Series, Station, User, bulletin_areas, requirement_areas,
)
from ..scripts.operations import approve_script, tell_approvers

# What refers to a record of each kind, by a name for each referrer. A record that any of these
# refers to is kept: it is ended instead (a requirement's `to`, a device retired, an area ended).
# Frozen reports are self-contained copies; they refer to their plan and area only.
REFERRERS = {
    "requirement": (("schedule", ScheduleEntry.requirement_id),),
    "episode": (("schedule", ScheduleEntry.episode_id), ("play_logs", PlayLog.episode_id),
                ("bulletins", Bulletin.episode_id)),
    "series": (("schedule", ScheduleEntry.series_id), ("episodes", Episode.series_id),
               ("requirements", Requirement.series_id), ("scripts", Script.series_id)),
    "device": (("play_logs", PlayLog.device_id), ("bulletins", BulletinDelivery.device_id),
               ("feeds", FeedToken.device_id), ("offline_periods", OfflinePeriod.device_id)),
    "area": (("areas", Area.parent_id), ("devices", Device.area_id), ("stations", Station.area_id),
             ("plans", Plan.issued_by_id), ("requirements", requirement_areas.c.area_id),
             ("bulletins", bulletin_areas.c.area_id), ("reports", FrozenReport.area_id),
             ("glossary", GlossaryEntry.area_id), ("users", RoleGrant.area_id),
             ("schedule", ScheduleEntry.target_area_id), ("audit_log", AuditLog.area_id)),
}


class RecordInUse(Conflict):
    """A record was to be deleted while others still refer to it; `referrers` names them."""

    def __init__(self, kind: str, code: str, referrers: list[str]):
        super().__init__(f"{kind} {code!r} cannot be removed: {', '.join(r.replace('_', ' ') for r in referrers)} "
                         "still refer to it", code="in_use")
        self.kind, self.record_code, self.referrers = kind, code, referrers


def referrers(session: Session, kind: str, obj) -> list[str]:
    """The names of the REFERRERS of `obj` that refer to it (after a flush of what is pending)."""
    session.flush()
    return [name for name, column in REFERRERS[kind]
            if session.scalar(select(column).where(column == obj.id).limit(1)) is not None]


def delete_record(session: Session, kind: str, obj) -> None:
    """Delete `obj` when nothing refers to it; RecordInUse otherwise. The caller audits it."""
    found = referrers(session, kind, obj)
    if found:
        raise RecordInUse(kind, obj.code, found)
    session.delete(obj)


@dataclass(frozen=True)
class Change:
    """One change written, as its audit row has it: "window.update", "thanhky/chieu", the old and new values."""

    action: str
    key: str
    before: dict | None
    after: dict | None

    @property
    def kind(self) -> str:
        return self.action.split(".")[0]


@dataclass
class ImportSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    pruned: Counter = field(default_factory=Counter)
    changes: list[Change] = field(default_factory=list)  # in the order written

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.pruned)


def _plain(value):
    """A value as the audit log stores it (JSON): records by their code."""
    if value is None or isinstance(value, (str, int)):  # most values: answered first
        return value
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):  # weekdays, windows, stations: mostly text already
        return [item if isinstance(item, str) else _plain(item) for item in value]
    if hasattr(value, "__table__"):
        return getattr(value, "code", None) or getattr(value, "name", None) or value.id
    return value


class Writer:
    """Upserts one document's records, keeping lookups by code and counting what changed."""

    def __init__(self, session: Session, doc: PlanDocument, actor: User | None, now: datetime):
        self.session, self.doc, self.actor, self.now = session, doc, actor, now
        self.summary = ImportSummary()
        self.areas = {a.code: a for a in session.scalars(select(Area))}
        # Loaded with what write_windows compares, rather than one query per station.
        self.stations = {s.code: s for s in session.scalars(select(Station).options(
            selectinload(Station.windows), selectinload(Station.closed_dates), selectinload(Station.blocks)))}
        self.plan: Plan | None = None
        self.series: dict[str, Series] = {}
        self.episodes: dict[str, Episode] = {}
        self.audit_rows = _AuditRows(session, actor, now, self.summary.changes)

    def write_all(self, audio, created_files, prune: bool) -> None:
        self.write_areas()
        self.write_plan()
        self.write_stations()
        self.write_devices()
        self.write_series()
        self.write_episodes(audio, created_files)
        self.write_requirements()
        if prune:
            self.prune()
        self.audit_rows.insert()

    # -- the generic upsert ----------------------------------------------------------
    def sync(self, kind: str, obj, values: dict, key: str, area: Area | None = None, new: bool = False):
        """Set changed fields on `obj` and audit them; `new` objects are added and audited whole."""
        changed = {k: v for k, v in values.items() if new or getattr(obj, k) != v}
        if not changed:
            return obj
        before = None if new else {k: _plain(getattr(obj, k)) for k in changed}
        for name, value in changed.items():
            setattr(obj, name, value)
        if new:
            self.session.add(obj)
        (self.summary.created if new else self.summary.updated)[kind] += 1
        after = {k: _plain(v) for k, v in changed.items()}
        self.audit_rows.record(f"{kind}.{'create' if new else 'update'}", kind, key, area,
                               before=before, after=after)
        return obj

    def upsert(self, kind: str, existing, factory, values: dict, key: str, area: Area | None = None,
               batch: bulk.NewRows | None = None):
        """`batch`: create a new record as a row inserted later with others. A province's plan
        brings devices and requirements by the thousand, and nothing later in the import needs
        them as objects, so they skip the unit of work. No ORM event fires for these rows: keep
        it so for Device and Requirement, or create them through `sync` again."""
        if existing is None and batch is not None:
            batch.add(values)
            self.summary.created[kind] += 1
            self.audit_rows.record(f"{kind}.create", kind, key, area,
                                   after={k: _plain(v) for k, v in values.items()})
            return None
        if existing is None:
            return self.sync(kind, factory(), values, key, area, new=True)
        return self.sync(kind, existing, values, key, area)

    # -- sections -------------------------------------------------------------------
    def write_areas(self) -> None:
        """New areas go in as plain rows, one statement per level of the tree (a row needs its
        parent's id, found again by code); areas already stored are updated as records.

        A province's plan brings a thousand villages: as records, the unit of work sorts the
        self-referencing rows one by one and costs several times these few statements.
        """
        ids = {code: area.id for code, area in self.areas.items()}
        stored = []
        for level in _levels(self.doc.areas):
            rows = []
            for spec in level:
                if spec.code in self.areas:
                    stored.append(spec)
                    continue
                parent_id = ids[spec.parent] if spec.parent else None
                rows.append({"code": spec.code, "name": spec.name, "level": spec.level, "parent_id": parent_id,
                             "ended_on": spec.ended, "admin_code": spec.admin_code, **_voice_values(spec.voice)})
                self.summary.created["area"] += 1
                after = {"code": spec.code, "name": spec.name, "level": spec.level, "parent": spec.parent,
                         **{k: v for k, v in _voice_values(spec.voice).items() if v is not None}}
                if spec.ended:
                    after["ended_on"] = spec.ended.isoformat()
                if spec.admin_code:
                    after["admin_code"] = spec.admin_code
                self.audit_rows.record("area.create", "area", spec.code, area_id=parent_id, after=after)
            if rows:
                self.session.execute(Area.__table__.insert(), rows)  # Core: the ORM's bulk insert goes row by row
                new_ids = bulk.inserted_ids(self.session, Area.__table__, ("code",), rows)
                ids.update(zip((row["code"] for row in rows), new_ids))
        if len(ids) > len(self.areas):
            self.areas = {a.code: a for a in self.session.scalars(select(Area))}
        for spec in stored:
            parent = self.areas[spec.parent] if spec.parent else None
            area = self.areas[spec.code]
            # Areas are shared between plans, and every file lists the areas above its own: a file
            # that names no voice leaves the stored one (as with `ended`).
            values = {"code": spec.code, "name": spec.name, "level": spec.level, "parent": parent,
                      **{k: v for k, v in _voice_values(spec.voice).items() if v is not None}}
            if spec.admin_code:
                values["admin_code"] = spec.admin_code
            if spec.ended and area.ended_on is None:  # ending is kept: a file without `ended` does not undo it
                values["ended_on"] = spec.ended
            self.sync("area", area, values, spec.code, area=parent)

    def write_plan(self) -> None:
        spec = self.doc.plan
        existing = self.session.scalar(select(Plan).where(Plan.code == spec.code))
        issuer = self.areas[spec.issued_by]
        values = {"code": spec.code, "title": spec.title, "document": spec.document,
                  "issued_by": issuer, "report_due": spec.report_due, "timezone": self.doc.timezone}
        self.plan = self.upsert("plan", existing, Plan, values, spec.code, area=issuer)
        self.session.flush()

    def write_stations(self) -> None:
        for spec in self.doc.stations:
            area = self.areas[spec.area]
            values = {"code": spec.code, "name": spec.name, "area": area, **_voice_values(spec.voice)}
            station = self.upsert("station", self.stations.get(spec.code), Station, values, spec.code, area)
            self.stations[spec.code] = station
            self.write_windows(station, spec, area)

    def write_windows(self, station: Station, spec, area: Area) -> None:
        """A station's windows, closed dates and blocks are its own description: the file's
        version replaces them (windows matched by name, so blocks keep pointing right)."""
        by_name = {w.name: w for w in station.windows}
        for w in spec.windows:
            values = {"name": w.name, "title": w.title, "days": w.days, "start_time": w.start,
                      "end_time": w.end, "valid_from": w.valid_from, "valid_to": w.valid_to}
            window = self.upsert("window", by_name.get(w.name), BroadcastWindow, values,
                                 f"{spec.code}/{w.name}", area)
            if window not in station.windows:
                station.windows.append(window)
            by_name[w.name] = window
        self._replace_closed(station, spec, area)
        self._replace_blocks(station, spec, by_name, area)
        for name in set(by_name) - {w.name for w in spec.windows}:
            self._remove(station.windows, by_name[name], "window", f"{spec.code}/{name}", area)

    def _replace_closed(self, station: Station, spec, area: Area) -> None:
        have = {c.day: c for c in station.closed_dates}
        for day in sorted(set(spec.closed) - set(have)):
            station.closed_dates.append(ClosedDate(day=day))
            self._audit_child("closed_date.create", f"{spec.code}/{day}", area, after={"day": day.isoformat()})
        for day in set(have) - set(spec.closed):
            self._remove(station.closed_dates, have[day], "closed_date", f"{spec.code}/{day}", area)

    def _replace_blocks(self, station: Station, spec, windows: dict, area: Area) -> None:
        def key(window_name, at, kind):
            return (window_name, at, kind)

        have = {key(b.window.name, b.at, b.kind): b for b in station.blocks if b.window is not None}
        wanted = {key(b.window, b.at, b.kind): b for b in spec.blocks}
        for k, b in wanted.items():
            values = {"window": windows[b.window], "at": b.at, "kind": b.kind, "title": b.title,
                      "source": b.source, "duration_s": b.duration_s}
            block = self.upsert("block", have.get(k), FixedBlock, values, f"{spec.code}/{b.window}@{b.at}", area)
            if block not in station.blocks:
                station.blocks.append(block)
        for k in set(have) - set(wanted):
            self._remove(station.blocks, have[k], "block", f"{spec.code}/{k[0]}@{k[1]}", area)

    def _remove(self, collection: list, obj, kind: str, key: str, area: Area) -> None:
        collection.remove(obj)
        self._audit_child(f"{kind}.delete", key, area, before={"code": key})
        self.summary.pruned[kind] += 1

    def _audit_child(self, action: str, key: str, area: Area, before=None, after=None) -> None:
        kind, verb = action.split(".")
        counter = {"create": self.summary.created, "update": self.summary.updated}.get(verb)
        if counter is not None:
            counter[kind] += 1
        self.audit_rows.record(action, kind, key, area, before=before, after=after)

    def write_devices(self) -> None:
        existing = {d.code: d for d in self.session.scalars(
            select(Device).where(Device.code.in_([d.code for d in self.doc.devices])))}
        batch = bulk.NewRows(Device)
        for spec in self.doc.devices:
            area, device = self.areas[spec.area], existing.get(spec.code)
            values = {"code": spec.code, "area": area, "station": self.stations[spec.station],
                      "lat": spec.lat, "lon": spec.lon}
            if device is None:
                values.update(retired_on=spec.retired, added_at=self.now)
            self.upsert("device", device, Device, values, spec.code, area, batch)
            if device is not None and spec.retired and device.retired_on is None:  # kept, as `ended` is
                self.audit_rows.insert()  # before retire_device's own, to keep the log in order
                retire_device(self.session, self.actor, spec.code, on=spec.retired, now=self.now)
                self.summary.updated["device"] += 1
        batch.insert(self.session)

    def write_series(self) -> None:
        existing = {s.code: s for s in self.session.scalars(select(Series).where(Series.plan_id == self.plan.id))}
        for spec in self.doc.series:
            values = {"plan": self.plan, "code": spec.code, "title": spec.title}
            self.series[spec.code] = self.upsert("series", existing.get(spec.code), Series, values,
                                                 f"{self.plan.code}/{spec.code}", self.plan.issued_by)
        for code, series in existing.items():
            self.series.setdefault(code, series)

    def write_episodes(self, audio: dict, created_files: list) -> None:
        existing = {e.code: e for e in self.session.scalars(
            select(Episode).join(Series).where(Series.plan_id == self.plan.id)
            .options(selectinload(Episode.script).selectinload(Script.versions)))}
        area = self.plan.issued_by
        for spec in self.doc.episodes:
            values = {"series": self.series[spec.series], "code": spec.code, "title": spec.title,
                      "available_from": spec.available_from, "expires": spec.expires,
                      "for_requirements": spec.for_requirements}
            if spec.audio is not None:
                values["media_sha256"] = self._media(spec, *audio, created_files).sha256
            episode = self.upsert("episode", existing.get(spec.code), lambda: Episode(created_at=self.now), values,
                                  f"{self.plan.code}/{spec.code}", area)
            if spec.script is not None:
                self.write_script(episode, spec, area, new=spec.code not in existing)
            self.episodes[spec.code] = episode
        for code, episode in existing.items():
            self.episodes.setdefault(code, episode)

    def _media(self, spec, keys: dict, sources: dict, created_files: list) -> MediaFile:
        """The episode's canonical audio: stored and converted on the first episode with these
        bytes, reused by the others (`sources` keeps it under the digest)."""
        key = keys[spec.code]
        if not isinstance(sources[key], MediaFile):
            sources[key] = ingest_audio(self.session, spec.audio, sources[key], created_files, now=self.now)
        return sources[key]

    def write_script(self, episode: Episode, spec, area: Area, new: bool) -> None:
        """A changed text becomes a new submitted version (docs/plan-format.md: scripts in a
        file arrive submitted). An approver's import approves the submitted latest version, whether this
        import or an earlier one brought it; anyone else's leaves it submitted. `new`: the
        episode was created by this import."""
        script = episode.script
        created = script is None or script.latest.text != spec.script.text
        if created:
            script = self._new_script_version(episode, spec, area)
        if script.latest.status == "submitted" and self.actor is not None \
                and may(self.actor, "script.approve", area):
            self.session.flush()
            self.audit_rows.insert()  # before approve_script's own, to keep the log in order
            approve_script(self.session, self.actor, script, now=self.now)
            if not created:
                self.summary.updated["script"] += 1
        elif created:
            self.session.flush()  # the version's id, which its notice is about
            tell_approvers(self.session, self.actor, script.latest, self.now)
        if spec.audio is not None:
            self._audio_as_voicing(episode, spec, area, new)

    def _audio_as_voicing(self, episode: Episode, spec, area: Area, new: bool) -> None:
        """Audio given with a script is that script read out: it is the voicing of the approved
        version when that version has the file's text, so it airs as such (bulletins check it)
        and is not voiced again."""
        version = episode.script.approved_version
        if version is None or version.text != spec.script.text or episode.script_version_id == version.id:
            return
        self.session.flush()  # the version's id
        episode.script_version_id = version.id
        self.audit_rows.record("script.voice", "script", f"{self.plan.code}/{spec.code}", area,
                               after={"version": version.number, "episode": spec.code, "engine": None})
        if not new:
            self.summary.updated["episode"] += 1

    def _new_script_version(self, episode: Episode, spec, area: Area) -> Script:
        script = episode.script
        if script is None:
            script = Script(series=episode.series, title=spec.title, created_at=self.now)
            episode.script = script
            self.session.add(script)
        version = ScriptVersion(script=script, number=len(script.versions) + 1, text=spec.script.text,
                                status="submitted", created_by_id=self.actor.id if self.actor else None,
                                created_at=self.now, submitted_at=self.now)
        self.session.add(version)
        self._audit_child("script.create" if version.number == 1 else "script.update",
                          f"{self.plan.code}/{spec.code}", area,
                          after={"version": version.number, "status": version.status})
        return script

    def write_requirements(self) -> None:
        existing = {r.code: r for r in self.session.scalars(
            select(Requirement).where(Requirement.plan_id == self.plan.id)
            .options(selectinload(Requirement.stations), selectinload(Requirement.areas)))}
        batch = bulk.NewRows(Requirement, unique=("plan_id", "code"))
        for spec in self.doc.requirements:
            values = {
                "plan": self.plan, "code": spec.code, "series": self.series[spec.series],
                "period": spec.period, "min_airings": spec.min, "max_airings": spec.max,
                "new_episodes": spec.new_episodes, "days": spec.days, "windows": spec.windows,
                "levels": spec.levels, "duration_min": spec.duration_min, "duration_max": spec.duration_max,
                "min_gap_days": spec.min_gap_days, "date_from": spec.date_from, "date_to": spec.date_to,
                "priority": spec.priority, "report_due": spec.report_due,
                "stations": sorted((self.stations[c] for c in spec.stations), key=lambda s: s.code),
                "areas": sorted((self.areas[c] for c in spec.areas), key=lambda a: a.code),
            }
            self.upsert("requirement", existing.get(spec.code), Requirement, values,
                        f"{self.plan.code}/{spec.code}", self.plan.issued_by, batch)
        batch.insert(self.session)

    def prune(self) -> None:
        """Remove the plan's own series, episodes and requirements that the file no longer has."""
        area = self.plan.issued_by
        in_file = {"requirement": {r.code for r in self.doc.requirements},
                   "episode": {e.code for e in self.doc.episodes},
                   "series": {s.code for s in self.doc.series}}
        requirements = self.session.scalars(select(Requirement).where(Requirement.plan_id == self.plan.id))
        for requirement in requirements:
            if requirement.code not in in_file["requirement"]:
                self._delete("requirement", requirement, area)
        for code, episode in self.episodes.items():
            if code not in in_file["episode"]:
                self._delete("episode", episode, area)
        for code, series in self.series.items():
            if code not in in_file["series"]:
                self._delete("series", series, area)

    def _delete(self, kind: str, obj, area: Area) -> None:
        try:
            delete_record(self.session, kind, obj)
        except RecordInUse as exc:
            raise PlanFileError([Problem(self.doc.source, 0, kind, f"cannot prune: {exc.message}", "in_use",
                                         {"code": obj.code})]) from None
        self.summary.pruned[kind] += 1
        self.audit_rows.record(f"{kind}.delete", kind, f"{self.plan.code}/{obj.code}", area,
                               before={"code": obj.code})


class _AuditRows:
    """The import's audit rows (thousands for a large plan), inserted in bulk.

    Kept as plain values (`audit.values`), not records added to the session: the unit of work
    costs several times a plain executemany. `insert` writes the rows so far in the order they
    were recorded. Their area ids are read when recorded.
    """

    def __init__(self, session: Session, actor: User | None, now: datetime, changes: list[Change]):
        self.session, self.actor, self.now, self.rows, self.changes = session, actor, now, [], changes

    def record(self, action: str, kind: str, key: str, area: Area | None = None, *,
               area_id: int | None = None, before: dict | None = None, after: dict | None = None) -> None:
        self.changes.append(Change(action, key, before, after))
        area_id = area.id if area is not None else area_id
        self.rows.append(audit.values(self.actor, action, kind, key, at=self.now, area_id=area_id,
                                      before=before, after=after))

    def insert(self) -> None:
        if self.rows:
            bulk.insert_plain(self.session, AuditLog.__table__, self.rows)
            self.rows.clear()


def _levels(areas) -> list[list]:
    """Areas by depth in the file's tree, top first, so each comes after its parent (the file's
    list is flat, in any order; a parent stored already counts as above the file's tree)."""
    by_code = {a.code: a for a in areas}

    def depth(spec):
        n = 0
        while spec.parent in by_code:
            spec, n = by_code[spec.parent], n + 1
        return n

    levels: dict[int, list] = {}
    for spec in areas:
        levels.setdefault(depth(spec), []).append(spec)
    return [levels[d] for d in sorted(levels)]


def _voice_values(voice: VoiceSpec) -> dict:
    """An area's or a station's voice columns: the file's choice, unset when it names none."""
    return {"voice_region": voice.region, "voice_speed_wpm": voice.speed_wpm, "voice_pause_ms": voice.pause_ms}
