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
    "RADIO_MEDIA_URL": "MEDIA_URL",
    "RADIO_S3_ENDPOINT_URL": "S3_ENDPOINT_URL",
    "RADIO_MEDIA_LINK_SECONDS": "MEDIA_LINK_SECONDS",
    "RADIO_MEDIA_ACCEL": "MEDIA_ACCEL",
    "RADIO_DEVICE_POLL_FILES_DIR": "DEVICE_POLL_FILES_DIR",
    "RADIO_PLAYLOG_INTAKE": "PLAYLOG_INTAKE",
    "RADIO_EXPORT_DIR": "EXPORT_DIR",
    "SECRET_KEY": "SECRET_KEY",
    "RADIO_TIMEZONE": "TIMEZONE",
    "RADIO_MAX_UPLOAD_MB": "MAX_UPLOAD_MB",
    "RADIO_JOBS": "JOBS",
    "RADIO_JOBS_QUEUE": "JOBS_QUEUE",
    "RADIO_PROXIES": "PROXIES",
    "RADIO_TTS_ENGINES": "TTS_ENGINES",
    "RADIO_TTS_ESPEAK_SPEED_WPM": "TTS_ESPEAK_SPEED_WPM",
    "RADIO_TTS_ESPEAK_PAUSE_MS": "TTS_ESPEAK_PAUSE_MS",
    "MQTT_URL": "MQTT_URL",
    "RADIO_MQTT_TOPIC_PREFIX": "MQTT_TOPIC_PREFIX",
    "SMTP_URL": "SMTP_URL",
    "RADIO_MAIL_FROM": "MAIL_FROM",
    "RADIO_BASE_URL": "BASE_URL",
    "RADIO_DEVICE_POLL_SECONDS": "DEVICE_POLL_SECONDS",
    "RADIO_COMPLIANCE_MIN_DEVICES": "COMPLIANCE_MIN_DEVICES",
    "RADIO_NOTICE_DEVICE_OFFLINE_POLLS": "NOTICE_DEVICE_OFFLINE_POLLS",
    "MAP_TILE_URL": "MAP_TILE_URL",
    "MAP_ATTRIBUTION": "MAP_ATTRIBUTION",
    "RADIO_NOTICE_EMPTY_RESERVATION_DAYS": "NOTICE_EMPTY_RESERVATION_DAYS",
    "RADIO_NOTICE_BULLETIN_UNFETCHED_MINUTES": "NOTICE_BULLETIN_UNFETCHED_MINUTES",
    "RADIO_NOTICE_REPORT_DUE_DAYS": "NOTICE_REPORT_DUE_DAYS",
    "RADIO_CAP_SENDER": "CAP_SENDER",
    "RADIO_PLAYLOG_RETENTION_MONTHS": "PLAYLOG_RETENTION_MONTHS",
    "RADIO_PLAYLOG_ARCHIVE_DIR": "PLAYLOG_ARCHIVE_DIR",
    "RADIO_CAP_SENDER_NAME": "CAP_SENDER_NAME",
}


