"""Plans: the official document (Kế hoạch …/KH-UBND) a plan file encodes."""
from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .areas import Area
from .base import Base, NFCString


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(NFCString(500))
    document: Mapped[str | None] = mapped_column(NFCString(100))
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    report_due: Mapped[date | None]
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")

    issued_by: Mapped[Area] = relationship()
