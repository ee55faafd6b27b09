"""The device API served on loopback with a small world: two communes, three village devices,
real audio, a schedule for today and tomorrow, and a clock the test moves (no sleeping).

Use the `api` fixture (import it into a test module); every test gets a fresh database.
"""
from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import event

from audio_library import probe
from radio import db
from radio.devices.operations import issue_token
from radio.stores import media_store
from radio.models import BroadcastWindow, Device, Episode, MediaFile, ScheduleEntry, Station
from tests.factories import MADE, create_area, create_plan, create_series, create_tree, create_user
from tests.factories.apps import separate_app
from tests.factories.servers import served, throwaway_database

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 24)  # a Tuesday
START = datetime(2026, 11, 24, 4, 0, tzinfo=TZ)
PASSWORD = "mat-khau-123"
EVERY_DAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Clock:
    """The served app's "now" (config CLOCK): tests move it instead of sleeping."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class World:
    tokens: dict[str, str] = field(default_factory=dict)
    entries: dict[str, str] = field(default_factory=dict)  # name -> entry UUID
    media: dict[str, str] = field(default_factory=dict)  # episode code -> sha256


@pytest.fixture(scope="session")
def tones(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    """Three short MP3 files of different content (ffmpeg), probed once."""
    folder = tmp_path_factory.mktemp("tones")
    files = {}
    for code, frequency, seconds in (("ep-1", 440, 3), ("ep-2", 660, 2), ("ep-3", 880, 2)):
        path = folder / f"{code}.mp3"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={seconds}",
                        "-ac", "1", "-ar", "44100", "-b:a", "64k", "-y", str(path)], check=True)
        files[code] = (path, probe(path))
    return files


def _station(session, area, code) -> Station:
    station = Station(code=code, name=f"Đài {area.name}", area=area, schedule_version=1)
    station.windows += [BroadcastWindow(name="sang", days=EVERY_DAY, start_time=time(5, 30), end_time=time(6, 0)),
                        BroadcastWindow(name="chieu", days=EVERY_DAY, start_time=time(17), end_time=time(17, 30))]
    session.add(station)
    session.flush()
    return station


def _media(session, path: Path, info) -> MediaFile:
    stored = media_store().add(path, "mp3")
    row = MediaFile(sha256=stored.sha256, suffix="mp3", bytes=stored.bytes, duration_s=info.duration_s,
                    codec=info.codec, sample_rate=info.sample_rate, channels=info.channels, is_canonical=True,
                    created_at=MADE)
    session.add(row)
    return row


def add_entry(session, station, day: date, at: time, episode=None, **values) -> ScheduleEntry:
    start = datetime.combine(day, at, tzinfo=TZ)
    length = timedelta(seconds=episode.media.duration_s if episode is not None and episode.media else 180)
    values.setdefault("kind", "episode" if episode is not None else "reservation")
    values.setdefault("created_at", MADE)
    values.setdefault("title", episode.title if episode is not None else None)
    entry = ScheduleEntry(station=station, start_at=start, end_at=start + length, local_date=day,
                          window_name="sang" if at < time(12) else "chieu", episode=episode,
                          series=episode.series if episode is not None else None, **values)
    session.add(entry)
    session.flush()
    return entry


def seed(session, tones: dict[str, tuple[Path, object]]) -> World:
    world = World()
    tree = create_tree(session)
    create_area(session, "TH-NT-TK-02", "village", tree["TH-NT-TK"])
    tk, xa = _station(session, tree["TH-NT-TK"], "st-tk"), _station(session, tree["TH-TX-XA"], "st-xa")
    villages = {"loa-01": "TH-NT-TK-01", "loa-02": "TH-NT-TK-02", "loa-xa": "TH-TX-XA-01"}
    from radio.models import Area
    from sqlalchemy import select

    for code, village in villages.items():
        area = session.scalar(select(Area).where(Area.code == village))
        session.add(Device(code=code, area=area, station=tk if village.startswith("TH-NT") else xa))
    session.flush()
    world.tokens = {code: issue_token(session, None, code, now=MADE) for code in villages}
    series = create_series(session, create_plan(session, tree["TH-NT"], "kh-nt"), "cds")
    episodes = {}
    for code, (path, info) in tones.items():
        episodes[code] = Episode(series=series, code=code, title=f"Bản tin Chuyển đổi số {code}", created_at=MADE,
                                 media=_media(session, path, info))
        session.add(episodes[code])
        world.media[code] = episodes[code].media.sha256
    session.flush()
    tomorrow = TODAY + timedelta(days=1)
    rows = {
        "today": add_entry(session, tk, TODAY, time(5, 30), episodes["ep-1"]),
        "reservation": add_entry(session, tk, TODAY, time(5, 40)),
        "cancelled": add_entry(session, tk, TODAY, time(5, 45), episodes["ep-2"], status="cancelled"),
        "village-02": add_entry(session, tk, TODAY, time(17, 0), episodes["ep-2"],
                                target_area_id=session.scalar(select(Area.id).where(Area.code == "TH-NT-TK-02"))),
        "tomorrow": add_entry(session, tk, tomorrow, time(5, 30), episodes["ep-2"]),
        "xa": add_entry(session, xa, TODAY, time(5, 30), episodes["ep-3"]),
    }
    world.entries = {name: str(row.uuid) for name, row in rows.items()}
    create_user(session, "vanhoa", "oversight", tree["TH-NT"], PASSWORD)
    create_user(session, "dai-tk", "operator", tree["TH-NT-TK"], PASSWORD)
    create_user(session, "dai-xa", "operator", tree["TH-TX-XA"], PASSWORD)
    return world


class Api:
    """Real HTTP against the served app, as a device (its token) or anonymously."""

    def __init__(self, base: str, app, clock: Clock, world: World):
        self.base, self.app, self.clock, self.world = base, app, clock, world

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base}/api/v1{path}"

    def headers(self, device: str | None, extra: dict | None = None) -> dict:
        headers = dict(extra or {})
        if device is not None:
            headers["Authorization"] = f"Bearer {self.world.tokens.get(device, device)}"
        return headers

    def get(self, path: str, device: str | None = None, headers: dict | None = None, **kw) -> requests.Response:
        return requests.get(self.url(path), headers=self.headers(device, headers), timeout=30, **kw)

    def head(self, path: str, device: str | None = None, headers: dict | None = None) -> requests.Response:
        return requests.head(self.url(path), headers=self.headers(device, headers), timeout=30)

    def post(self, path: str, device: str | None = None, headers: dict | None = None, **kw) -> requests.Response:
        return requests.post(self.url(path), headers=self.headers(device, headers), timeout=30, **kw)

    def cli(self, *args: str):
        """A `radio` command run in the served app (its database and clock)."""
        with self.app.app_context():
            return self.app.test_cli_runner().invoke(args=list(args))

    @contextmanager
    def session(self):
        """A database session of the served app (committed by the caller, closed after)."""
        with self.app.app_context():
            yield db.session()

    @contextmanager
    def statements(self) -> Iterator[list[tuple[str, bool]]]:
        """The SQL statements the served app sends while the block runs, each with whether it ran
        inside a transaction (psycopg: not in autocommit, so BEGIN and an end were sent with it;
        sqlite3: a transaction open)."""
        engine, sent = self.app.extensions["radio.engine"], []

        def note(connection, _cursor, statement, _params, _context, _many):
            dbapi = connection.connection.dbapi_connection
            in_transaction = dbapi.in_transaction if engine.dialect.name == "sqlite" else not dbapi.autocommit
            sent.append((statement, in_transaction))

        event.listen(engine, "before_cursor_execute", note)
        try:
            yield sent
        finally:
            event.remove(engine, "before_cursor_execute", note)

    def login(self, username: str) -> requests.Session:
        """A signed-in browser-like session with its CSRF token in the X-CSRFToken header."""
        import re

        browser = requests.Session()
        browser.headers["Referer"] = f"{self.base}/login"  # as browsers send it (CSRF checks it over HTTPS)
        page = browser.get(f"{self.base}/login", timeout=30).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
        response = browser.post(f"{self.base}/login", data={"username": username, "password": PASSWORD,
                                                            "csrf_token": token.group(1)}, timeout=30)
        assert response.status_code == 200 and "/login" not in response.url, response.text[:300]
        browser.headers["X-CSRFToken"] = token.group(1)
        return browser


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def serve_api(tmp_path, tones, **config) -> Iterator[Api]:
    """The seeded world served on loopback, with these settings besides the usual ones."""
    clock = Clock(START)
    with throwaway_database(tmp_path) as url, \
            separate_app(tmp_path / "instance", DATABASE_URL=url, MEDIA_DIR=str(tmp_path / "media"),
                         CLOCK=clock, **config) as app:
        with app.app_context():
            world = seed(db.session(), tones)
            db.session().commit()
        with served(app) as base:
            yield Api(base, app, clock, world)


@pytest.fixture
def api(tmp_path, tones):
    with serve_api(tmp_path, tones) as served_api:
        yield served_api


def assert_error(response, status, code=None):
    """An API error: its status, always JSON {"error", "message"}, and the code when given."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "message"} and body["message"]
    if code is not None:
        assert body["error"] == code
    return body
