"""Scripts: text with versions; only an approved version may be voiced or aired."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, NFCString, NFCText, UTCDateTime
from .content import Series
from .users import User

SCRIPT_STATUSES = ("draft", "submitted", "approved", "rejected")


class Script(Base):
    __tablename__ = "scripts"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), index=True)
    title: Mapped[str] = mapped_column(NFCString(300))
    # Whether the episode it voices into is meant for its series' requirements (Episode.for_requirements).
    for_requirements: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The version that may be aired; it stays airable while a newer draft is reviewed.
    approved_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("script_versions.id", use_alter=True)
    )

    series: Mapped[Series] = relationship()
    versions: Mapped[list[ScriptVersion]] = relationship(
        back_populates="script", order_by="ScriptVersion.number", foreign_keys="ScriptVersion.script_id"
    )
    approved_version: Mapped[ScriptVersion | None] = relationship(foreign_keys=[approved_version_id], post_update=True)

    @property
    def latest(self) -> ScriptVersion:
        return self.versions[-1]


class ScriptVersion(Base):
    __tablename__ = "script_versions"
    __table_args__ = (UniqueConstraint("script_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    script_id: Mapped[int] = mapped_column(ForeignKey("scripts.id"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(NFCText)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(NFCText)

    script: Mapped[Script] = relationship(back_populates="versions", foreign_keys=[script_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def __repr__(self) -> str:
        return f"<ScriptVersion {self.script_id}v{self.number} {self.status}>"
