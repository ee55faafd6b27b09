"""Calendar feed tokens: calendar apps cannot send headers, so a feed URL carries a secret."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, NFCString, UTCDateTime
from .devices import Device
from .stations import Station


class FeedToken(Base):
    """A revocable secret for one station's or one device's calendar feed (only its hash is kept)."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    label: Mapped[str | None] = mapped_column(NFCString(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    station: Mapped[Station | None] = relationship()
    device: Mapped[Device | None] = relationship()

    def __repr__(self) -> str:
        return f"<FeedToken {self.id} {'revoked' if self.revoked_at else 'active'}>"
