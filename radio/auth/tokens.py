"""Bearer tokens (devices, calendar feeds) are random secrets shown once; only their SHA-256 is kept.

SHA-256 (not a slow password hash) is right here: a token is 256 random bits, so there is
nothing to guess, and every API call must check it quickly.
"""
from __future__ import annotations

import hashlib


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
