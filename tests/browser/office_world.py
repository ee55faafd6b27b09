"""What the office browser tests add to the served app: two districts of Thanh Hóa, each with a
culture office (oversight), a commune station and village devices, a plan imported through the
import, scheduled before it began, and airings posted through the device API so that one week
is short. Added once per session beside part 1's data (other codes, so its pages do not change).
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from radio import db
from radio.auth.operations import add_user
from radio.auth.web import limiter
from radio.devices.operations import issue_token
from radio.models import Episode, MediaFile, ScheduleEntry, Station
from radio.plans.operations import import_plan
from radio.schedule.operations import build_schedule

from .seed import PASSWORD, TZ

BEFORE_THE_PLAN = datetime(2026, 10, 31, tzinfo=timezone.utc)


def plan_text(district: str, name: str, station: str, plan: str, devices: int = 2) -> str:
    villages = "\n".join(f'  - {{code: "{district}-X-0{n}", name: "Thôn {n}", level: village, parent: "{district}-X"}}'
                         for n in range(1, devices + 1))
    loas = "\n".join(f'  - {{code: "loa-{station}-0{n}", area: "{district}-X-0{n}", station: "{station}"}}'
                     for n in range(1, devices + 1))
    episodes = "\n".join(f'  - {{code: "{plan}-w{n}", series: "cds", title: "Bản tin chuyển đổi số tuần {n}", '
                         f'available_from: "2026-11-02"}}' for n in range(45, 50))
    return f"""version: 1
plan: {{code: "{plan}", title: "Kế hoạch tuyên truyền chuyển đổi số {name} 2026", document: "15/KH-UBND",
       issued_by: "{district}", report_due: "2026-12-10"}}
areas:
  - {{code: "TH", name: "Thanh Hóa", level: province}}
  - {{code: "{district}", name: "{name}", level: district, parent: "TH"}}
  - {{code: "{district}-X", name: "xã trung tâm {name}", level: commune, parent: "{district}"}}
{villages}
stations:
  - code: "{station}"
    name: "Đài truyền thanh xã trung tâm {name}"
    area: "{district}-X"
    windows:
      - {{name: sang, days: [MO, TU, WE, TH, FR, SA], start: "05:30", end: "06:00"}}
      - {{name: chieu, days: [MO, TU, WE, TH, FR, SA], start: "17:00", end: "17:30"}}
devices:
{loas}
series:
  - {{code: cds, title: "Chuyên mục Chuyển đổi số"}}
episodes:
{episodes}
requirements:
  - code: cds-tuan
    series: cds
    stations: ["{station}"]
    period: week
    airings: {{min: 2, max: 2}}
    new_episodes: 1
    days: [TU, TH]
    from: "2026-11-02"
    to: "2026-12-27"
"""


@dataclass(frozen=True)
class OfficeWorld:
    office: str  # the culture office of huyện Nga Sơn
    other_office: str  # the culture office of huyện Hà Trung
    admin: str
    district: str
    other_district: str
    station: str
    plan: str
    tokens: dict[str, str]


_WORLDS: dict[int, OfficeWorld] = {}


@pytest.fixture
def world(site, tmp_path_factory):
    """The office data in the served app. The login rate limit (per address: every test logs in
    from 127.0.0.1) is cleared around each test, so that these extra logins do not lock out the
    tests that come after them."""
    limiter.reset()
    yield office_world(site[2], tmp_path_factory.mktemp("office"))
    limiter.reset()


def office_world(app, tmp_path) -> OfficeWorld:
    if id(app) not in _WORLDS:
        _WORLDS[id(app)] = _seed(app, tmp_path)
    return _WORLDS[id(app)]


def _seed(app, tmp_path) -> OfficeWorld:
    with app.app_context():
        session = db.session()
        for district, name, station, plan in (("TH-NS", "huyện Nga Sơn", "ngason", "ns-2026"),
                                              ("TH-HT", "huyện Hà Trung", "hatrung", "ht-2026")):
            path = tmp_path / f"{plan}.yaml"
            path.write_text(plan_text(district, name, station, plan), encoding="utf-8")
            import_plan(session, path, None, now=BEFORE_THE_PLAN)
        for episode in session.scalars(select(Episode).where(Episode.code.like("%-2026-w%"))):
            episode.media = MediaFile(sha256=hashlib.sha256(episode.code.encode()).hexdigest(), suffix="mp3",
                                      bytes=1000, duration_s=150.0, codec="mp3", sample_rate=44100, channels=1,
                                      created_at=BEFORE_THE_PLAN)
        session.flush()
        build_schedule(session, None, date(2026, 11, 2), date(2026, 12, 6), now=BEFORE_THE_PLAN, tz=TZ,
                       stations={"ngason", "hatrung"})
        add_user(session, None, "vanhoa-ns", PASSWORD, "oversight", "TH-NS", "Phòng Văn hóa huyện Nga Sơn",
                 now=BEFORE_THE_PLAN)
        add_user(session, None, "vanhoa-ht", PASSWORD, "oversight", "TH-HT", "Phòng Văn hóa huyện Hà Trung",
                 now=BEFORE_THE_PLAN)
        add_user(session, None, "quantri", PASSWORD, "admin", "TH", "Quản trị tỉnh", now=BEFORE_THE_PLAN)
        tokens = {code: issue_token(session, None, code, now=BEFORE_THE_PLAN)
                  for code in ("loa-ngason-01", "loa-ngason-02")}
        session.commit()
        _post_airings(app, session, tokens["loa-ngason-01"])
    return OfficeWorld("vanhoa-ns", "vanhoa-ht", "quantri", "TH-NS", "TH-HT", "ngason", "ns-2026", tokens)


def _post_airings(app, session, token: str) -> None:
    """Weeks 45 and 46 aired in full; in week 47 only the Tuesday (the Thursday is short)."""
    entries = session.scalars(select(ScheduleEntry).join(Station).where(
        Station.code == "ngason", ScheduleEntry.local_date <= date(2026, 11, 17),
        ScheduleEntry.kind == "episode").order_by(ScheduleEntry.start_at)).all()
    batch = [{"uuid": str(uuid.uuid4()), "entry_id": str(e.uuid), "started_at": e.start_at.isoformat(),
              "ended_at": e.end_at.isoformat(), "status": "played"} for e in entries]
    response = app.test_client().post("/api/v1/devices/loa-ngason-01/playlogs", data=json.dumps(batch),
                                      headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert response.status_code == 200 and len(response.get_json()["stored"]) == 5, response.get_data(as_text=True)
