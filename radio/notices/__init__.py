"""Notices: events told to people in the app, by e-mail and by webhook (a shared piece: features
call it, it imports no feature).

`emit` (events.py) records an event's notices and deliveries in the caller's transaction;
`dispatch` then starts the delivery job (delivery.py) off the request: queued with JOBS=huey,
and with JOBS=inline run once the response has been sent (jobs.after_response), so nobody waits
for an SMTP server or a webhook. `radio notices send` delivers what is due; the retry sweep
runs every few minutes among the periodic checks.
"""
from __future__ import annotations

from flask import current_app

from .. import jobs
from . import kinds
from .delivery import deliver_due
from .events import emit

__all__ = ["deliver_due", "dispatch", "emit", "kinds", "page"]


def dispatch() -> None:
    """After the caller's commit: hand pending deliveries to the job queue (never blocks a request)."""
    jobs.after_response(deliver_due)


def page(endpoint: str, **values) -> str:
    """The path of a page for a notice's link, built from its endpoint (so a renamed route fails
    here, not in a reader's browser); works in a job too, where there is no request to build from."""
    add_pages = current_app.extensions.pop("radio.add_pages", None)
    if add_pages is not None and endpoint not in current_app.view_functions:
        add_pages()  # a command's app starts without its pages (radio/cli.py)
    return current_app.url_map.bind("").build(endpoint, values)
