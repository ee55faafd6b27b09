"""Notices by e-mail: plain text in Vietnamese, through the SMTP server of SMTP_URL.

SMTP_URL is smtp://[user:password@]host[:port] (add ?starttls=1 to upgrade the connection) or
smtps://… (TLS from the start); MAIL_FROM is the sender. The app keeps no language per user (the
pages' language is a cookie of the browser), so mail is in Vietnamese, the pages' first language.
"""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

TIMEOUT_S = 20


def message(sender: str, to: str, subject: str, text: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail.set_content(text)
    return mail


def send(smtp_url: str, mail: EmailMessage) -> None:
    """Hand `mail` to the server (raises smtplib/OSError errors when it is not accepted)."""
    parts = urlsplit(smtp_url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"SMTP_URL must start with smtp:// or smtps://, not {parts.scheme}://")
    host = parts.hostname or "127.0.0.1"
    if parts.scheme == "smtps":
        server = smtplib.SMTP_SSL(host, parts.port or 465, timeout=TIMEOUT_S, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, parts.port or 25, timeout=TIMEOUT_S)
    with server:
        if parse_qs(parts.query).get("starttls") == ["1"]:
            server.starttls(context=ssl.create_default_context())
        if parts.username:
            server.login(unquote(parts.username), unquote(parts.password or ""))
        server.send_message(mail)
