"""Importing a plan file: validate everything first, then write it all in one transaction.

Records are matched by code; a field is written (and audited) only when its value changes,
so importing the same file twice changes nothing. Nothing is deleted unless `prune`.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from audio_library import NotAudioError
from schedules.planfile import KnownRecords, PlanDocument, PlanFileError, Problem, load_plan

from ..collector import collector_paused
from ..auth.permissions import may, roles_for
from ..errors import Forbidden
from ..media.operations import check_audio, discard_new_files
from ..models import Area, Station, User
from .writer import ImportSummary, Writer


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
    audio = _check_audio_files(doc)
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


def _check_audio_files(doc: PlanDocument) -> dict:
    """Probe every episode's audio (a full decode each). The same bytes under several episodes
    (one jingle or tone for many, or an export, which writes a file per episode) are probed once."""
    infos, problems, probed = {}, [], {}
    for i, episode in enumerate(doc.episodes):
        if episode.audio is None:
            continue
        try:
            key = _content_key(episode.audio)
            if key not in probed:
                probed[key] = check_audio(episode.audio)
            infos[episode.code] = probed[key]
        except NotAudioError as exc:
            field = f"episodes[{i}].audio"
            problems.append(Problem(doc.source, doc.lines.get(field, episode.line), field, str(exc),
                                    "audio_refused", {"why": exc}))
    if problems:
        raise PlanFileError(problems)
    return infos


def _content_key(path: Path):
    """The file's digest, or its path when it cannot be read (the probe then says why)."""
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return path
