"""Schedule entries: planned airings with identities that outlive rebuilds (cancelled, never deleted)."""
from __future__ import annotations

import uuid as uuid_module
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, NFCString, UTCDateTime
from .content import Episode, Series
from .requirements import Requirement
from .stations import Station

ENTRY_KINDS = ("episode", "reservation", "relay", "live", "bulletin")
ENTRY_ORIGINS = ("planner", "manual", "make-good", "bulletin")
ENTRY_STATUSES = ("planned", "cancelled")


class ScheduleEntry(Base):
    __tablename__ = "schedule_entries"
    __table_args__ = (Index("ix_schedule_entries_station_day", "station_id", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid, unique=True, default=uuid_module.uuid4)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[date]  # the station's local broadcast day, for day listings
    window_name: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(NFCString(300))
    source: Mapped[str | None] = mapped_column(String(500))  # relay stream URL
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"))
    requirement_id: Mapped[int | None] = mapped_column(ForeignKey("requirements.id"))
    bulletin_id: Mapped[int | None] = mapped_column(ForeignKey("bulletins.id"))
    target_area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    origin: Mapped[str] = mapped_column(String(16), default="planner")
    is_pinned: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Some play log reports the entry `played` (a device's or an operator's). Set by a trigger on
    # play_logs (migration 0006), never by the application: the compliance report reads it
    # instead of probing millions of logs.
    reported_played: Mapped[bool] = mapped_column(default=False, server_default=false())

    station: Mapped[Station] = relationship()
    episode: Mapped[Episode | None] = relationship()
    series: Mapped[Series | None] = relationship()
    requirement: Mapped[Requirement | None] = relationship()
    bulletin: Mapped["Bulletin | None"] = relationship()  # noqa: F821 (bulletins.py)

    def __repr__(self) -> str:
        return f"<ScheduleEntry {self.uuid} {self.kind} {self.start_at:%Y-%m-%d %H:%M}>"
