"""The real receiver against the real served app (tests/radio/api_kit.py), through a Link the
test can cut, on the app's own clock: a test moves time to the receiver's next wake-up and runs
one tick, so a simulated day takes seconds and nothing sleeps.
"""
from __future__ import annotations

import logging
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from audio_library import probe
from radio.device_client.cli import build
from radio.device_client.receiver import Receiver
from radio.models import Episode, PlayLog, ScheduleEntry, Series, Station
from tests.factories import MADE
from tests.radio.api_kit import TZ, _media, add_entry
from tests.device_client.link import Link

MIN_STEP = timedelta(seconds=1)
DEVICE = "loa-01"


def at(day: date, hour: int, minute: int = 0, second: float = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ) + timedelta(seconds=second)


def run_until(receiver: Receiver, clock, until: datetime, after_tick=None) -> int:
    """Tick, move the clock to the receiver's next wake-up (at least a second on), until `until`."""
    ticks = 0
    while True:
        receiver.tick()
        ticks += 1
        if after_tick is not None:
            after_tick()
        if clock.now >= until:
            return ticks
        clock.now = min(max(receiver.next_wake(), clock.now + MIN_STEP), until)


def run_all(receivers: list[Receiver], clock, until: datetime) -> None:
    """run_until for several receivers on one clock: each ticks, then the clock moves to the
    earliest wake-up of any of them (at least a second on)."""
    while True:
        for receiver in receivers:
            receiver.tick()
        if clock.now >= until:
            return
        clock.now = min(max(min(r.next_wake() for r in receivers), clock.now + MIN_STEP), until)


@pytest.fixture
def link(api):
    relay = Link(api.base)
    yield relay
    relay.close()


@pytest.fixture
def other_link(api):
    """A second receiver's own link, which stays up while the first one's goes down."""
    relay = Link(api.base)
    yield relay
    relay.close()


def start_receiver(api, link: Link, cache: Path, *options: str, device: str = DEVICE, clock=None) -> Receiver:
    """A receiver as `radio-device` builds it from its options (player none)."""
    token_file = cache.parent / f"{device}.token"
    token_file.write_text(api.world.tokens[device] + "\n")
    receiver, _ = build(["--server", link.url, "--code", device, "--token-file", str(token_file),
                         "--cache", str(cache), "--player", "none", *options], clock=clock or api.clock)
    return receiver


def slow_polls(api, seconds: int = 3600) -> None:
    """The server advertises a long poll interval, so that a simulated day is few requests."""
    api.app.config["DEVICE_POLL_SECONDS"] = seconds


def schedule(api, station_code: str, rows: list[tuple[date, time, str]]) -> dict[str, str]:
    """Add entries (day, start, episode code) to a station's schedule; returns "code@HH:MM day" → uuid."""
    made = {}
    with api.session() as session:
        station = session.scalar(select(Station).where(Station.code == station_code))
        for day, start, code in rows:
            episode = session.scalar(select(Episode).where(Episode.code == code))
            made[f"{code}@{start:%H:%M} {day:%d}"] = str(add_entry(session, station, day, start, episode).uuid)
        station.schedule_changed(api.clock.now)
        session.commit()
    return made


def add_episode(api, tmp_path: Path, code: str, seconds: int) -> str:
    """A tone of `seconds` as a new episode of the world's series; returns its sha256."""
    path = tmp_path / f"{code}.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}",
                    "-ac", "1", "-ar", "22050", "-b:a", "16k", "-y", str(path)], check=True)
    return _store_episode(api, code, path, probe(path))


def add_broken_episode(api, tmp_path: Path, code: str, seconds: int) -> str:
    """An episode whose stored "MP3" is not audio at all (damaged after it was checked): it
    downloads and verifies, and the player fails on it. Returns its sha256."""
    path = tmp_path / f"{code}.mp3"
    path.write_bytes(b"not audio at all" * 200)
    return _store_episode(api, code, path, SimpleNamespace(duration_s=float(seconds), codec="mp3",
                                                           sample_rate=22050, channels=1))


def _store_episode(api, code: str, path: Path, info) -> str:
    with api.session() as session:
        series = session.scalar(select(Series).where(Series.code == "cds"))
        episode = Episode(series=series, code=code, title=f"Tin dài {code}", media=_media(session, path, info),
                          created_at=MADE)
        session.add(episode)
        session.commit()
        return episode.media.sha256


def stored_heartbeat(api, device: str = DEVICE) -> dict | None:
    """The latest heartbeat the server keeps for the device."""
    from radio.models import Device

    with api.session() as session:
        return session.scalar(select(Device.heartbeat).where(Device.code == device))


def server_logs(api, device: str = DEVICE) -> list[tuple]:
    """(entry uuid or bulletin, status, started_at, ended_at, note) of every stored play log."""
    from radio.models import Bulletin, Device

    with api.session() as session:
        rows = session.execute(
            select(ScheduleEntry.uuid, Bulletin.uuid, PlayLog.status, PlayLog.started_at, PlayLog.ended_at,
                   PlayLog.note)
            .join(Device, Device.id == PlayLog.device_id)
            .outerjoin(ScheduleEntry, ScheduleEntry.id == PlayLog.entry_id)
            .outerjoin(Bulletin, Bulletin.id == PlayLog.bulletin_id)
            .where(Device.code == device).order_by(PlayLog.started_at, PlayLog.id)).all()
    return [(str(entry or bulletin), status, started, ended, note)
            for entry, bulletin, status, started, ended, note in rows]


def issue_emergency(api, area: str, episode: str = "ep-2") -> str:
    """Issue `episode` as an emergency bulletin to `area` (valid from now); returns its UUID."""
    result = api.cli("bulletin", "issue", "--episode", episode, "--areas", area, "--priority", "emergency",
                     "--as", "vanhoa")
    assert result.exit_code == 0, result.output
    return result.output.split()[1]


def played_sources(caplog) -> list[str]:
    """What the `none` player was asked to play, in order."""
    return [r.getMessage().split("would play ")[1].split(" from ")[0] for r in caplog.records
            if "would play" in r.getMessage()]


def watch_logs(caplog) -> None:
    caplog.set_level(logging.INFO, logger="radio.device_client")
