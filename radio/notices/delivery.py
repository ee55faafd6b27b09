"""The delivery job: sends what is due by e-mail and webhook, each delivery at most once.

A worker claims a delivery with one compare-and-set UPDATE (pending and due → sending) and
commits before sending, so two workers (or a job run twice) never both send it. A failure goes
back to pending after a back-off (BACKOFF), and after the last one stays failed, shown on the
admin page with its error until someone tries it again. A claim that never ended (the worker
died while sending) is marked failed, not sent again on its own: the message may have left.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from schedules.marking import N_

from .. import audit, clock, db
from ..models import Delivery, User
from . import email, webhook
from .kinds import worded

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
STALE_CLAIM = timedelta(minutes=15)
# What the app itself says of a failed delivery: kept as these Vietnamese msgids, shown in the
# reader's language (OWN_ERRORS); a far end's own error is kept as it said it.
INTERRUPTED = N_("Bị ngắt khi đang gửi: có thể đã tới nơi hoặc chưa; nếu bên nhận chưa có, hãy thử lại.")
HOOK_GONE = N_("Webhook đã bị xoá hoặc đã tắt.")
OWN_ERRORS = frozenset({INTERRUPTED, HOOK_GONE})
# A far end's error, kept as "<exception class>: <what it said>", summed up by its kind for the
# admin page (`failure_summary`); the text itself stays beside it for whoever digs further.
CANNOT_CONNECT = N_("Không kết nối được tới nơi nhận.")
TIMED_OUT = N_("Quá thời gian chờ: nơi nhận không trả lời.")
ERROR_STATUS = N_("Nơi nhận trả lời mã lỗi %(status)s.")
MAIL_REFUSED = N_("Máy chủ thư từ chối nhận thư.")
FAILURE_KINDS = {
    CANNOT_CONNECT: {"ConnectionError", "ConnectionRefusedError", "ConnectionResetError", "ConnectionAbortedError",
                     "SSLError", "SSLCertVerificationError", "gaierror", "SMTPConnectError",
                     "SMTPServerDisconnected", "OSError"},
    TIMED_OUT: {"Timeout", "ConnectTimeout", "ReadTimeout", "TimeoutError", "timeout"},
    MAIL_REFUSED: {"SMTPRecipientsRefused", "SMTPSenderRefused", "SMTPDataError", "SMTPAuthenticationError",
                   "SMTPHeloError", "SMTPResponseException", "SMTPNotSupportedError"},
}
STATUS_ANSWER = re.compile(r"WebhookRefused: HTTP (\d{3})")
MAIL_FOOTER = N_("Thư này do hệ thống lịch phát thanh gửi tự động. Chọn những thông báo nhận qua thư tại: "
                 "%(link)s")


def deliver_due(now: datetime | None = None) -> int:
    """The job (queued by notices.dispatch, and by `radio notices send`): sends every delivery
    due at `now`; returns how many were sent."""
    now = now or clock.now()
    session = db.session()
    session.execute(update(Delivery).where(Delivery.status == "sending", Delivery.claimed_at < now - STALE_CLAIM)
                    .values(status="failed", last_error=INTERRUPTED).execution_options(synchronize_session=False))
    session.commit()
    due = session.scalars(select(Delivery.id).where(Delivery.status == "pending", Delivery.next_try_at <= now)
                          .order_by(Delivery.id)).all()
    return sum(_send(session, delivery_id, now) for delivery_id in due if _claim(session, delivery_id, now))


def _claim(session: Session, delivery_id: int, now: datetime) -> bool:
    claimed = session.execute(
        update(Delivery).where(Delivery.id == delivery_id, Delivery.status == "pending", Delivery.next_try_at <= now)
        .values(status="sending", claimed_at=now, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False))
    session.commit()
    return claimed.rowcount == 1


def _send(session: Session, delivery_id: int, now: datetime) -> bool:
    delivery = session.get(Delivery, delivery_id, populate_existing=True)
    try:
        if delivery.channel == "email":
            _email(delivery)
        else:
            _webhook(delivery, now)
    except _HookGone:
        delivery.last_error = HOOK_GONE
        _failed_attempt(delivery, now)
    except Exception as exc:  # noqa: BLE001 — any failure of the far end is kept and retried
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        _failed_attempt(delivery, now)
    else:
        delivery.status, delivery.sent_at = "sent", now
    session.commit()
    return delivery.status == "sent"


def failure_summary(last_error: str | None) -> tuple[str, dict] | None:
    """The kind of a far end's error as (msgid, values) to show in the reader's language, or
    None when it is of no known kind (the page then shows it as it was said)."""
    if not last_error:
        return None
    status = STATUS_ANSWER.fullmatch(last_error)
    if status:
        return ERROR_STATUS, {"status": status.group(1)}
    name = last_error.split(":", 1)[0]
    return next(((msgid, {}) for msgid, names in FAILURE_KINDS.items() if name in names), None)


def _failed_attempt(delivery: Delivery, now: datetime) -> None:
    if delivery.attempts > len(BACKOFF):
        delivery.status = "failed"
    else:
        delivery.status, delivery.next_try_at = "pending", now + BACKOFF[delivery.attempts - 1]


class _HookGone(Exception):
    """The delivery's webhook was removed or turned off before its call went."""


def full_link(path: str | None) -> str | None:
    """A path of the pages as a full URL (BASE_URL), for mail and webhooks read outside the app."""
    base = current_app.config.get("BASE_URL")
    if path is None or not base:
        return path
    return base.rstrip("/") + path


def _vietnamese(notice) -> tuple[str, str]:
    return worded(notice.kind, notice.values, clock.station_tz(), lambda msgid: msgid)


def _email(delivery: Delivery) -> None:
    notice = delivery.notice
    title, text = _vietnamese(notice)
    link = full_link(notice.link)
    body = "\n\n".join(part for part in (text, link, MAIL_FOOTER % {"link": full_link("/notices/preferences")}) if part)
    config = current_app.config
    email.send(config["SMTP_URL"], email.message(config["MAIL_FROM"], notice.recipient.email, title, body))


def _webhook(delivery: Delivery, now: datetime) -> None:
    notice, hook = delivery.notice, delivery.webhook
    if hook is None or not hook.active:
        raise _HookGone()
    title, text = _vietnamese(notice)
    payload = {"kind": notice.kind, "about": notice.about, "title": title, "text": text,
               "values": notice.values, "link": full_link(notice.link),
               "created_at": notice.created_at.isoformat(), "delivery": delivery.uuid}
    webhook.post(hook.url, hook.secret, payload, delivery.uuid, now)


def try_again(session: Session, actor: User, delivery: Delivery, *, now: datetime) -> None:
    """An admin sends a failed delivery again (its back-off starts afresh). Flushes."""
    if delivery.status != "failed":
        return
    delivery.status, delivery.attempts, delivery.next_try_at = "pending", 0, now
    audit.record(session, actor, "notice.retry", "delivery", delivery.uuid, at=now,
                 after={"channel": delivery.channel})
    session.flush()
