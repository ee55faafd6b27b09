"""The Flask shell around the pure cores: models, persistence, HTTP (web + API), CLI and jobs."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict | None = None, *, pages: bool = True) -> Flask:
    """App factory: defaults, then instance/config.py, then environment, then the test's dict.

    Without `pages` the pages and the API are left out: a `radio` command needs neither, and
    importing every feature's handlers would cost each command a second at start.
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
    from . import jobs, notify, ui  # noqa: F401 (notify: schedule changes told to devices over MQTT)
    from .cli import CommandGroup

    jobs.init_app(app, _JOBS, _PERIODIC)
    notify.init_app(app, _TOLD)
    ui.init_app(app)

    def add_pages():
        from . import api
        from .auth.web import init_app as init_auth

        init_auth(app)
        ui.init_pages(app)
        api.init_app(app)
        for blueprint in _blueprints():
            app.register_blueprint(blueprint)

    if pages:
        add_pages()
    else:  # a command that needs a page's address (a notice's link) adds them then, once
        app.extensions["radio.add_pages"] = add_pages
    app.cli = CommandGroup(app.name)
    return app


def _blueprints() -> list:
    """Every feature's pages and API handlers (each feature's pages.py and api.py define `bp`)."""
    from .accounts import pages as accounts
    from .bulletins import api as bulletins_api, pages as bulletins
    from .cap import api as cap_api, pages as cap
    from .compliance import api as compliance_api, pages as compliance
    from .devices import api as devices_api, pages as devices, poll_files
    from .exports import pages as exports
    from .health import pages as health
    from .inbox import pages as inbox
    from .media import api as media_api, pages as media
    from .plans import pages as plans
    from .schedule import pages as schedule
    from .scripts import pages as scripts
    from .today import pages as today

    return [module.bp for module in (health, today, exports, scripts, media, accounts, compliance, plans, schedule,
                                     bulletins, cap, devices, devices_api, media_api, bulletins_api, cap_api,
                                     compliance_api, inbox, poll_files)]


# Every feature's background jobs, queued by reference to these functions (imported on first use).
_JOBS = ("radio.scripts.jobs:voice_script_job", "radio.schedule.jobs:rebuild_schedules",
         "radio.notices:deliver_due", "radio.notify:poll_now",
         "radio.notify:poll_stations")

# Called with the devices told to poll now (notify.poll_now), before the MQTT notices go.
_TOLD = ("radio.devices.poll_files:write_for_devices",)

# The cron-free clock: (check, huey.crontab's arguments) that `radio worker` runs on time and
# `radio notices check` runs once. Each check reads the clock, commits, then notices.dispatch().
_PERIODIC = (("radio.devices.jobs:check_devices", {}),  # every minute: a silent loudspeaker is news
             ("radio.devices.poll_files:refresh_poll_files", {}),  # the day turning, bulletins expiring
             ("radio.bulletins.jobs:check_unfetched_bulletins", {}),
             ("radio.cap.jobs:pull_cap_feeds", {}),  # alerts from the sources' feeds within a minute
             ("radio.schedule.jobs:check_empty_reservations", {"minute": "*/15"}),
             ("radio.compliance.jobs:check_due_reports", {"minute": "7"}),  # hourly
             ("radio.notices:deliver_due", {"minute": "*/5"}),  # retries whose back-off has passed
             ("radio.playlogs.jobs:keep_play_log_months", {"minute": "23", "hour": "2"}))  # daily
