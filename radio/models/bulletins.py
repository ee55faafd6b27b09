"""Bulletins (Circular 39/2020/TT-BTTTT): normal, priority or emergency items issued to areas."""
from __future__ import annotations

import uuid as uuid_module
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .areas import Area
from .base import Base, NFCString, NFCText, UTCDateTime
from .content import Episode

BULLETIN_PRIORITIES = ("normal", "priority", "emergency")

bulletin_areas = Table(
    "bulletin_areas",
    Base.metadata,
    Column("bulletin_id", ForeignKey("bulletins.id"), primary_key=True),
    Column("area_id", ForeignKey("areas.id"), primary_key=True),
    # Devices look their bulletins up by area (their village and the areas above it) on every poll.
    Index("ix_bulletin_areas_area_id", "area_id"),
)


class Bulletin(Base):
    __tablename__ = "bulletins"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid, unique=True, default=uuid_module.uuid4)
    title: Mapped[str] = mapped_column(NFCString(300))
    text: Mapped[str | None] = mapped_column(NFCText)
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id"))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    episode: Mapped[Episode | None] = relationship()
    areas: Mapped[list[Area]] = relationship(secondary=bulletin_areas, order_by=Area.code)

    def __repr__(self) -> str:
        return f"<Bulletin {self.uuid} {self.priority}>"


class BulletinDelivery(Base):
    """Which device fetched a bulletin and when it reported playing it (one row per pair)."""

    __tablename__ = "bulletin_deliveries"

    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletins.id"), primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    played_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<BulletinDelivery {self.bulletin_id}@{self.device_id}>"