def defaults(instance_path: Path) -> dict:
    return {
        "DATABASE_URL": f"sqlite:///{instance_path / 'radio.db'}",
        "REDIS_URL": None,
        # The audio store: this folder, or, with MEDIA_URL ("s3://bucket/prefix"), an S3-compatible
        # bucket (credentials from the standard AWS settings; S3_ENDPOINT_URL for a server other than
        # AWS) with this folder as its local cache. Devices fetch the bucket's files by presigned
        # links valid MEDIA_LINK_SECONDS.
        "MEDIA_DIR": str(instance_path / "media"),
        "MEDIA_URL": None,
        "S3_ENDPOINT_URL": None,
        "MEDIA_LINK_SECONDS": 900,
        # "nginx": stored audio and day downloads are sent by nginx (X-Accel-Redirect to its internal
        # locations /internal/media/ → MEDIA_DIR and /internal/exports/ → EXPORT_DIR, deploy/nginx.conf),
        # the app only checks who asks. Day downloads (from two days ago on) are then kept in EXPORT_DIR
        # per schedule version.
        "MEDIA_ACCEL": None,
        "EXPORT_DIR": str(instance_path / "exports"),
        # A folder of one small file per device that nginx serves at /poll/ (deploy/nginx.conf):
        # receivers poll it and call the app only when it changed (radio/devices/poll_files.py).
        # Empty: receivers poll the app itself.
        "DEVICE_POLL_FILES_DIR": None,
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
        # espeak-ng's speed in words per minute (80–450); a change voices scripts afresh.
        "TTS_ESPEAK_SPEED_WPM": 150,
        # Silence after each sentence, in milliseconds (1–3000; 0: espeak-ng's own); stations and areas may
        # choose their own, as they choose their region and speed (radio/voices.py).
        "TTS_ESPEAK_PAUSE_MS": 0,
        # "inline" runs jobs in the calling process; "huey" queues them for `radio worker`.
        "JOBS": "inline",
        # The queue's name: installs sharing one Redis keep their jobs apart by it.
        "JOBS_QUEUE": "radio",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "LOGIN_RATE_LIMIT": "10 per 5 minutes",  # per account and address (radio/accounts/login.py)
        "LOGIN_ADDRESS_RATE_LIMIT": "50 per 5 minutes",  # per address, whatever the accounts
        "PROXIES": 0,  # reverse proxies in front of the app (0: clients connect directly)
        "WTF_CSRF_TIME_LIMIT": None,
        # Devices: how often they are told to poll (emergency bulletins must arrive within a
        # minute); three missed polls and a device counts as offline.
        "DEVICE_POLL_SECONDS": 60,
        "SCHEDULE_DEFAULT_DAYS": 3,
        "SCHEDULE_MAX_DAYS": 14,
        # A play log may claim to start at most this far in the future (device clocks drift).
        "CLOCK_SKEW_SECONDS": 300,
        "API_MAX_BODY_KB": 256,  # JSON bodies of the device API; uploads have their own limit
        "PLAYLOG_BATCH_MAX": 1000,
        # PostgreSQL keeps play logs by month (radio/playlogs/partitions.py): raw logs stay this many
        # months (0: for ever), then each month is written to the archive folder (CSV.gz) and
        # dropped. Entries' "reported played" and frozen compliance reports are kept for ever.
        "PLAYLOG_RETENTION_MONTHS": 36,
        "PLAYLOG_ARCHIVE_DIR": str(instance_path / "playlog-archive"),
        # Signed media links in simple-player playlists stay valid this long after their day ends.
        "MEDIA_TOKEN_GRACE_SECONDS": 2 * 3600,
        # Normal and priority bulletins are placed no sooner than this (devices fetch audio first).
        "BULLETIN_LEAD_SECONDS": 300,
        "BULLETIN_VALID_HOURS": {"normal": 24, "priority": 24, "emergency": 2},
        # Emergency alerts in CAP 1.2 (radio/cap): the largest alert document (audio inside it
        # included) and audio file fetched from its <uri>, the fetch's timeout (each wait for bytes)
        # and its bound (the whole body), and the <sender> of the alerts this product publishes.
        "CAP_MAX_MB": 20,
        "CAP_FETCH_TIMEOUT_S": 10,
        "CAP_FETCH_TOTAL_S": 60,
        "CAP_SENDER": "radio@localhost",
        "CAP_SENDER_NAME": "Hệ thống truyền thanh cơ sở",
        # "mqtt://[user:password@]host[:port]": a "poll now" notice per device; polling works without.
        "MQTT_URL": None,
        "MQTT_TOPIC_PREFIX": "radio",
        # "mqtt": `radio device intake` runs, and heartbeat answers offer receivers to send their play
        # logs over MQTT to it (radio/devices/intake.py); HTTP stays their fallback. Needs MQTT_URL.
        "PLAYLOG_INTAKE": None,
        # Notices by e-mail (radio/notices/email.py): "smtp://[user:password@]host[:port][?starttls=1]"
        # or "smtps://…"; without it, notices stay in the app (and webhooks).
        "SMTP_URL": None,
        "MAIL_FROM": "radio@localhost",
        # The pages' public address ("https://radio.example.vn"): links in e-mail and webhooks.
        "BASE_URL": None,
        # An entry counts as aired when its operator confirmed it or this many of the station's
        # devices reported it played (docs/architecture.md, "Aired").
        "COMPLIANCE_MIN_DEVICES": 1,
        # The station's operators are told when a loudspeaker has missed this many polls (at least
        # the 3 that make it offline), and again when it is back.
        "NOTICE_DEVICE_OFFLINE_POLLS": 3,
        # The loudspeakers map: a tile URL ("https://tile.example/{z}/{x}/{y}.png") and the
        # attribution its provider requires. Without a tile URL the pages show no map.
        "MAP_TILE_URL": None,
        "MAP_ATTRIBUTION": "",
        # Notices of the periodic checks: a reservation still without content this many days
        # before it airs; an emergency bulletin some devices have not fetched this many minutes
        # after it took effect; a report due within this many days and not frozen.
        "NOTICE_EMPTY_RESERVATION_DAYS": 3,
        "NOTICE_BULLETIN_UNFETCHED_MINUTES": 10,
        "NOTICE_REPORT_DUE_DAYS": 3,
    }


