"""The data the browser tests see: two communes (each with a station and an operator), a writer
and an approver of the first, real audio, and a schedule built around the served app's "now".

Built once per test session through the app's own operations, then committed; each test uses
items of its own (or creates them), so the tests do not depend on their order.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from radio import db, lookups
from radio.auth.operations import add_user
from radio.media.library import add_episode_audio
from radio.models import Area, BroadcastWindow, Device, Plan, Requirement, Series, Station
from radio.schedule.operations import build_schedule

PASSWORD = "mat-khau-123"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 24)  # a Tuesday ("Thứ 3")
NOW = datetime(2026, 11, 24, 0, 30, tzinfo=timezone.utc)  # 07:30 in Hà Nội
# Long on purpose: a name like this must wrap, never widen a phone's page.
EVERY_DAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LONG_NAME = "Đài truyền thanh xã Thanh Kỳ huyện Như Thanh tỉnh Thanh Hóa (Trạm phát sóng liên thôn)"


@dataclass(frozen=True)
class Seeded:
    station: str
    other_station: str
    users: dict[str, str]  # role -> username
    other_operator: str
    series_title: str


def _tone(folder: Path, name: str, seconds: float, frequency: int) -> Path:
    path = folder / f"{name}.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=frequency={frequency}:duration={seconds}", str(path)], check=True)
    return path


def _station(session, area: Area, code: str, name: str) -> Station:
    station = Station(code=code, name=name, area=area)
    station.windows.append(BroadcastWindow(name="Sáng", days=EVERY_DAY,
                                           start_time=time(6, 0), end_time=time(6, 30)))
    station.windows.append(BroadcastWindow(name="Chiều", days=EVERY_DAY,
                                           start_time=time(17, 0), end_time=time(17, 30)))
    session.add(station)
    return station


def seed(app, workdir: Path) -> Seeded:
    with app.app_context():
        session = db.session()
        province = Area(code="TH", name="Thanh Hóa", level="province")
        commune = Area(code="TH-TK", name="Xã Thanh Kỳ", level="commune", parent=province)
        other = Area(code="TH-XA", name="Xã Xuân An", level="commune", parent=province)
        village = Area(code="TH-TK-01", name="Thôn Đồng Lạc", level="village", parent=commune)
        session.add_all([province, commune, other, village])
        station = _station(session, commune, "thanhky", LONG_NAME)
        other_station = _station(session, other, "xuanan", "Đài truyền thanh xã Xuân An")
        users = {"operator": "op-tk", "writer": "viet-tk", "approver": "duyet-tk"}
        add_user(session, None, users["operator"], PASSWORD, "operator", commune.code, "Nguyễn Thị Hoa", now=NOW)
        add_user(session, None, users["writer"], PASSWORD, "operator", commune.code, "Trần Văn Viết", now=NOW)
        add_user(session, None, users["approver"], PASSWORD, "approver", commune.code, "Lê Văn Duyệt", now=NOW)
        add_user(session, None, "op-xa", PASSWORD, "operator", other.code, "Phạm Văn An", now=NOW)
        plan = Plan(code="tk-2026", title="Kế hoạch tuyên truyền xã Thanh Kỳ 2026", issued_by=commune,
                    report_due=date(2026, 12, 31))
        series = Series(plan=plan, code="cds", title="Chuyên mục Chuyển đổi số")
        session.add_all([plan, series])
        session.flush()
        operator = lookups.user(session, users["operator"])
        for n, frequency in enumerate((440, 660)):
            add_episode_audio(session, operator, series, _tone(workdir, f"tone{n}", 2 + n, frequency),
                              title=f"Bản tin chuyển đổi số số {n + 1}", code=f"cds-{n + 1}", now=NOW)
        session.add(Requirement(
            plan=plan, series=series, stations=[station, other_station], code="cds-daily", period="day",
            min_airings=2, max_airings=2, new_episodes=0, days=EVERY_DAY,
            windows=(), levels=(), min_gap_days=1,
            date_from=TODAY - timedelta(days=1), date_to=TODAY + timedelta(days=30), priority="normal"))
        security = Series(plan=plan, code="antt", title="Chuyên mục An ninh trật tự")  # no audio yet: reserved airtime
        session.add(Requirement(
            plan=plan, series=security, stations=[station], code="antt-daily", period="day", min_airings=1,
            max_airings=1, new_episodes=0, days=EVERY_DAY, windows=("Chiều",), levels=(), min_gap_days=1,
            date_from=TODAY, date_to=TODAY + timedelta(days=30), priority="normal"))
        session.add(Device(code="loa-dong-lac", name="Loa thôn Đồng Lạc", station=station, area=village))
        session.flush()
        build_schedule(session, None, TODAY, TODAY + timedelta(days=7), now=NOW, tz=TZ)
        session.commit()
        return Seeded(station=station.code, other_station=other_station.code, users=users,
                      other_operator="op-xa", series_title=series.title)
