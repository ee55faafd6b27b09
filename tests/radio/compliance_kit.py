"""A seed plan imported for real, scheduled, and its airings reported the real ways: devices
posting play logs to the device API (Flask's test client), operators confirming on the CLI.
Time is injected (config CLOCK), so periods can be finished, current or to come."""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from radio.devices.operations import issue_token
from radio.models import Device, Episode, MediaFile, ScheduleEntry, Series, Station
from radio.schedule.operations import build_schedule

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BEFORE_THE_PLAN = datetime(2026, 11, 1, 8, 0, tzinfo=TZ)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), TZ)


@dataclass
class Seeded:
    app: object
    client: object
    runner: object
    db: object
    tokens: dict[str, str] = field(default_factory=dict)

    def set_now(self, now: datetime) -> None:
        self.app.config["CLOCK"] = lambda: now

    def entries(self, station: str, series: str | None = None, first: date = date.min, last: date = date.max):
        query = select(ScheduleEntry).join(Station).where(
            Station.code == station, ScheduleEntry.status == "planned", ScheduleEntry.local_date >= first,
            ScheduleEntry.local_date <= last, ScheduleEntry.kind.in_(("episode", "reservation")))
        if series is not None:
            query = query.join(Series, Series.id == ScheduleEntry.series_id).where(Series.code == series)
        return self.db.scalars(query.order_by(ScheduleEntry.start_at)).all()

    def post_logs(self, device: str, entries, status: str = "played", log_ids: list | None = None) -> dict:
        """Post one log per entry as `device`, through the device API; returns its answer."""
        batch = [{"uuid": str(log_ids[i] if log_ids else uuid.uuid4()), "entry_id": str(e.uuid),
                  "started_at": e.start_at.isoformat(), "ended_at": e.end_at.isoformat(), "status": status}
                 for i, e in enumerate(entries)]
        response = self.client.post(f"/api/v1/devices/{device}/playlogs", data=json.dumps(batch),
                                    headers={"Authorization": f"Bearer {self.token(device)}",
                                             "Content-Type": "application/json"})
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert body["refused"] == [], body["refused"]
        return body

    def post_unscheduled(self, device: str, episode_ref: str, start: datetime) -> dict:
        batch = [{"uuid": str(uuid.uuid4()), "episode": episode_ref, "started_at": start.isoformat(),
                  "status": "played"}]
        response = self.client.post(f"/api/v1/devices/{device}/playlogs", data=json.dumps(batch),
                                    headers={"Authorization": f"Bearer {self.token(device)}",
                                             "Content-Type": "application/json"})
        return response.get_json()

    def token(self, device: str) -> str:
        if device not in self.tokens:
            self.tokens[device] = issue_token(self.db, None, device, now=BEFORE_THE_PLAN)
            self.db.commit()
        return self.tokens[device]

    def cli(self, *args: str):
        return self.runner.invoke(args=[str(a) for a in args])

    def confirm(self, station: str, entries, as_user: str) -> None:
        """Confirm the entries on the CLI, one command per day, as an operator would."""
        by_day: dict[date, list[str]] = {}
        for entry in entries:
            by_day.setdefault(entry.local_date, []).append(str(entry.uuid))
        for day, uuids in sorted(by_day.items()):
            result = self.cli("playlog", "confirm", "--station", station, "--date", day, "--entries", " ".join(uuids),
                              "--as", as_user)
            assert result.exit_code == 0, result.output

    def report(self, area: str, start: date, end: date) -> list[dict]:
        result = self.cli("compliance", "--area", area, "--from", start, "--to", end, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)


def seed(app, client, runner, db, plan_file: str, build_to: date, durations: dict[str, float] | None = None,
         default_s: float = 150.0) -> Seeded:
    """Import the seed plan, give every episode audio of `default_s` seconds (or its entry in
    `durations`), and build the schedule from the plan's start, before it began."""
    result = runner.invoke(args=["import", str(EXAMPLES / plan_file)])
    assert result.exit_code == 0, result.output
    for episode in db.scalars(select(Episode).order_by(Episode.id)):
        if episode.media is None:
            seconds = (durations or {}).get(episode.code, default_s)
            sha = hashlib.sha256(f"{plan_file}/{episode.code}".encode()).hexdigest()
            episode.media = MediaFile(sha256=sha, suffix="mp3", bytes=1000,
                                      duration_s=seconds, codec="mp3", sample_rate=44100, channels=1,
                                      created_at=BEFORE_THE_PLAN)
    db.flush()
    build_schedule(db, None, date(2026, 11, 1), build_to, now=BEFORE_THE_PLAN, tz=TZ)
    db.commit()
    return Seeded(app, client, runner, db)


def devices_of(db, station: str) -> list[str]:
    return list(db.scalars(select(Device.code).join(Station, Station.id == Device.station_id)
                           .where(Station.code == station).order_by(Device.code)))
