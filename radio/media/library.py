"""The audio library: uploads become episodes; stored audio is kept in the canonical format."""
from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from audio_library.canonical import to_canonical
from schedules.marking import N_

from .. import audit
from ..auth.permissions import may
from ..errors import RadioError
from ..models import Episode, MediaFile, ScheduleEntry, Series, Station, User
from ..stores import media_store
from .operations import check_audio, discard_new_files, ingest_audio, loudness_targets, record_canonical


class LibraryError(RadioError):
    """A library operation refused, with a message that says why."""

    messages = {
        "no_rights": N_("Bạn không có quyền thêm hoặc sửa âm thanh của chuyên mục “%(series)s”."),
        "dates_order": N_("Ngày bắt đầu phát %(available_from)s đang sau ngày hết hạn %(expires)s."),
        "code_taken": N_("Chuyên mục “%(series)s” đã có một tin mang mã “%(code)s” (đặt theo tên tệp): "
                         "đổi tên tệp rồi tải lên lại."),
        "duplicate": N_("Chuyên mục này đã có tin “%(title)s” với đúng âm thanh này."),
    }


class DuplicateAudio(LibraryError):
    """The series has an episode with this very audio: a second one is most likely the same
    upload made twice, so it is refused unless asked for (``allow_duplicate``)."""

    status, code = 409, "conflict"

    def __init__(self, existing: Episode) -> None:
        super().__init__(f"episode {existing.code} (“{existing.title}”) of {existing.series.code} has this audio "
                         "already; add it again with --allow-duplicate if a second episode is meant",
                         reason="duplicate", values={"title": existing.title})
        self.existing = existing


def add_episode_audio(session: Session, actor: User | None, series: Series, path: Path, *,
                      title: str | None = None, code: str | None = None, name: str | None = None,
                      available_from: date | None = None, expires: date | None = None,
                      allow_duplicate: bool = False, for_requirements: bool = True, now: datetime) -> Episode:
    """A new episode of `series` from an audio file; nothing is stored if anything fails, nor
    when the series has this audio already (DuplicateAudio) unless ``allow_duplicate``.
    `for_requirements`: whether it may fill the series' requirements (Episode.for_requirements)."""
    area = series.plan.issued_by
    if actor is None or not may(actor, "audio.upload", area):
        raise LibraryError(f"adding audio to {series.code} needs --as a user with rights on {area.code}",
                           reason="no_rights", values={"series": series.title})
    _check_dates(available_from, expires)
    display = name or path.name
    code = code or code_from(Path(display).stem)
    if session.scalar(select(Episode).where(Episode.series_id == series.id, Episode.code == code)):
        raise LibraryError(f"series {series.code} already has an episode {code!r}", reason="code_taken",
                           values={"series": series.title, "code": code})
    info = check_audio(path, display)
    created: list[str] = []
    try:
        media = ingest_audio(session, path, info, created, display, now=now)
        existing = None if allow_duplicate else session.scalar(select(Episode).where(
            Episode.series_id == series.id, Episode.media_sha256 == media.sha256).order_by(Episode.id).limit(1))
        if existing is not None:
            raise DuplicateAudio(existing)
        episode = Episode(series=series, code=code, title=title or Path(display).stem, media=media,
                          available_from=available_from, expires=expires, for_requirements=for_requirements,
                          created_at=now)
        session.add(episode)
        session.flush()
    except BaseException:
        discard_new_files(created)
        raise
    audit.record(session, actor, "episode.upload", "episode", f"{series.plan.code}/{code}", at=now, area=area,
                 after={"sha256": media.sha256, "duration_s": media.duration_s, "file": display,
                        "for_requirements": for_requirements})
    return episode


