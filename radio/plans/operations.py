"""Importing a plan file: validate everything first, then write it all in one transaction.

Records are matched by code; a field is written (and audited) only when its value changes,
so importing the same file twice changes nothing. Nothing is deleted unless `prune`.

The pages' edits are small plan documents that go the same way (`save_records`,
`save_specs`): creating a plan, its header, a record, and ending one (a requirement's `to`, a
device's `retired`, a village's `ended`), so the reader's rules and the import's audit apply
to them. A record nothing refers to may be removed instead (`remove_record`, the rule of `--prune`).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from audio_library import NotAudioError
from schedules.planfile import (
    DEFAULT_TIMEZONE, FORMAT_VERSION, KnownRecords, PlanDocument, PlanFileError, Problem, dump_plan, load_plan,
    parse_plan,
)

from .. import audit
from ..collector import collector_paused
from ..auth.permissions import may, roles_for
from ..errors import Conflict, Forbidden
from ..media.operations import check_audio, discard_new_files, known_media
from ..models import Area, Device, Plan, Requirement, Series, Station, User
from .export import area_spec, device_spec, plan_spec, requirement_spec
from .writer import ImportSummary, Writer, delete_record

SOURCE = "form.json"  # where a page's document "comes from", in its problems


class ImportRefused(Forbidden):
    """The importing user may not act on this plan's area."""


def known_records(session: Session) -> KnownRecords:
    """What the database holds already, so a file may refer to earlier imports."""
    areas = session.execute(select(Area.code, Area.level, Area.parent_id, Area.id)).all()
    code_by_id = {row.id: row.code for row in areas}
    stations = session.scalars(select(Station).options(selectinload(Station.windows))).all()
    return KnownRecords(
        areas={row.code: (row.level, code_by_id.get(row.parent_id)) for row in areas},
        stations={s.code: (code_by_id[s.area_id], frozenset(w.name for w in s.windows)) for s in stations},
    )


def import_plan(session: Session, path: Path, actor: User | None, prune: bool = False, *,
                now: datetime) -> ImportSummary:
    """Validate `path` in full (raises PlanFileError listing every problem), then write it."""
    with collector_paused():
        return import_document(session, load_plan(path, known_records(session)), actor, prune, now=now)


def import_document(session: Session, doc: PlanDocument, actor: User | None, prune: bool = False, *,
                    now: datetime) -> ImportSummary:
    """Write a document read against `known_records(session)` (the web's edit forms build small ones)."""
    audio = _check_audio_files(session, doc)
    issuer = session.scalar(select(Area).where(Area.code == doc.plan.issued_by))
    if actor is not None and issuer is not None and not may(actor, "plan.import", issuer):
        *others, last = roles_for("plan.import")
        raise ImportRefused(f"{actor.username} has no {', '.join(others)} or {last} role on {issuer.code}")
    created_files = []
    try:
        writer = Writer(session, doc, actor, now)
        writer.write_all(audio, created_files, prune)
        session.flush()
    except BaseException:
        discard_new_files(created_files)
        raise
    return writer.summary


def _check_audio_files(session: Session, doc: PlanDocument) -> tuple[dict, dict]:
    """Each episode's audio by content: (episode code → digest, digest → AudioInfo or MediaFile).
    The same bytes under many episodes (one jingle for many, or an export, which writes a file per
    episode) are probed once (a full decode), and not at all when the library has them already."""
    keys, sources, problems = {}, {}, []
    for i, episode in enumerate(doc.episodes):
        if episode.audio is None:
            continue
        key = _content_key(episode.audio)
        try:
            if key not in sources:
                known = known_media(session, key) if isinstance(key, str) else None
                sources[key] = known or check_audio(episode.audio)
            keys[episode.code] = key
        except NotAudioError as exc:
            field = f"episodes[{i}].audio"
            problems.append(Problem(doc.source, doc.lines.get(field, episode.line), field, str(exc),
                                    "audio_refused", {"why": exc}))
    if problems:
        raise PlanFileError(problems)
    return keys, sources


