"""Browser tests: the app served on loopback against a fresh SQLite database, driven by Debian's
chromium through Playwright's sync API (never `playwright install`).

One browser and one served app per test session (starting chromium costs more than most
tests); each test gets a fresh browser context (its own cookies) and logs in as the role it
needs; every page it loads is checked for untranslated messages and raw codes (words.py).
`shoot(page, name)` saves full-page screenshots at phone and desktop width into
artefacts/screenshots/ (gitignored), as the artefacts a reviewer looks at.

These run once, on SQLite: the pages' database work is the same code the `db` tests run on
PostgreSQL.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from radio import schema
from radio.db import make_engine
from tests.factories.apps import separate_app
from tests.factories.servers import served

from .seed import NOW, PASSWORD, Seeded, seed
from .words import assert_words, watch_words

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artefacts" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}
# The browser keeps the machine's clock while the suite's second pass moves the app's
# (tests/clock_shift): a session cookie the app dates on its own clock must still be alive on
# the browser's, however far back the app's clock was moved.
SESSION_LIFETIME = timedelta(days=abs(int(os.environ.get("RADIO_TEST_CLOCK_SHIFT_DAYS") or 0)), hours=8)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """(base URL, seeded names, the app) of the app served for the whole session."""
    workdir = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{workdir / 'browser.db'}"
    engine = make_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    with separate_app(workdir / "instance", DATABASE_URL=url, MEDIA_DIR=str(workdir / "media"),
                      CLOCK=lambda: NOW, TESTING=False, PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
                      LOGIN_RATE_LIMIT="1000 per minute") as app:  # every test logs in from 127.0.0.1
        seeded = seed(app, workdir)
        with served(app) as base_url:
            yield base_url, seeded, app


@pytest.fixture(scope="session")
def base_url(site) -> str:
    return site[0]


@pytest.fixture(scope="session")
def seeded(site) -> Seeded:
    return site[1]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, base_url: str):
    """A page of a fresh context; every page it loads is checked for words no reader should see
    (words.py), and the test fails at its end if one had any."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, accept_downloads=True, locale="vi-VN")
    context.set_default_timeout(15_000)
    problems = watch_words(context)
    page = context.new_page()
    yield page
    try:
        if not page.is_closed():
            assert_words(page)  # as the test left it (what scripts changed too); the queued reports arrive
    finally:
        context.close()
    assert not problems, "pages showed words no reader should see:\n" + "\n".join(problems)


@pytest.fixture
def log_in(page: Page, seeded: Seeded):
    """log_in("operator" | "writer" | "approver" | a username): the page is then logged in."""

    def log_in_as(who: str) -> Page:
        username = seeded.users.get(who, who)
        page.goto("/login")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, f"{username} could not log in"
        return page

    return log_in_as


def shoot(page: Page, name: str) -> list[Path]:
    """Full-page screenshots of the current page at phone and desktop width; the viewport is restored.
    None with the clock moved (the suite's second pass): the pictures are of today's pages, taken
    by the first pass beside it."""
    if os.environ.get("RADIO_TEST_CLOCK_SHIFT_DAYS"):
        return []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    paths = []
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(before)
    return paths


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no horizontal scroll)."""
    page.wait_for_load_state("load")  # measured before the stylesheet applies, any table overflows
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
