"""Plan drafts: an official plan document read into a draft plan file (schedules.drafting),
kept while the office reviews it, until it is imported or discarded."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .areas import Area
from .base import Base, NFCString, UTCDateTime
from .users import User


class PlanDraft(Base):
    """`draft` is `draft_to_json(...)`; `answers` and `edits` are [key, field, value] triples
    (JSON has no tuple keys), `dropped` the keys of records left out."""

    __tablename__ = "plan_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)  # the issuing area: its scope
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    filename: Mapped[str] = mapped_column(NFCString(255))
    draft: Mapped[dict] = mapped_column(JSON)
    answers: Mapped[list] = mapped_column(JSON, default=list)
    edits: Mapped[list] = mapped_column(JSON, default=list)
    dropped: Mapped[list] = mapped_column(JSON, default=list)

    area: Mapped[Area] = relationship()
    user: Mapped[User | None] = relationship()
