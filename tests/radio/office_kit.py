"""Helpers of the office page tests: a test client signed in as a user (through the login form)."""
from __future__ import annotations

from flask.testing import FlaskClient

from tests.radio.web_kit import RequestScopedClient, csrf_token, log_in, post_form  # noqa: F401  (re-exported)


def client_as(app, user) -> FlaskClient:
    """A client signed in as `user` (a User or a username; the factories' default password), or
    anonymous when None."""
    client = RequestScopedClient(app, app.response_class, use_cookies=True)
    if user is not None:
        log_in(client, getattr(user, "username", user))
    return client


def csrf_from(client, url: str) -> str:
    return csrf_token(client.get(url).get_data(as_text=True))
