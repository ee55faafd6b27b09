"""Reading notices, and admins' webhooks (verb-first, flush only; the caller commits)."""
from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from schedules.marking import N_

from .. import audit
from ..errors import RadioError
from ..models import Area, Notice, User, Webhook
from ..notices import kinds, webhook


class WebhookError(RadioError):
    messages = {"bad_url": N_("Địa chỉ webhook phải bắt đầu bằng http:// hoặc https:// và có tên máy."),
                "no_kinds": N_("Chọn ít nhất một loại thông báo."),
                "test_failed": N_("Gửi thử không thành công: %(error)s")}


def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(Notice).where(
        Notice.recipient_id == user.id, Notice.read_at.is_(None))) or 0


def mark_read(session: Session, user: User, notice_id: int | None, *, now: datetime) -> int:
    """Mark one of `user`'s notices read (None: all of them); returns how many changed."""
    query = update(Notice).where(Notice.recipient_id == user.id, Notice.read_at.is_(None))
    if notice_id is not None:
        query = query.where(Notice.id == notice_id)
    changed = session.execute(query.values(read_at=now).execution_options(synchronize_session=False)).rowcount
    session.flush()
    return changed


def add_webhook(session: Session, actor: User, *, name: str, url: str, kinds_wanted: list[str], area: Area,
                now: datetime) -> Webhook:
    """A new webhook with a secret made here (shown once to the admin, kept to sign every POST)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(f"a webhook URL must be http(s)://host…, not {url!r}", reason="bad_url")
    wanted = tuple(kind for kind in kinds.KINDS if kind in kinds_wanted)
    if not wanted:
        raise WebhookError("choose at least one kind of notice", reason="no_kinds")
    hook = Webhook(name=name.strip(), url=url.strip(), secret=secrets.token_hex(32), kinds=wanted, area=area,
                   active=True, created_at=now)
    session.add(hook)
    session.flush()
    audit.record(session, actor, "webhook.add", "webhook", hook.name, at=now, area=area,
                 after={"url": hook.url, "kinds": list(wanted)})
    return hook


def deactivate_webhook(session: Session, actor: User, hook: Webhook, *, now: datetime) -> None:
    hook.active = False
    audit.record(session, actor, "webhook.deactivate", "webhook", hook.name, at=now, area=hook.area)
    session.flush()


def remove_webhook(session: Session, actor: User, hook: Webhook, *, now: datetime) -> None:
    """Remove a hook and its deliveries (their history goes with it)."""
    audit.record(session, actor, "webhook.remove", "webhook", hook.name, at=now, area=hook.area,
                 before={"url": hook.url})
    session.delete(hook)
    session.flush()


def send_test(hook: Webhook, *, now: datetime) -> None:
    """POST a test notice to `hook` now (the admin waits for its answer: that is the point)."""
    payload = {"kind": "test", "about": "test", "title": "Thử webhook", "text": f"Thử webhook “{hook.name}”.",
               "values": {}, "link": None, "created_at": now.isoformat(), "delivery": str(uuid.uuid4())}
    try:
        webhook.post(hook.url, hook.secret, payload, payload["delivery"], now)
    except Exception as exc:  # noqa: BLE001 — any failure is the test's answer
        raise WebhookError(f"the test POST failed: {exc}", reason="test_failed",
                           values={"error": f"{type(exc).__name__}: {exc}"[:300]}) from None
