"""Play logs over MQTT: the topics and the sealed messages a receiver and the server exchange.

A receiver that holds an MQTT connection anyway (poll-now notices) can send its play logs on it
instead of one HTTPS request per batch, and the server takes thousands of them off the broker in
one database transaction (radio/devices/intake.py). The broker is shared by every device, so each
message carries an HMAC-SHA256 of its body under a key the server gave that device alone, over
HTTPS, in its heartbeat answer; the server's acknowledgement is sealed with the same key, so no
other client can make a receiver drop logs that were never stored.

A message is the seal (64 hex digits), a newline, and the JSON body:
- up, on `logs_topic`: {"batch": "<id>", "logs": [the play logs, as POST /playlogs takes them]};
- down, on `acks_topic`: {"batch": "<id>", "stored": [...], "duplicate": [...], "refused": [...]},
  the same outcome as POST /playlogs answers.
"""
from __future__ import annotations

import hashlib
import hmac
import json

SEAL_LENGTH = 64


def logs_topic(prefix: str, device_code: str) -> str:
    return f"{prefix}/devices/{device_code}/playlogs"


def acks_topic(prefix: str, device_code: str) -> str:
    return f"{prefix}/devices/{device_code}/playlogs/ack"


def seal(key: str, body: dict) -> bytes:
    data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return _digest(key, data).encode() + b"\n" + data


def opened(key: str, payload: bytes) -> dict | None:
    """The body, or None when the seal is not this key's (forged, damaged, another device's) or
    the body is not a JSON object."""
    data = payload[SEAL_LENGTH + 1:]
    if payload[SEAL_LENGTH:SEAL_LENGTH + 1] != b"\n" or \
            not hmac.compare_digest(payload[:SEAL_LENGTH], _digest(key, data).encode()):
        return None
    try:
        body = json.loads(data)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _digest(key: str, data: bytes) -> str:
    return hmac.new(key.encode(), data, hashlib.sha256).hexdigest()