def _content_key(path: Path):
    """The file's digest, or its path when it cannot be read (the probe then says why)."""
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return path


# -- the pages' small documents ----------------------------------------------------------------

class PlanCodeTaken(Conflict):
    """A new plan was given the code of a stored one (importing it would update that plan)."""


def _plan_header(plan: Plan) -> dict:
    """The plan's own keys as a plan file writes them (unchanged, so the import leaves it be)."""
    return {"code": plan.code, "title": plan.title, "issued_by": plan.issued_by.code, "document": plan.document,
            "report_due": plan.report_due.isoformat() if plan.report_due else None}


def create_plan(session: Session, actor: User | None, header: dict, *, now: datetime) -> ImportSummary:
    """A new plan from its header alone (no file): PlanCodeTaken when the code is in use."""
    if session.scalar(select(Plan.id).where(Plan.code == header.get("code"))) is not None:
        raise PlanCodeTaken(f"there is already a plan with code {header['code']!r}")
    return save_records(session, actor, None, {}, header=header, now=now)


def save_records(session: Session, actor: User | None, plan: Plan | None, sections: dict[str, list[dict]], *,
                 now: datetime, header: dict | None = None) -> ImportSummary:
    """Check records given as a plan file's values (a form's, as text) and write them; PlanFileError when
    refused. `header` replaces the plan's own (`_plan_header`); `plan` None: a new plan."""
    document = {"version": FORMAT_VERSION, "timezone": plan.timezone if plan else DEFAULT_TIMEZONE,
                "plan": _without_blanks(header or _plan_header(plan)),
                **{name: [_without_blanks(record) for record in records] for name, records in sections.items()}}
    return import_text(session, actor, plan, json.dumps(document, ensure_ascii=False, indent=1), SOURCE, now)


def save_specs(session: Session, actor: User | None, plan: Plan, *, now: datetime, **sections) -> ImportSummary:
    """Write records given as the plan file's own values (`schedules.planfile` specs), read back as a file is."""
    empty = {name: () for name in ("areas", "stations", "devices", "series", "episodes", "requirements")}
    doc = PlanDocument(version=FORMAT_VERSION, timezone=plan.timezone, plan=plan_spec(plan), **(empty | sections))
    return import_text(session, actor, plan, dump_plan(doc), "form.yaml", now)


def import_text(session: Session, actor: User | None, plan: Plan | None, text: str, source: str,
                 now: datetime) -> ImportSummary:
    known = known_records(session)
    if plan is not None:  # the plan's stored series, which its records may name
        known = dataclasses.replace(known, series=frozenset(
            session.scalars(select(Series.code).where(Series.plan_id == plan.id))))
    with tempfile.TemporaryDirectory() as nowhere:  # these documents name no audio file: nothing resolves
        doc = parse_plan(text, source, Path(nowhere), known)
    return import_document(session, doc, actor, now=now)


