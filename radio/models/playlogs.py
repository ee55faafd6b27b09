"""Play logs (as-run): what a device or operator reports it really aired."""
from __future__ import annotations

import uuid as uuid_module
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, NFCText, UTCDateTime

PLAY_STATUSES = ("played", "failed", "skipped")


class PlayLog(Base):
    __tablename__ = "play_logs"
    # Unscheduled airings (no entry) by time: compliance finds the few among millions of logs. The
    # migration makes it partial (WHERE entry_id IS NULL); saying so here with `postgresql_where`
    # would load PostgreSQL's dialect into every command, SQLite or not (a tenth of a second).
    __table_args__ = (Index("ix_play_logs_unscheduled_started_at", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made by the reporting client; unique so that a retried upload is never counted twice.
    client_uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid, unique=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), index=True)
    # Set on an operator's logs (no device): the station they confirmed or aired at. Device logs
    # take their device's station; a log of an entry is that entry's station anyway.
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_entries.id"), index=True)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id"))
    bulletin_id: Mapped[int | None] = mapped_column(ForeignKey("bulletins.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(NFCText)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<PlayLog {self.client_uuid} {self.status}>"


def uuid_key(session) -> list[str]:
    """The columns a log's uuid is unique with, for INSERT … ON CONFLICT: the uuid alone on SQLite;
    with its start on PostgreSQL, whose table is partitioned by month and so can hold a unique
    key only with started_at in it (a retried log keeps both)."""
    return ["client_uuid", "started_at"] if session.get_bind().dialect.name == "postgresql" else ["client_uuid"]
