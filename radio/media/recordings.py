"""Spots recorded with a microphone (the browser's MediaRecorder): they air only once approved.

Episodes carry no approval state: an uploaded file airs at once, and a script's episode gets its
audio only when an approved version is voiced. A recording follows the script's way. Its audio,
checked and converted to the canonical format like any upload, waits in a `Recording` (status
submitted → approved | rejected, who decided, when, why) and becomes an episode of its series
only when an approver of the series' area approves it; an approver's own recording is approved
at once. So the planner, hand edits, the bulletin form and the devices, which all take episodes
with audio, never see a recording that waits or was refused, and none of them needs to know
about recordings. Approvers are those who approve scripts (`script.approve`).
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..auth.permissions import may, roles_for
from ..errors import Conflict, Forbidden, RadioError
from ..models import Episode, Recording, Series, User
from .library import code_from
from .operations import check_audio, discard_new_files, ingest_audio


class RecordingDecided(Conflict):
    """The recording was approved or rejected already (two approvers, or a page left open)."""


def add_recording(session: Session, actor: User | None, series: Series, path: Path, *, title: str, name: str,
                  now: datetime, for_requirements: bool = True) -> Recording:
    """A recording of `series` from an audio file (refused as uploads are: audio_library.NotAudioError);
    nothing is stored if anything fails. `for_requirements`: whether its episode may fill the
    series' requirements (Episode.for_requirements)."""
    area = series.plan.issued_by
    _require(actor, "audio.upload", area, f"record spots for {series.code}")
    if not title.strip():
        raise RadioError("a recording needs a title")
    info = check_audio(path, name)
    created: list[str] = []
    try:
        media = ingest_audio(session, path, info, created, name, now=now)
        recording = Recording(series=series, title=title.strip(), media=media, status="submitted",
                              for_requirements=for_requirements, recorded_by=actor, created_at=now)
        session.add(recording)
        session.flush()
    except BaseException:
        discard_new_files(created)
        raise
    audit.record(session, actor, "recording.add", "recording", str(recording.id), at=now, area=area,
                 after={"series": series.code, "title": recording.title, "sha256": media.sha256,
                        "duration_s": media.duration_s, "for_requirements": for_requirements})
    if may(actor, "script.approve", area):
        approve_recording(session, actor, recording, now=now)
    return recording


def approve_recording(session: Session, actor: User | None, recording: Recording, *, now: datetime) -> Episode:
    """The recording becomes a new episode of its series, airable and offered for bulletins."""
    _decide(actor, recording, "approve")
    series = recording.series
    episode = Episode(series=series, code=_free_code(session, series, code_from(recording.title)),
                      title=recording.title, media=recording.media, for_requirements=recording.for_requirements,
                      created_at=now)
    session.add(episode)
    recording.status, recording.decided_by, recording.decided_at, recording.episode = "approved", actor, now, episode
    session.flush()
    audit.record(session, actor, "recording.approve", "recording", str(recording.id), at=now,
                 area=series.plan.issued_by, after={"status": "approved", "episode": episode.code})
    return episode


def reject_recording(session: Session, actor: User | None, recording: Recording, reason: str, *,
                     now: datetime) -> None:
    """Refused with a reason the recorder reads; its audio never airs."""
    _decide(actor, recording, "reject")
    if not reason.strip():
        raise RadioError("a rejection needs a reason")
    recording.status, recording.decided_by, recording.decided_at = "rejected", actor, now
    recording.reason = reason.strip()
    session.flush()
    audit.record(session, actor, "recording.reject", "recording", str(recording.id), at=now,
                 area=recording.series.plan.issued_by, after={"status": "rejected", "reason": recording.reason})


def _decide(actor: User | None, recording: Recording, doing: str) -> None:
    _require(actor, "script.approve", recording.series.plan.issued_by, f"{doing} recordings of {recording.series.code}")
    if recording.status != "submitted":
        raise RecordingDecided(f"cannot {doing} recording {recording.id}: it is {recording.status} already")


def _require(actor: User | None, action: str, area, doing: str) -> None:
    if actor is None or not may(actor, action, area):
        who = actor.username if actor else "nobody"
        raise Forbidden(f"{who} may not {doing}: {' or '.join(roles_for(action))} rights on {area.code} are needed")


def _free_code(session: Session, series: Series, base: str) -> str:
    """`base`, or `base-2`, `base-3`… : the first code the series has no episode with."""
    taken = set(session.scalars(select(Episode.code).where(Episode.series_id == series.id,
                                                          Episode.code.like(f"{base}%"))))
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code
