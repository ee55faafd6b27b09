"""`emit`: one event becomes a notice per recipient, and the deliveries their choices ask for.

Idempotent per (kind, about, recipient) — the notices' unique key, inserted with ON CONFLICT DO
NOTHING — so a periodic check may find the same event on every run, and two checks racing both
tell each person once. Deliveries are made only with the notices this call created, so they too
exist once. A webhook gets one POST per event (not per recipient): its delivery hangs on the
first notice of the event and is not made again for a recipient added later.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import db
from ..area_tree import subtree_ids
from ..models import Delivery, Notice, RoleGrant, User, Webhook
from .kinds import KINDS
from .preferences import email_choices


def emit(session: Session, kind: str, recipients: Iterable[User], *, about: str,
         values: dict[str, str | int], link: str | None, now: datetime) -> list[Notice]:
    """Tell `recipients` (active ones) of an event; returns the notices created now. Flushes."""
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    people = {user.id: user for user in recipients if user.is_active}
    if not people:
        return []
    rows = [{"recipient_id": user_id, "kind": kind, "about": about, "values": dict(values), "link": link,
             "created_at": now} for user_id in people]
    inserted = db.insert_new(session, Notice.__table__, rows, ["kind", "about", "recipient_id"])
    created_for = {recipient_id for _kind, _about, recipient_id in inserted}
    notices = list(session.scalars(select(Notice).where(
        Notice.kind == kind, Notice.about == about, Notice.recipient_id.in_(created_for)).order_by(Notice.id)))
    if current_app.config.get("SMTP_URL"):
        for notice in notices:
            user = people[notice.recipient_id]
            if user.email and email_choices(session, user)[kind]:
                session.add(_delivery(notice, "email", None, now))
    if notices:
        for hook in _hooks_for(session, kind, about, set(people)):
            session.add(_delivery(notices[0], "webhook", hook, now))
    session.flush()
    return notices


def _delivery(notice: Notice, channel: str, hook: Webhook | None, now: datetime) -> Delivery:
    return Delivery(uuid=str(uuid.uuid4()), notice=notice, channel=channel, webhook=hook, status="pending",
                    attempts=0, next_try_at=now)


def _hooks_for(session: Session, kind: str, about: str, recipient_ids: set[int]) -> list[Webhook]:
    """Active hooks asking for `kind` whose area covers a role of a recipient, and not told of
    this event yet."""
    told = select(Delivery.webhook_id).join(Notice).where(Notice.kind == kind, Notice.about == about,
                                                           Delivery.webhook_id.is_not(None))
    hooks = [hook for hook in session.scalars(select(Webhook).where(Webhook.active, Webhook.id.not_in(told))
                                              .order_by(Webhook.id)) if kind in hook.kinds]
    if not hooks:
        return []
    areas = set(session.scalars(select(RoleGrant.area_id).where(RoleGrant.user_id.in_(recipient_ids))))
    return [hook for hook in hooks if areas & subtree_ids(session, [hook.area_id])]
