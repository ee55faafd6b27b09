"""What the notices' tests share: a real SMTP server (aiosmtpd) and a real webhook receiver
(http.server) on loopback, and people in an area tree to tell."""
from __future__ import annotations

import email
import email.policy
import json
import re
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from radio.auth.operations import set_email
from tests.factories import MADE, create_tree, create_user
from tests.loopback import free_port, serving

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)  # 08:00 in Hà Nội


class Mailbox:
    """The messages an aiosmtpd server on loopback accepted, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@contextmanager
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback until the block ends; yields (its Mailbox, its URL)."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield mailbox, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


def mail_settings(smtp_url: str) -> dict:
    """The app's settings for sending mail through `smtp_url`."""
    return {"SMTP_URL": smtp_url, "MAIL_FROM": "Lịch phát thanh <radio@xa.example.vn>",
            "BASE_URL": "https://radio.example.vn"}


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server on loopback, set as the app's SMTP_URL; yields its Mailbox."""
    with smtp_server() as (mailbox, url):
        for key, value in mail_settings(url).items():
            monkeypatch.setitem(app.config, key, value)
        yield mailbox


class Receiver:
    """A webhook receiver: answers each POST with the next status of `answers` (then 200) and
    keeps what it was sent."""

    def __init__(self, answers=()):
        self.answers = list(answers)
        self.requests: list[tuple[int, dict, bytes]] = []  # (status answered, headers, body)
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)

    def wait_for(self, count: int, timeout: float = 10) -> bool:
        """Wait until `count` POSTs have come (a job run after a page's answer sends from the server's thread)."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.requests) >= count, timeout)

    def delivered(self) -> list[dict]:
        """The bodies answered with 2xx."""
        return [json.loads(body) for status, _headers, body in self.requests if 200 <= status < 300]


@contextmanager
def receiving(receiver: Receiver, port: int = 0):
    """Serve `receiver` on loopback (on `port`, else a free one); yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with receiver.lock:
                status = receiver.answers.pop(0) if receiver.answers else 200
                receiver.requests.append((status, dict(self.headers), body))
                receiver.arrived.notify_all()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    with serving(ThreadingHTTPServer(("127.0.0.1", port), Handler)) as base:
        yield f"{base}/hook"


@pytest.fixture
def people(db):
    """Two communes' operators (with e-mail), an admin of the province, and a disabled user."""
    tree = create_tree(db)
    people = {"tree": tree,
              "admin": create_user(db, "quantri", "admin", tree["TH"]),
              "op": create_user(db, "op-tk", "operator", tree["TH-NT-TK"]),
              "op-xa": create_user(db, "op-xa", "operator", tree["TH-TX-XA"]),
              "gone": create_user(db, "nghi", "operator", tree["TH-NT-TK"])}
    people["gone"].is_active = False
    for key in ("op", "op-xa", "gone"):
        set_email(db, None, people[key], f"{people[key].username}@example.vn", now=MADE)
    db.commit()
    return people


def offline_event(device="Loa thôn 1", since="2026-11-24T00:30:00+00:00") -> dict:
    """emit's keywords for one loudspeaker gone silent."""
    return {"about": f"device-offline:7:{since}", "link": "/devices/loa-01",
            "values": {"device": device, "village": "Thôn 1", "station": "Đài xã Thọ Khê", "since_at": since}}


def notices_of(user) -> list[tuple[str, str, dict]]:
    """(kind, about, values) of each notice `user` was given, oldest first."""
    from sqlalchemy import select

    from radio import db
    from radio.models import Notice

    return [(n.kind, n.about, n.values) for n in db.session().scalars(
        select(Notice).where(Notice.recipient_id == user.id).order_by(Notice.id))]


@pytest.fixture
def told(app):
    """`notices_of` (each test's notices are rolled back with the rest of its data)."""
    return notices_of


def bell(html: str) -> str | None:
    """The unread count a page's bell shows ("" when none), or None without a bell."""
    match = re.search(r'<a class="bell"[^>]*>(.*?)</a>', html, re.S)
    if not match:
        return None
    count = re.search(r'class="bell__count"[^>]*>(\d+)<', match.group(1))
    return count.group(1) if count else ""