def _without_blanks(value):
    """Empty form fields mean "not given", as an absent key does in a file."""
    if isinstance(value, dict):
        return {k: _without_blanks(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_without_blanks(v) for v in value]
    return value


# -- ending and removing: history stays ---------------------------------------------------------

class EndRefused(Conflict):
    """An end that cannot be done. `reason` (a stable word) and `values` let a page word it in
    its own language; the English `message` is for the command line and the logs."""

    def __init__(self, message: str, reason: str, **values):
        super().__init__(message, code=reason)
        self.reason, self.values = reason, values


def local_today(plan: Plan, now: datetime) -> date:
    """Today in the plan's time zone, where its dates are written."""
    return now.astimezone(ZoneInfo(plan.timezone)).date()


def end_requirement(session: Session, actor: User | None, plan: Plan, requirement: Requirement, *,
                    last_day: date, now: datetime) -> ImportSummary:
    """The requirement applies up to `last_day` (its `to`), so the planner plans it no further; what
    was planned and aired before stays. `last_day` is today or later and not before it starts."""
    _check_last_day(plan, last_day, now)
    if requirement.date_to <= last_day:
        raise EndRefused(f"requirement {requirement.code!r} already ends on {requirement.date_to:%d/%m/%Y}",
                         "already_ends", date=requirement.date_to)
    _check_started(requirement, last_day)
    return save_specs(session, actor, plan, now=now,
                      requirements=(dataclasses.replace(requirement_spec(requirement), date_to=last_day),))


def end_series(session: Session, actor: User | None, plan: Plan, series: Series, *,
               last_day: date, now: datetime) -> ImportSummary:
    """End every requirement of the series that runs past `last_day`: nothing asks for new airings
    of it after that day. Its episodes, scripts and schedule stay."""
    _check_last_day(plan, last_day, now)
    running = session.scalars(select(Requirement).where(Requirement.series_id == series.id,
                                                        Requirement.date_to > last_day)
                              .order_by(Requirement.code)).all()
    if not running:
        raise EndRefused(f"no requirement of series {series.code!r} runs after {last_day:%d/%m/%Y}",
                         "nothing_running", date=last_day)
    for requirement in running:
        _check_started(requirement, last_day)
    return save_specs(session, actor, plan, now=now, requirements=tuple(
        dataclasses.replace(requirement_spec(r), date_to=last_day) for r in running))


def retire_plan_device(session: Session, actor: User | None, plan: Plan, device: Device, *, now: datetime) -> ImportSummary:
    """The device is retired from today, as a plan file's `retired` does (the import calls
    devices.operations.retire_device): its token is revoked and it is expected no more."""
    if device.retired_on is not None:
        raise EndRefused(f"device {device.code!r} was retired on {device.retired_on:%d/%m/%Y}", "retired",
                         date=device.retired_on)
    spec = dataclasses.replace(device_spec(device), retired=local_today(plan, now))
    return save_specs(session, actor, plan, now=now, devices=(spec,))


def end_village(session: Session, actor: User | None, plan: Plan, village: Area, *,
                now: datetime) -> ImportSummary:
    """The village ends today (its `ended`), and its devices still in use are retired with it."""
    if village.ended_on is not None:
        raise EndRefused(f"area {village.code!r} ended on {village.ended_on:%d/%m/%Y}", "ended",
                         date=village.ended_on)
    today = local_today(plan, now)
    devices = session.scalars(select(Device).where(Device.area_id == village.id, Device.retired_on.is_(None))
                              .order_by(Device.code)).all()
    return save_specs(session, actor, plan, now=now,
                      areas=(dataclasses.replace(area_spec(village), ended=today),),
                      devices=tuple(dataclasses.replace(device_spec(d), retired=today) for d in devices))


def remove_record(session: Session, actor: User | None, obj: Requirement | Series | Device | Area, *,
                  now: datetime) -> None:
    """Delete a requirement, series, device or area that nothing refers to yet (a mistake, say);
    writer.RecordInUse otherwise, naming what refers to it: such a record is ended instead."""
    kind, key, area = _audited_as(obj)
    delete_record(session, kind, obj)
    audit.record(session, actor, f"{kind}.delete", kind, key, at=now, area=area, before={"code": obj.code})
    session.flush()


def _audited_as(obj) -> tuple[str, str, Area | None]:
    """(kind, key, area) of the audit row, as the import writes them."""
    if isinstance(obj, (Requirement, Series)):
        return type(obj).__name__.lower(), f"{obj.plan.code}/{obj.code}", obj.plan.issued_by
    if isinstance(obj, Device):
        return "device", obj.code, obj.area
    return "area", obj.code, obj.parent


def _check_last_day(plan: Plan, last_day: date, now: datetime) -> None:
    today = local_today(plan, now)
    if last_day < today:
        raise EndRefused(f"the last day {last_day:%d/%m/%Y} is before today {today:%d/%m/%Y}: "
                         "days gone by are kept as they were", "past", date=today)


def _check_started(requirement: Requirement, last_day: date) -> None:
    if last_day < requirement.date_from:
        raise EndRefused(f"requirement {requirement.code!r} starts on {requirement.date_from:%d/%m/%Y}, "
                         f"after {last_day:%d/%m/%Y}", "not_started", series=requirement.series.title,
                         date=requirement.date_from)
