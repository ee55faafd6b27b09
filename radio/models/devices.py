"""Village loudspeaker receivers; only a hash of each device's token is stored."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .areas import Area
from .base import Base, NFCString, UTCDateTime
from .stations import Station


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(NFCString(200))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # never_seen | online | offline: set on contact, and by `radio device check` once a device has
    # missed 3 polls (radio/devices/presence.py computes the same from last_seen_at on demand).
    status: Mapped[str] = mapped_column(String(32), default="never_seen")
    # The device's own report (now playing, volume, free disk, cached items, firmware, clock offset).
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat: Mapped[dict | None] = mapped_column(JSON)
    # The local day it was taken out of use: its token is gone and nobody expects it to call;
    # it is kept for the play logs and deliveries it reported.
    retired_on: Mapped[date | None]
    # When the plan brought it in: availability is measured from then (rows older than this
    # column have none, and are measured over the whole span asked for).
    added_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where it stands (WGS 84 degrees), from the plan file: the loudspeakers map.
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)

    area: Mapped[Area] = relationship()
    station: Mapped[Station] = relationship()

    def __repr__(self) -> str:
        return f"<Device {self.code}>"


class OfflinePeriod(Base):
    """A time a device was silent: from its last call (`offline_from`) until it called again
    (`back_at`, None while it is still silent). Written when the periodic check marks it offline
    (devices/presence.py), closed on its next call."""

    __tablename__ = "device_offline_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    offline_from: Mapped[datetime] = mapped_column(UTCDateTime)
    back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    device: Mapped[Device] = relationship()

    def __repr__(self) -> str:
        return f"<OfflinePeriod {self.device_id} {self.offline_from:%Y-%m-%d %H:%M} – {self.back_at}>"
