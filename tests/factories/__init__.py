"""Test data with sensible defaults: each factory adds and flushes, callers override what matters."""
from __future__ import annotations

import itertools
from datetime import date, datetime, time, timezone

from radio.auth.operations import add_user
from radio.models import Area, BroadcastWindow, Device, Plan, Series, Station

_n = itertools.count(1)
# When factory rows are made (created_at, the audit rows): a fixed instant before every test's
# own dates, never the day the suite runs.
MADE = datetime(2026, 10, 1, tzinfo=timezone.utc)


def create_area(session, code=None, level="province", parent=None, name=None) -> Area:
    code = code or f"A{next(_n)}"
    area = Area(code=code, name=name or f"Khu {code}", level=level, parent=parent)
    session.add(area)
    session.flush()
    return area


def create_tree(session) -> dict[str, Area]:
    """A province with two districts, each with a commune and a village (the pre-2025 tiers)."""
    tree = {"TH": create_area(session, "TH", "province")}
    for district, commune in (("TH-NT", "TH-NT-TK"), ("TH-TX", "TH-TX-XA")):
        tree[district] = create_area(session, district, "district", tree["TH"])
        tree[commune] = create_area(session, commune, "commune", tree[district])
        tree[commune + "-01"] = create_area(session, commune + "-01", "village", tree[commune])
    return tree


def create_station(session, area: Area, code=None) -> Station:
    station = Station(code=code or f"st{next(_n)}", name=f"Đài {area.name}", area=area)
    station.windows.append(BroadcastWindow(name="sang", days=("MO", "TU", "WE", "TH", "FR", "SA"),
                                           start_time=time(5, 30), end_time=time(6, 0)))
    session.add(station)
    session.flush()
    return station


def create_device(session, station: Station, area: Area, code=None) -> Device:
    device = Device(code=code or f"loa-{next(_n)}", station=station, area=area)
    session.add(device)
    session.flush()
    return device


def create_plan(session, issued_by: Area, code=None) -> Plan:
    plan = Plan(code=code or f"kh-{next(_n)}", title="Kế hoạch thử", issued_by=issued_by, report_due=date(2026, 12, 15))
    session.add(plan)
    session.flush()
    return plan


def create_series(session, plan: Plan, code="cds") -> Series:
    series = Series(plan=plan, code=code, title="Chuyên mục Chuyển đổi số")
    session.add(series)
    session.flush()
    return series


def create_user(session, username=None, role="operator", area: Area | None = None, password="mat-khau-123",
                now: datetime = MADE):
    return add_user(session, None, username or f"user{next(_n)}", password, role, area.code, now=now)


def create_requirement(session, plan: Plan, series: Series, stations, **values):
    from radio.models import Requirement

    defaults = dict(code=f"req-{next(_n)}", period="week", min_airings=2, max_airings=2, new_episodes=1,
                    days=("TU", "TH"), windows=(), levels=(), min_gap_days=1,
                    date_from=date(2026, 11, 23), date_to=date(2026, 12, 31), priority="normal")
    defaults.update(values)
    requirement = Requirement(plan=plan, series=series, stations=list(stations), **defaults)
    session.add(requirement)
    session.flush()
    return requirement


def create_episode(session, series: Series, code=None, duration_s=150.0, **values):
    """An episode with a media row (no file: the planner needs only the duration)."""
    import hashlib

    from radio.models import Episode, MediaFile

    code = code or f"ep-{next(_n)}"
    media = None
    if duration_s is not None:
        sha = hashlib.sha256(f"{code}/{next(_n)}".encode()).hexdigest()
        media = MediaFile(sha256=sha, suffix="mp3", bytes=1000, duration_s=duration_s, codec="mp3",
                          sample_rate=44100, channels=1, created_at=MADE)
        session.add(media)
    episode = Episode(series=series, code=code, title=f"Bản tin {code}", media=media, **{"created_at": MADE, **values})
    session.add(episode)
    session.flush()
    return episode
