"""Frozen compliance reports: the copy an office handed in, kept exactly as submitted."""
from __future__ import annotations

import uuid as uuid_module
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Uuid, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .areas import Area
from .base import Base, UTCDateTime
from .plans import Plan


class FrozenReport(Base):
    """Rows, summary and shortfalls as they stood at `frozen_at`; later play logs change the
    live view only. Immutable: the ORM refuses changes and database triggers refuse UPDATE and
    DELETE (as for the audit log)."""

    __tablename__ = "frozen_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid, unique=True, default=uuid_module.uuid4)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    period_from: Mapped[date]
    period_to: Mapped[date]
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    document: Mapped[dict] = mapped_column(JSON)

    plan: Mapped[Plan] = relationship()
    area: Mapped[Area] = relationship()

    def __repr__(self) -> str:
        return f"<FrozenReport {self.uuid} {self.frozen_at:%Y-%m-%d}>"


@event.listens_for(Session, "before_flush")
def _refuse_frozen_rewrites(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, FrozenReport) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("a frozen report cannot be changed")