def code_from(text: str) -> str:
    """An episode code from a title or a file name's stem: ASCII letters, digits and hyphens
    (tiếng Việt folded)."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    code = re.sub(r"[^a-z0-9]+", "-", folded.encode("ascii", "ignore").decode().lower()).strip("-")
    return code[:60] or "audio"


def normalise_library(session: Session, actor: User | None, *, now: datetime) -> int:
    """Bring every stored file not yet canonical (e.g. from before the audio library) to the
    canonical format; episodes and jingles move to the converted file, the original stays."""
    store, converted = media_store(), 0
    for old in session.scalars(select(MediaFile).where(MediaFile.is_canonical.is_(False))).all():
        created: list[str] = []
        try:
            with tempfile.TemporaryDirectory() as tmp:
                result = to_canonical(store.path_for(old.sha256), Path(tmp) / "canonical.mp3", **loudness_targets())
                new = record_canonical(session, store, result, old.sha256, old.original_name or old.sha256, created,
                                       now=now)
            _repoint(session, old.sha256, new.sha256)
        except BaseException:
            discard_new_files(created)
            raise
        audit.record(session, actor, "media.normalise", "media", old.sha256, at=now, after={"canonical": new.sha256})
        converted += 1
    session.flush()
    return converted


def _repoint(session: Session, old: str, new: str) -> None:
    session.execute(update(Episode).where(Episode.media_sha256 == old).values(media_sha256=new))
    session.execute(update(Series).where(Series.intro_sha256 == old).values(intro_sha256=new))
    session.execute(update(Series).where(Series.outro_sha256 == old).values(outro_sha256=new))


def set_availability(session: Session, actor: User | None, episode: Episode, available_from: date | None,
                     expires: date | None, *, now: datetime) -> None:
    """When an episode may be scheduled (audited). Builds from now on respect it; entries already
    planned stay as they are until the next build."""
    area = episode.series.plan.issued_by
    if actor is None or not may(actor, "audio.upload", area):
        raise LibraryError(f"changing {episode.code} needs a user with rights on {area.code}",
                           reason="no_rights", values={"series": episode.series.title})
    _check_dates(available_from, expires)
    before = {"available_from": _iso(episode.available_from), "expires": _iso(episode.expires)}
    episode.available_from, episode.expires = available_from, expires
    audit.record(session, actor, "episode.availability", "episode", f"{episode.series.plan.code}/{episode.code}",
                 at=now, area=area, before=before,
                 after={"available_from": _iso(available_from), "expires": _iso(expires)})
    session.flush()


def planned_airings(session: Session, episode: Episode, today: date) -> int:
    """How many entries from `today` on air `episode`: they keep its old dates until a rebuild."""
    return session.scalar(select(func.count()).select_from(ScheduleEntry).where(
        ScheduleEntry.episode_id == episode.id, ScheduleEntry.status == "planned", ScheduleEntry.local_date >= today))


@dataclass(frozen=True)
class AvailabilityNote:
    """New dates of an episode the built schedule airs: what changed (field → (old, new)), and the
    stations and dates to rebuild — the stations airing it from today, the days (up to the last one
    built there) on which it may air under one set of dates and not the other."""

    changes: dict[str, tuple[date | None, date | None]]
    stations: tuple[str, ...]
    start: date
    end: date


def availability_note(session: Session, episode: Episode, before: tuple[date | None, date | None],
                      today: date) -> AvailabilityNote | None:
    """None when the dates did not change, or no built day from `today` on airs under only one of them."""
    after = (episode.available_from, episode.expires)
    changes = {name: (old, new) for name, old, new in zip(("available_from", "expires"), before, after) if old != new}
    stations = session.scalars(select(Station.code).join(ScheduleEntry, ScheduleEntry.station_id == Station.id).where(
        ScheduleEntry.episode_id == episode.id, ScheduleEntry.status == "planned",
        ScheduleEntry.local_date >= today).distinct().order_by(Station.code)).all()
    if not changes or not stations:
        return None
    last = session.scalar(select(func.max(ScheduleEntry.local_date)).join(Station).where(
        Station.code.in_(stations), ScheduleEntry.status == "planned"))
    days = [today + timedelta(days=n) for n in range((last - today).days + 1)]
    changed = [day for day in days if _within(day, *before) != _within(day, *after)]
    if not changed:
        return None
    return AvailabilityNote(changes, tuple(stations), changed[0], changed[-1])


def _within(day: date, available_from: date | None, expires: date | None) -> bool:
    return (available_from is None or available_from <= day) and (expires is None or day <= expires)


def _check_dates(available_from: date | None, expires: date | None) -> None:
    if available_from and expires and available_from > expires:
        raise LibraryError(f"available from {available_from} is after expiry {expires}", reason="dates_order",
                           values={"available_from": available_from, "expires": expires})


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
