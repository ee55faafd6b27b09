"""Helpers of the office page tests: a test client signed in as a user, and CSRF tokens."""
from __future__ import annotations

import re

from flask.testing import FlaskClient


def client_as(app, user) -> FlaskClient:
    """A client signed in as `user`, each request in an app context of its own (as in production,
    so that one request's signed-in user or session never leaks into the next)."""

    class Client(FlaskClient):
        def open(self, *args, **kwargs):
            with app.app_context():
                return super().open(*args, **kwargs)

    client = Client(app, app.response_class, use_cookies=True)
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
    return client


def csrf_from(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, f"no CSRF field in {url}"
    return match.group(1)


def post_form(client, url: str, data: dict, page: str | None = None, **kwargs):
    """POST `data` with the CSRF token of `page` (default: the same URL)."""
    return client.post(url, data={"csrf_token": csrf_from(client, page or url), **data}, **kwargs)
