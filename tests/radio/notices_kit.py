"""What the notices' tests share: a real SMTP server (aiosmtpd) and a real webhook receiver
(http.server) on loopback, and people in an area tree to tell."""
from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from radio.auth.operations import set_email
from tests.factories import MADE, create_tree, create_user
from tests.loopback import serving

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)  # 08:00 in Hà Nội


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """The messages an aiosmtpd server on loopback accepted, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server on loopback, set as the app's SMTP_URL; yields its Mailbox."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    monkeypatch.setitem(app.config, "MAIL_FROM", "Lịch phát thanh <radio@xa.example.vn>")
    monkeypatch.setitem(app.config, "BASE_URL", "https://radio.example.vn")
    try:
        yield mailbox
    finally:
        controller.stop()


class Receiver:
    """A webhook receiver: answers each POST with the next status of `answers` (then 200) and
    keeps what it was sent."""

    def __init__(self, answers=()):
        self.answers = list(answers)
        self.requests: list[tuple[int, dict, bytes]] = []  # (status answered, headers, body)
        self.lock = threading.Lock()

    def delivered(self) -> list[dict]:
        """The bodies answered with 2xx."""
        return [json.loads(body) for status, _headers, body in self.requests if 200 <= status < 300]


@contextmanager
def receiving(receiver: Receiver):
    """Serve `receiver` on loopback; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with receiver.lock:
                status = receiver.answers.pop(0) if receiver.answers else 200
                receiver.requests.append((status, dict(self.headers), body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as base:
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
