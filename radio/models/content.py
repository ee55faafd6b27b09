"""Airable content: stored media files, series (chuyên mục) and their episodes."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, NFCString, UTCDateTime
from .plans import Plan


class MediaFile(Base):
    """One audio file in the content-addressed store, known by its sha256."""

    __tablename__ = "media_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    suffix: Mapped[str] = mapped_column(String(8))
    bytes: Mapped[int]
    duration_s: Mapped[float]
    codec: Mapped[str] = mapped_column(String(32))
    sample_rate: Mapped[int]
    channels: Mapped[int]
    loudness_lufs: Mapped[float | None]
    true_peak_dbtp: Mapped[float | None]
    # True once in the library's canonical format (audio_library.canonical); the original upload
    # is kept in the store beside it, under its own digest.
    is_canonical: Mapped[bool] = mapped_column(default=False, server_default=false())
    original_sha256: Mapped[str | None] = mapped_column(String(64))
    original_name: Mapped[str | None] = mapped_column(NFCString(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<MediaFile {self.sha256[:12]}>"


class Series(Base):
    __tablename__ = "series"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(NFCString(300))

    intro_sha256: Mapped[str | None] = mapped_column(ForeignKey("media_files.sha256"))
    outro_sha256: Mapped[str | None] = mapped_column(ForeignKey("media_files.sha256"))

    plan: Mapped[Plan] = relationship()
    episodes: Mapped[list[Episode]] = relationship(back_populates="series", order_by="Episode.id")


class Episode(Base):
    __tablename__ = "episodes"
    __table_args__ = (UniqueConstraint("series_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(NFCString(300))
    media_sha256: Mapped[str | None] = mapped_column(ForeignKey("media_files.sha256"))
    script_id: Mapped[int | None] = mapped_column(ForeignKey("scripts.id"))
    # Which approved version was voiced, and by which engine (gtts, espeak-ng).
    script_version_id: Mapped[int | None] = mapped_column(ForeignKey("script_versions.id"))
    tts_engine: Mapped[str | None] = mapped_column(String(32))
    available_from: Mapped[date | None]
    expires: Mapped[date | None]
    # Meant for the requirements of its series: only then does the planner put it in their
    # slots. The plan file's and the office's content is; an operator's own one-off is not.
    for_requirements: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    series: Mapped[Series] = relationship(back_populates="episodes")
    media: Mapped[MediaFile | None] = relationship(foreign_keys=[media_sha256])
    script: Mapped["Script | None"] = relationship()  # noqa: F821 (scripts.py)

    @property
    def duration_s(self) -> float | None:
        return self.media.duration_s if self.media else None


class TtsCacheEntry(Base):
    """Synthesis already done: (normalised text, engine and its settings, voice, region, jingles)
    → audio, so re-voicing an unchanged script does no work; one region's spot never serves another."""

    __tablename__ = "tts_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_sha256: Mapped[str] = mapped_column(ForeignKey("media_files.sha256"))
    engine: Mapped[str] = mapped_column(String(32))
    voice: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<TtsCacheEntry {self.key[:12]} {self.engine}>"


class GlossaryEntry(Base):
    """How TTS reads an abbreviation in one province (or any area), beside the built-in glossary."""

    __tablename__ = "glossary_entries"
    __table_args__ = (UniqueConstraint("area_id", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    term: Mapped[str] = mapped_column(NFCString(64))
    reading: Mapped[str] = mapped_column(NFCString(300))

    def __repr__(self) -> str:
        return f"<GlossaryEntry {self.term}>"
