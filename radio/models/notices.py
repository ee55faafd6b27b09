"""Notices to people (in the app), their deliveries by e-mail and webhook, each user's choice of
channels per kind, and the webhooks a province bridges to its own chat or SMS gateway
(radio/notices/ says how they are made and sent)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .areas import Area
from .base import Base, CodeList, NFCString, UTCDateTime
from .users import User

CHANNELS = ("email", "webhook")
# "sending": claimed by one worker (radio/notices/delivery.py); a claim that never ends is marked
# failed, never sent again on its own, since the message may have left already.
DELIVERY_STATUSES = ("pending", "sending", "sent", "failed")


class Notice(Base):
    """One event told to one person: unique per (kind, about, recipient), so an event that a
    periodic check finds again and again is told once."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("kind", "about", "recipient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    about: Mapped[str] = mapped_column(String(200))
    # Names and ISO dates the wording fills in (kinds.py), in the reader's language when shown.
    values: Mapped[dict] = mapped_column(JSON)
    link: Mapped[str | None] = mapped_column(String(500))  # a path of the pages ("/scripts/…")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recipient: Mapped[User] = relationship()


class Webhook(Base):
    """A URL that receives a signed JSON POST for the kinds it asks for, in its area's subtree.

    The secret is kept as it is, not hashed: the server needs it to sign every POST (HMAC), and
    the receiver holds the same secret to check the signature. It is shown once, when made."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NFCString(200))
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    kinds: Mapped[tuple[str, ...]] = mapped_column(CodeList)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    area: Mapped[Area] = relationship()


class Delivery(Base):
    """One notice sent by one channel (and, for webhooks, to one hook), retried with back-off."""

    __tablename__ = "notice_deliveries"
    __table_args__ = (UniqueConstraint("notice_id", "channel", "webhook_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)  # X-Radio-Delivery: the receiver's dedup key
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    webhook_id: Mapped[int | None] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    notice: Mapped[Notice] = relationship()
    webhook: Mapped[Webhook | None] = relationship()


class NoticePreference(Base):
    """A user's choice for one kind: e-mail or not (in the app is always on). No row: the
    kind's default (radio/notices/kinds.py EMAIL_BY_DEFAULT)."""

    __tablename__ = "notice_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    email: Mapped[bool]
