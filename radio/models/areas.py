"""Areas: the administrative tree (province → district → commune → village), any depth."""
from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, NFCString

# Rank of each level; a child must rank below its parent. Two tiers (province → commune) fit too.
LEVELS = ("province", "district", "commune", "village")


class Area(Base):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(NFCString(200))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    # The local day it stopped being served (a village merged away): kept, with its devices and
    # their logs, for the history that refers to it; the pages offer it no more.
    ended_on: Mapped[date | None]
    # How its stations' scripts are voiced, unless a station chooses (radio/voices.py):
    # a region of audio_library.text_vi.REGIONS, words per minute, pause after a sentence in ms.
    voice_region: Mapped[str | None] = mapped_column(String(16))
    voice_speed_wpm: Mapped[int | None]
    voice_pause_ms: Mapped[int | None]
    # The official administrative-unit code (mã đơn vị hành chính): CAP alerts' <geocode> names it.
    admin_code: Mapped[str | None] = mapped_column(String(16), index=True)

    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent")

    def ancestors_and_self(self) -> list[Area]:
        """This area and every area above it, nearest first (trees are a few levels deep)."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def is_within(self, other: Area) -> bool:
        return any(a.id == other.id for a in self.ancestors_and_self())
