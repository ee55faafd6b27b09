"""Notices by webhook: a JSON POST signed with the hook's secret.

Headers: X-Radio-Timestamp (Unix seconds), X-Radio-Signature `sha256=<hex HMAC-SHA256 of
"<timestamp>.<body>" with the secret>` (the timestamp inside the signature lets a receiver refuse
replays), X-Radio-Delivery (the delivery's UUID, the same on every retry, for the receiver's own
de-duplication). Any 2xx answer is delivered; anything else is retried (delivery.py).
"""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

TIMEOUT_S = 5


class WebhookRefused(Exception):
    """The receiver answered, but not with 2xx."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post(url: str, secret: str, payload: dict, delivery_uuid: str, now: datetime) -> None:
    import requests  # here, not on top: every command would pay for it at start

    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(now.timestamp()))
    headers = {"Content-Type": "application/json; charset=utf-8", "X-Radio-Timestamp": timestamp,
               "X-Radio-Signature": signature(secret, timestamp, body), "X-Radio-Delivery": delivery_uuid,
               "User-Agent": "radio-notices"}
    response = requests.post(url, data=body, headers=headers, timeout=TIMEOUT_S, allow_redirects=False)
    if not 200 <= response.status_code < 300:
        raise WebhookRefused(f"HTTP {response.status_code}")
