"""Emergency alerts in CAP 1.2: the sources allowed to send them and every alert received."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .areas import Area
from .base import Base, NFCString, NFCText, UTCDateTime
from .bulletins import Bulletin
from .content import Episode

# held: no known area, an admin chooses one or discards it; waiting: an untrusted source's
# alert waits for an approver; issued: a bulletin carries it; ended: cancelled or replaced by
# an update; discarded: by a person; note: a message that asks for nothing (Ack, Error, Test).
CAP_STATUSES = ("held", "waiting", "issued", "ended", "discarded", "note")

cap_source_areas = Table(
    "cap_source_areas",
    Base.metadata,
    Column("source_id", ForeignKey("cap_sources.id"), primary_key=True),
    Column("area_id", ForeignKey("areas.id"), primary_key=True),
)


class CapSource(Base):
    """A system allowed to send alerts (a province's warning centre), with its own token."""

    __tablename__ = "cap_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(NFCString(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A trusted source's alerts are issued at once; another's wait for an approver.
    trusted: Mapped[bool] = mapped_column(default=False, server_default=false())
    # An Atom or RSS feed of CAP alerts to pull periodically (optional).
    feed_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Revoked by an admin: its token is refused and its feed not pulled until it is enabled again.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    areas: Mapped[list[Area]] = relationship(secondary=cap_source_areas, order_by=Area.code)

    def __repr__(self) -> str:
        return f"<CapSource {self.code}>"


class CapAlert(Base):
    """One CAP message received; the same (identifier, sender, sent) is one row."""

    __tablename__ = "cap_alerts"
    __table_args__ = (UniqueConstraint("identifier", "sender", "sent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("cap_sources.id"), index=True)
    identifier: Mapped[str] = mapped_column(NFCString(255))
    sender: Mapped[str] = mapped_column(NFCString(255))
    sent: Mapped[str] = mapped_column(String(32))  # as written: the triple is compared as text
    msg_type: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    headline: Mapped[str] = mapped_column(NFCString(300))
    text: Mapped[str] = mapped_column(NFCText)
    area_desc: Mapped[str] = mapped_column(NFCText)
    expires: Mapped[datetime | None] = mapped_column(UTCDateTime)
    xml: Mapped[str] = mapped_column(NFCText)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id"))
    bulletin_id: Mapped[int | None] = mapped_column(ForeignKey("bulletins.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)

    source: Mapped[CapSource] = relationship()
    episode: Mapped[Episode | None] = relationship()
    bulletin: Mapped[Bulletin | None] = relationship()

    def __repr__(self) -> str:
        return f"<CapAlert {self.identifier} {self.status}>"
