"""What the loudspeakers browser tests add to the served app: a district with one commune
station and four villages, whose receivers are in each state the page shows (one reporting,
one silent since yesterday with an earlier outage, one never seen, one retired), and an
operator of the station. Added once per session, under codes of its own."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from radio import db
from radio.auth.operations import add_user
from radio.auth.web import limiter
from radio.models import Device, OfflinePeriod
from radio.plans.operations import import_plan

from .seed import NOW, PASSWORD

VILLAGES = (("01", "Thôn Đông", 19.701, 105.912), ("02", "Thôn Tây", 19.705, 105.903),
            ("03", "Thôn Nam", 19.694, 105.909), ("04", "Thôn Bắc", 19.712, 105.915))
PLAN = """version: 1
plan: {code: "hh-2026", title: "Kế hoạch loa thôn huyện Hoằng Hóa 2026", issued_by: "TH-HH"}
areas:
  - {code: "TH", name: "Thanh Hóa", level: province}
  - {code: "TH-HH", name: "huyện Hoằng Hóa", level: district, parent: "TH"}
  - {code: "TH-HH-X", name: "xã Quảng Bình", level: commune, parent: "TH-HH"}
%(villages)s
stations:
  - code: "quangbinh"
    name: "Đài truyền thanh xã Quảng Bình"
    area: "TH-HH-X"
    windows:
      - {name: sang, days: [MO, TU, WE, TH, FR, SA], start: "05:30", end: "06:00"}
devices:
%(devices)s
"""


@dataclass(frozen=True)
class SpeakersWorld:
    operator: str
    office: str
    station: str
    district: str


_WORLDS: dict[int, SpeakersWorld] = {}


@pytest.fixture
def speakers(site, tmp_path_factory):
    limiter.reset()
    app = site[2]
    if id(app) not in _WORLDS:
        _WORLDS[id(app)] = _seed(app, tmp_path_factory.mktemp("speakers"))
    yield _WORLDS[id(app)]
    limiter.reset()


def _seed(app, tmp_path) -> SpeakersWorld:
    villages = "\n".join(f'  - {{code: "TH-HH-X-{n}", name: "{name}", level: village, parent: "TH-HH-X"}}'
                         for n, name, _, _ in VILLAGES)
    devices = "\n".join(f'  - {{code: "loa-qb-{n}", area: "TH-HH-X-{n}", station: "quangbinh", lat: {lat}, lon: {lon}}}'
                        for n, _, lat, lon in VILLAGES)
    path = tmp_path / "hh.yaml"
    path.write_text(PLAN % {"villages": villages, "devices": devices}, encoding="utf-8")
    with app.app_context():
        session = db.session()
        import_plan(session, path, None, now=NOW - timedelta(days=20))
        found = {d.code: d for d in session.scalars(select(Device).where(Device.code.like("loa-qb-%")))}
        online, silent, retired = found["loa-qb-01"], found["loa-qb-02"], found["loa-qb-04"]
        online.last_seen_at, online.status, online.heartbeat_at = NOW - timedelta(seconds=20), "online", NOW
        online.heartbeat = {"volume": 70, "free_disk_bytes": 5_200_000_000, "cached_items": 18, "firmware": "1.4.2",
                            "clock_offset_s": 0.8, "now_playing": {"id": "a", "title": "Bản tin sáng", "position_s": 30},
                            "uptime_s": 3 * 86400 + 5 * 3600, "player_running": True,
                            "network": {"type": "cellular", "signal_dbm": -87}}
        silent.last_seen_at, silent.status = NOW - timedelta(hours=20), "offline"
        session.add_all([OfflinePeriod(device=silent, offline_from=NOW - timedelta(days=6),
                                       back_at=NOW - timedelta(days=5, hours=12)),
                         OfflinePeriod(device=silent, offline_from=NOW - timedelta(hours=20))])
        retired.retired_on, retired.last_seen_at, retired.status = date(2026, 11, 20), NOW - timedelta(days=5), "offline"
        add_user(session, None, "op-qb", PASSWORD, "operator", "TH-HH-X", "Lê Thị Loa", now=NOW)
        add_user(session, None, "vanhoa-hh", PASSWORD, "oversight", "TH-HH", "Phòng Văn hóa huyện Hoằng Hóa",
                 now=NOW)
        session.commit()
    return SpeakersWorld("op-qb", "vanhoa-hh", "quangbinh", "TH-HH")