_WHOLE_NUMBERS = ("MAX_UPLOAD_MB", "PROXIES", "DEVICE_POLL_SECONDS", "COMPLIANCE_MIN_DEVICES", "TTS_ESPEAK_SPEED_WPM",
                  "TTS_ESPEAK_PAUSE_MS", "NOTICE_DEVICE_OFFLINE_POLLS", "NOTICE_EMPTY_RESERVATION_DAYS", "NOTICE_BULLETIN_UNFETCHED_MINUTES",
                  "NOTICE_REPORT_DUE_DAYS", "MEDIA_LINK_SECONDS",
                  "PLAYLOG_RETENTION_MONTHS")


# The poll intervals the server may advertise: those receivers accept (they refuse the rest). The
# receiver keeps its own copy (radio.device_client.airings.POLL_SECONDS, it imports nothing of
# the server); tests/radio/test_config.py checks that the two agree.
DEVICE_POLL_SECONDS = (5, 86400)

# Whole-number settings checked at start-up: (lowest, highest, unit as the refusal names it).
_RANGES = {
    "DEVICE_POLL_SECONDS": (*DEVICE_POLL_SECONDS, "seconds"),
    "NOTICE_DEVICE_OFFLINE_POLLS": (3, 1440, "polls"),
    "NOTICE_EMPTY_RESERVATION_DAYS": (0, 60, "days"),
    "NOTICE_BULLETIN_UNFETCHED_MINUTES": (1, 1440, "minutes"),
    "NOTICE_REPORT_DUE_DAYS": (0, 90, "days"),
    "MEDIA_LINK_SECONDS": (60, 7 * 86400, "seconds"),  # S3 signs links for a week at most
    "PLAYLOG_RETENTION_MONTHS": (0, 1200, "months"),
}
MEDIA_ACCELS = (None, "", "nginx")
PLAYLOG_INTAKES = (None, "", "mqtt")


def from_environment(environ=os.environ) -> dict:
    settings = {}
    for var, name in ENVIRONMENT.items():
        if not environ.get(var):
            continue
        settings[name] = environ[var]
        if name in _WHOLE_NUMBERS:
            try:
                settings[name] = int(environ[var])
            except ValueError:
                raise ValueError(f"environment variable {var} must be a whole number, not {environ[var]!r}") from None
    return settings


def check(settings) -> None:
    """Refuse, at start-up and saying which, a setting every device or page would trip on later."""
    variables = {name: var for var, name in ENVIRONMENT.items()}
    for name, (low, high, unit) in _RANGES.items():
        value = settings[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name} ({variables[name]}) must be whole {unit} from {low} to {high}, not {value!r}")
    if settings["MEDIA_ACCEL"] not in MEDIA_ACCELS:
        raise ValueError(f"MEDIA_ACCEL (RADIO_MEDIA_ACCEL) is \"nginx\" or empty, not {settings['MEDIA_ACCEL']!r}")
    if settings["PLAYLOG_INTAKE"] not in PLAYLOG_INTAKES:
        raise ValueError("PLAYLOG_INTAKE (RADIO_PLAYLOG_INTAKE) is \"mqtt\" or empty, "
                         f"not {settings['PLAYLOG_INTAKE']!r}")
    if settings["PLAYLOG_INTAKE"] and not settings["MQTT_URL"]:
        raise ValueError("PLAYLOG_INTAKE (RADIO_PLAYLOG_INTAKE) needs a broker: set MQTT_URL too")
    if settings["MEDIA_URL"] and not settings["MEDIA_URL"].startswith("s3://"):
        raise ValueError(f"MEDIA_URL (RADIO_MEDIA_URL) is s3://bucket/prefix, not {settings['MEDIA_URL']!r}")


def development_secret(instance_path: Path) -> str:
    """A secret generated once into the instance folder, so none is ever committed."""
    path = instance_path / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()
