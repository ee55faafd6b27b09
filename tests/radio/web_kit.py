"""What the web page tests share: a client with an app context per request, CSRF tokens, login."""
from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

PASSWORD = "mat-khau-123"


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


class RequestScopedClient(FlaskClient):
    """Each request in an app context of its own, as in production (no user cached across requests)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def web(app):
    return RequestScopedClient(app, app.response_class, use_cookies=True)


def log_in(client, username: str, password: str = PASSWORD):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def post_form(client, url: str, data: dict, page: str | None = None, **kwargs):
    """POST `data` with the CSRF token read from `page` (default: the URL itself)."""
    token = csrf_token(client.get(page or url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def post_login(client, username, password, next_=None, environ_base=None):
    """GET the form, then POST it with its CSRF token (from `environ_base`'s address if given)."""
    extra = {"environ_base": environ_base} if environ_base else {}
    token = csrf_token(client.get("/login", **extra).get_data(as_text=True))
    url = "/login" if next_ is None else "/login?" + next_
    return client.post(url, data={"csrf_token": token, "username": username, "password": password}, **extra)
