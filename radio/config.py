"""Settings: defaults, then the instance folder's config.py, then environment variables, then a test's dict."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

# Environment variable -> setting name. Anything not set here keeps its default.
ENVIRONMENT = {
    "DATABASE_URL": "DATABASE_URL",
    "REDIS_URL": "REDIS_URL",
    "RADIO_MEDIA_DIR": "MEDIA_DIR",
    "SECRET_KEY": "SECRET_KEY",
    "RADIO_TIMEZONE": "TIMEZONE",
    "RADIO_MAX_UPLOAD_MB": "MAX_UPLOAD_MB",
    "RADIO_JOBS": "JOBS",
    "RADIO_PROXIES": "PROXIES",
    "RADIO_TTS_ENGINES": "TTS_ENGINES",
}


def defaults(instance_path: Path) -> dict:
    return {
        "DATABASE_URL": f"sqlite:///{instance_path / 'radio.db'}",
        "REDIS_URL": None,
        "MEDIA_DIR": str(instance_path / "media"),
        "TIMEZONE": "Asia/Ho_Chi_Minh",
        "MAX_UPLOAD_MB": 200,
        # How long a reservation for missing content lasts when its requirement gives no duration.
        "RESERVATION_SECONDS": 180,
        # Every airable file is brought to this EBU R128 loudness, peaks kept under the ceiling.
        "LOUDNESS_TARGET_LUFS": -16.0,
        "TRUE_PEAK_DBTP": -1.5,
        # Text-to-speech engines in order of preference; the embedded default works offline.
        # Production with internet: "gtts,espeak-ng" (espeak-ng when Google cannot be reached).
        "TTS_ENGINES": "espeak-ng",
        "TTS_TIMEOUT_S": 15,
        "TTS_VOICES": {"gtts": "vi", "espeak-ng": "vi"},
        # "inline" runs jobs in the calling process; "huey" queues them for `radio worker`.
        "JOBS": "inline",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "LOGIN_RATE_LIMIT": "10 per 5 minutes",
        "PROXIES": 0,  # reverse proxies in front of the app (0: clients connect directly)
        "WTF_CSRF_TIME_LIMIT": None,
    }


def from_environment(environ=os.environ) -> dict:
    settings = {name: environ[var] for var, name in ENVIRONMENT.items() if environ.get(var)}
    if "MAX_UPLOAD_MB" in settings:
        settings["MAX_UPLOAD_MB"] = int(settings["MAX_UPLOAD_MB"])
    if "PROXIES" in settings:
        settings["PROXIES"] = int(settings["PROXIES"])
    return settings


def development_secret(instance_path: Path) -> str:
    """A secret generated once into the instance folder, so none is ever committed."""
    path = instance_path / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()
