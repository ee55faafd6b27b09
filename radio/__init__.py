"""The Flask shell around the pure cores: models, persistence, HTTP (web + API), CLI and jobs."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """App factory: defaults, then instance/config.py, then environment, then the test's dict.

    Flask is imported here, not at the top: `radio.device_client` lives in this package and
    runs on receivers that have only `requests` installed."""
    from flask import Flask

    from . import config, db

    project_root = Path(__file__).resolve().parent.parent
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("RADIO_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=str(instance_path) if instance_path else None,
        instance_relative_config=True,
        template_folder=str(project_root / "templates"),
        static_folder=str(project_root / "static"),
    )
    from .row_ids import RowIdConverter

    app.url_map.converters["int"] = RowIdConverter  # before any rule is added
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config.defaults(instance))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    config.check(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.development_secret(instance)
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    if app.config["PROXIES"]:
        # Behind a reverse proxy the client's address (rate limits, logs) is in X-Forwarded-For.
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    db.init_app(app)
    from . import api, jobs, ui
    from .auth import init_app as init_auth
    from .cli import register_commands

    jobs.init_app(app, _jobs())
    for fn, crontab in _periodic():
        jobs.register_periodic(app, fn, crontab)
    ui.init_app(app)
    init_auth(app)
    api.init_app(app)
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    register_commands(app)
    return app


def _blueprints() -> list:
    """Every feature's pages and API handlers (each feature's pages.py and api.py define `bp`)."""
    from .accounts import pages as accounts
    from .bulletins import api as bulletins_api, pages as bulletins
    from .compliance import api as compliance_api, pages as compliance
    from .devices import api as devices_api, pages as devices
    from .exports import pages as exports
    from .health import pages as health
    from .inbox import pages as inbox
    from .media import api as media_api, pages as media
    from .plans import pages as plans
    from .schedule import pages as schedule
    from .scripts import pages as scripts
    from .today import pages as today

    return [module.bp for module in (health, today, exports, scripts, media, accounts, compliance, plans, schedule,
                                     bulletins, devices, devices_api, media_api, bulletins_api, compliance_api, inbox)]


def _jobs() -> list:
    """Every feature's background jobs, queued by reference to these functions."""
    from .notices import deliver_due
    from .notify import poll_now
    from .schedule.jobs import rebuild_schedules
    from .scripts.jobs import voice_script_job

    return [voice_script_job, rebuild_schedules, deliver_due, poll_now]


def _periodic() -> list:
    """The cron-free clock: (check, huey.crontab) pairs that `radio worker` runs on time and
    `radio notices check` runs once. Each check reads the clock, commits, then notices.dispatch()."""
    from huey import crontab

    from .bulletins.jobs import check_unfetched_bulletins
    from .compliance.jobs import check_due_reports
    from .devices.jobs import check_devices
    from .notices import deliver_due
    from .schedule.jobs import check_empty_reservations

    return [(check_devices, crontab()),  # every minute: a silent loudspeaker is news
            (check_unfetched_bulletins, crontab()),
            (check_empty_reservations, crontab(minute="*/15")),
            (check_due_reports, crontab(minute="7")),  # hourly
            (deliver_due, crontab(minute="*/5"))]  # retries whose back-off has passed
