"""Spots recorded with a microphone: the audio waits here for an approver of the series' area;
approval makes it an episode of its series (radio/media/recordings.py says why)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, NFCString, NFCText, UTCDateTime
from .content import Episode, MediaFile, Series
from .users import User

RECORDING_STATUSES = ("submitted", "approved", "rejected")


class Recording(Base):
    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), index=True)
    title: Mapped[str] = mapped_column(NFCString(300))
    media_sha256: Mapped[str] = mapped_column(ForeignKey("media_files.sha256"))  # canonical audio
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    # Whether the episode approval makes is meant for its series' requirements (Episode.for_requirements).
    for_requirements: Mapped[bool] = mapped_column(default=True, server_default=true())
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(NFCText)
    # The episode approval made of it (none while waiting or when rejected).
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id"))

    series: Mapped[Series] = relationship()
    media: Mapped[MediaFile] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    episode: Mapped[Episode | None] = relationship()

    def __repr__(self) -> str:
        return f"<Recording {self.id} {self.status}>"
