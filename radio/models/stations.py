"""Stations with their broadcast windows, closed dates and fixed blocks (local times)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from schedules.marking import N_

from .areas import Area
from .base import Base, CodeList, NFCString, UTCDateTime

# How people read a window that has no title of its own (docs/plan-format.md): the short names
# stations have always used. Vietnamese, as printed documents say them; the pages translate them
# (these are msgids of their catalog). Any other name is shown as it is.
WINDOW_TITLES = {"sang": N_("Buổi sáng"), "trua": N_("Buổi trưa"), "chieu": N_("Buổi chiều"), "toi": N_("Buổi tối")}

Translate = Callable[[str], str]


def _as_is(text: str) -> str:
    return text


class Station(Base):
    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(NFCString(200))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    # Moved (schedule_changed) whenever the station's entries change; devices use it as their ETag.
    schedule_version: Mapped[int] = mapped_column(default=0)
    # When the version last moved: the `generated_at` of what devices are sent, so that one
    # version (one strong ETag) always has the same bytes.
    schedule_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Its own voice, each unset one inherited from its area (radio/voices.py).
    voice_region: Mapped[str | None] = mapped_column(String(16))
    voice_speed_wpm: Mapped[int | None]
    voice_pause_ms: Mapped[int | None]

    area: Mapped[Area] = relationship()
    windows: Mapped[list[BroadcastWindow]] = relationship(
        back_populates="station", cascade="all, delete-orphan", order_by="BroadcastWindow.start_time"
    )
    closed_dates: Mapped[list[ClosedDate]] = relationship(
        cascade="all, delete-orphan", order_by="ClosedDate.day"
    )
    blocks: Mapped[list[FixedBlock]] = relationship(
        back_populates="station", cascade="all, delete-orphan", order_by="FixedBlock.at"
    )

    def window_title(self, name: str, translate: Translate = _as_is) -> str:
        """How people read the window called `name` (a code): its title, or else the usual words."""
        window = next((w for w in self.windows if w.name == name), None)
        return window.display_name(translate) if window is not None else default_window_title(name, translate)

    def schedule_changed(self, now: datetime) -> None:
        """Every path that changes what devices are sent (builds, hand edits, bulletins, new
        audio) moves the version, dated with its request's or command's instant."""
        self.schedule_version += 1
        self.schedule_changed_at = now


class BroadcastWindow(Base):
    __tablename__ = "broadcast_windows"
    __table_args__ = (UniqueConstraint("station_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    name: Mapped[str] = mapped_column(String(64))
    days: Mapped[tuple[str, ...]] = mapped_column(CodeList)
    start_time: Mapped[time]
    end_time: Mapped[time]
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    title: Mapped[str | None] = mapped_column(NFCString(200))  # how people read `name`

    station: Mapped[Station] = relationship(back_populates="windows")

    def display_name(self, translate: Translate = _as_is) -> str:
        """Its title as written, or the usual words for its name (`translate`d for a page)."""
        return self.title or default_window_title(self.name, translate)

    def __repr__(self) -> str:
        return f"<BroadcastWindow {self.name} {self.start_time}-{self.end_time}>"


def default_window_title(name: str, translate: Translate = _as_is) -> str:
    return translate(WINDOW_TITLES[name]) if name in WINDOW_TITLES else name


class ClosedDate(Base):
    __tablename__ = "closed_dates"
    __table_args__ = (UniqueConstraint("station_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    day: Mapped[date]

    def __repr__(self) -> str:
        return f"<ClosedDate {self.day}>"


class FixedBlock(Base):
    """A relay of provincial/national radio or a live reading at a fixed time inside a window."""

    __tablename__ = "fixed_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    window_id: Mapped[int] = mapped_column(ForeignKey("broadcast_windows.id"))
    at: Mapped[time]
    kind: Mapped[str] = mapped_column(String(16))  # relay | live
    title: Mapped[str] = mapped_column(NFCString(200))
    source: Mapped[str | None] = mapped_column(String(500))
    duration_s: Mapped[int]

    station: Mapped[Station] = relationship(back_populates="blocks")
    window: Mapped[BroadcastWindow] = relationship()

    def __repr__(self) -> str:
        return f"<FixedBlock {self.kind} {self.at}>"
