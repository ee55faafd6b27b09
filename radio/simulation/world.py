"""The simulated province: communes, stations, villages, devices, series, episodes and
requirements, drawn from one seeded `random.Random`, as the plan document the office imports.

Every shape of requirement the seed plans use is here (examples/*.yaml): a weekly column on
set weekdays with one new item, a monthly programme with one new item and replays spaced by
`min_gap_days`, a campaign aired twice a day, slogans counted over the whole campaign, and a
1–2 a week programme with a duration range. The episode supply has gaps (weeks with nothing)
and late arrivals (an item that reaches the office days after its week began), so the planner
has reservations to hold and needs to report.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from pathlib import Path

import yaml

from schedules.planfile import (
    AreaSpec, BlockSpec, DeviceSpec, EpisodeSpec, PlanDocument, PlanSpec, RequirementSpec, ScriptSpec,
    SeriesSpec, StationSpec, WindowSpec, dump_plan,
)

PLAN = "mo-phong"
PROVINCE = "MP"
TIMEZONE = "Asia/Ho_Chi_Minh"
ALL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WORK_DAYS = ALL_DAYS[:6]
NAMES = ("An Bình", "Hòa Lạc", "Tân Phú", "Minh Đức", "Phú Xuân", "Đồng Tâm", "Quảng Tiến", "Hưng Long",
         "Thạch Sơn", "Yên Hòa", "Vĩnh Phúc", "Hải Đường", "Cẩm Thủy", "Tiên Lữ", "Nam Hồng", "Kim Liên")


@dataclass(frozen=True)
class Tones:
    """The few audio files every episode reuses (made once per run, see tones.py), by length."""

    short: Path    # slogans, 10 s
    column: Path   # weekly column, campaign programmes, bulletins, 20 s
    monthly: Path  # monthly programme, 30 s
    long: Path     # the programme with a 40–60 s duration rule, 50 s


@dataclass(frozen=True)
class Commune:
    index: int
    area: str
    station: str
    villages: tuple[str, ...]
    devices: tuple[str, ...]  # one per village; none at an operator-only station


@dataclass(frozen=True)
class LateEpisode:
    """An episode that is not in the first plan file: the office uploads its audio on `arrives`."""

    series: str
    code: str
    title: str
    tone: str  # a field of Tones
    available_from: date
    expires: date
    arrives: date


@dataclass
class World:
    seed: int
    start: date
    end: date
    campaign: tuple[date, date]
    communes: list[Commune]
    document: PlanDocument
    late: list[LateEpisode] = field(default_factory=list)
    scripted: str | None = None  # code of the plan-file episode that has only a script

    @property
    def stations(self) -> list[str]:
        return [c.station for c in self.communes]

    def commune_of(self, station: str) -> Commune:
        return next(c for c in self.communes if c.station == station)


def make_world(seed: int, communes: int, start: date, days: int, tones: Tones) -> World:
    """The province for `seed`; the plan runs over the season [start, start + days − 1]."""
    rng = random.Random(seed)
    end = start + timedelta(days=days - 1)
    offset = min(max(days // 3, 0), max(days - 10, 0))
    campaign = (start + timedelta(days=offset), min(start + timedelta(days=offset + 9), end))
    made = [_commune(i, rng) for i in range(1, communes + 1)]
    stations = tuple(_station(c, rng, start, end) for c in made)
    areas = [AreaSpec(PROVINCE, "tỉnh Mô Phỏng", "province", None)]
    for c in made:
        areas.append(AreaSpec(c.area, f"xã {NAMES[(c.index - 1) % len(NAMES)]} {c.index}", "commune", PROVINCE))
        areas += [AreaSpec(v, f"Thôn {n}", "village", c.area) for n, v in enumerate(c.villages, 1)]
    devices = tuple(DeviceSpec(d, v, c.station) for c in made for v, d in zip(c.villages, c.devices))
    series = (SeriesSpec("cds", "Chuyên mục Chuyển đổi số"), SeriesSpec("thang", "Chương trình tháng"),
              SeriesSpec("cd", "Đợt cao điểm Ngày Chuyển đổi số"), SeriesSpec("khau-hieu", "Khẩu hiệu"),
              SeriesSpec("xa", "Chương trình phát thanh xã"), SeriesSpec("tin", "Tin thông báo"))
    episodes, late = _episodes(rng, start, end, campaign, tones)
    scripted = EpisodeSpec("cds-loi-keu-goi", "cds", "Lời kêu gọi tham gia chuyển đổi số", None,
                           ScriptSpec("Bà con hãy cài đặt ứng dụng định danh điện tử để làm thủ tục trực tuyến."),
                           start, end)
    codes = [c.station for c in made]
    requirements = (
        RequirementSpec("cds-tuan", "cds", (), (PROVINCE,), ("commune",), "week", 2, 2, 1, ("TU", "TH"), (),
                        None, None, 1, start, end, "normal", None),
        RequirementSpec("thang", "thang", tuple(codes[::2]), (), (), "month", 3, 3, 1, ALL_DAYS, (), None, None,
                        5, start, end, "normal", None),
        RequirementSpec("cd-ngay", "cd", (), (PROVINCE,), ("commune",), "day", 2, None, 0, ALL_DAYS, (), None,
                        None, 1, campaign[0], campaign[1], "priority", None),
        RequirementSpec("khau-hieu", "khau-hieu", (), (PROVINCE,), ("commune",), "campaign", 10, None, 0, ALL_DAYS,
                        (), None, None, 1, campaign[0], campaign[1], "normal", None),
        RequirementSpec("xa-tuan", "xa", tuple(codes[1::2]) or tuple(codes), (), (), "week", 1, 2, 1, ALL_DAYS, (),
                        40, 60, 1, start, end, "normal", None),
    )
    document = PlanDocument(
        version=1, timezone=TIMEZONE,
        plan=PlanSpec(PLAN, "Kế hoạch mô phỏng một mùa phát thanh", None, PROVINCE, end + timedelta(days=10)),
        areas=tuple(areas), stations=stations, devices=devices, series=series,
        episodes=tuple(episodes) + (scripted,), requirements=requirements)
    return World(seed, start, end, campaign, made, document, late, scripted.code)


def _commune(index: int, rng: random.Random) -> Commune:
    """Every third commune has no loudspeaker devices: its operator ticks "đã phát" instead."""
    area = f"{PROVINCE}-{index:02d}"
    villages = tuple(f"{area}-{n:02d}" for n in range(1, rng.randint(1, 3) + 1))
    devices = () if index % 3 == 2 else tuple(f"loa-{index:02d}-{n:02d}" for n in range(1, len(villages) + 1))
    return Commune(index, area, f"xa-{index:02d}", villages, devices)


def _station(c: Commune, rng: random.Random, start: date, end: date) -> StationSpec:
    """Morning and afternoon windows (some stations air on Sundays too), a relay block at the
    start of the morning, and one or two closed days in the season."""
    days = ALL_DAYS if rng.random() < 0.5 else WORK_DAYS
    morning = time(5, rng.choice((30, 45)))
    windows = (WindowSpec("sang", days, morning, time(morning.hour + 1, morning.minute - 30), None, None),
               WindowSpec("chieu", days, time(17, 0), time(17, 30), None, None))
    span = (end - start).days
    closed = tuple(sorted({start + timedelta(days=rng.randint(1, max(span, 1))) for _ in range(rng.randint(1, 2))}))
    relay = BlockSpec("sang", morning, "relay", "Tiếp sóng Đài Phát thanh tỉnh", "http://example.invalid/relay/tinh",
                      rng.choice((300, 600)))
    return StationSpec(c.station, f"Đài truyền thanh xã {NAMES[(c.index - 1) % len(NAMES)]} {c.index}", c.area,
                       windows, closed, (relay,))


def _mondays(start: date, end: date) -> list[date]:
    first = start - timedelta(days=start.weekday())
    return [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]


def _months(start: date, end: date) -> list[date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _episodes(rng: random.Random, start: date, end: date, campaign: tuple[date, date],
              tones: Tones) -> tuple[list[EpisodeSpec], list[LateEpisode]]:
    """Weekly items of the column and of the commune programme, with a gap week each and a late
    week of the column; one monthly programme a month; campaign programmes and slogans; notices
    for bulletins."""
    episodes, late = [], []
    weeks = _mondays(start, end)
    gaps = {rng.choice(weeks[1:])} if len(weeks) > 2 else set()
    late_weeks = {rng.choice([w for w in weeks[1:] if w not in gaps])} if len(weeks) > 3 else set()
    for n, monday in enumerate(weeks, 1):
        expires = monday + timedelta(days=27)
        if monday not in gaps:
            spec = EpisodeSpec(f"cds-{monday:%Y-%m-%d}", "cds", f"Chuyển đổi số tuần {n}", tones.column, None,
                               monday, expires)
            if monday in late_weeks:
                late.append(LateEpisode("cds", spec.code, spec.title, "column", monday, expires,
                                        monday + timedelta(days=rng.randint(1, 3))))
            else:
                episodes.append(spec)
        if monday not in gaps or rng.random() < 0.5:
            episodes.append(EpisodeSpec(f"xa-{monday:%Y-%m-%d}", "xa", f"Chương trình xã tuần {n}", tones.long, None,
                                        monday, expires))
    for month in _months(start, end):
        episodes.append(EpisodeSpec(f"thang-{month:%Y-%m}", "thang", f"Chương trình tháng {month:%m/%Y}",
                                    tones.monthly, None, month, month + timedelta(days=45)))
    for n in range(1, 4):
        episodes.append(EpisodeSpec(f"cd-{n}", "cd", f"Ngày Chuyển đổi số, phần {n}", tones.column, None,
                                    campaign[0], campaign[1]))
    for n in range(1, 3):
        episodes.append(EpisodeSpec(f"khau-hieu-{n}", "khau-hieu", f"Khẩu hiệu {n}", tones.short, None,
                                    campaign[0], campaign[1]))
    for n in range(1, 5):
        episodes.append(EpisodeSpec(f"tin-{n}", "tin", f"Thông báo số {n}", tones.column, None, start, end))
    return episodes, late


def record(doc: PlanDocument, section: str, code: str) -> dict:
    """One record of the document as the plan file writes it, for the office's edit forms."""
    written = yaml.safe_load(dump_plan(replace(doc, episodes=())))
    return next(r for r in written[section] if r["code"] == code)


def with_village(world: World, station: str) -> tuple[str, str]:
    """One more village, with its loudspeaker, in `station`'s commune: (village, device) codes."""
    commune = world.commune_of(station)
    number = len(commune.villages) + 1
    village, device = f"{commune.area}-{number:02d}", f"loa-{commune.index:02d}-{number:02d}"
    grown = replace(commune, villages=commune.villages + (village,), devices=commune.devices + (device,))
    world.communes[world.communes.index(commune)] = grown
    doc = world.document
    world.document = replace(doc, areas=doc.areas + (AreaSpec(village, f"Thôn {number}", "village", commune.area),),
                             devices=doc.devices + (DeviceSpec(device, village, station),))
    return village, device


def with_requirement_edit(world: World) -> str:
    """The monthly programme asks for 2 airings instead of 3 (a revised plan); its code."""
    doc = world.document
    world.document = replace(doc, requirements=tuple(
        replace(r, min=2, max=2) if r.code == "thang" else r for r in doc.requirements))
    return "thang"


def with_window_edit(world: World, station: str) -> str:
    """`station`'s afternoon window runs 15 minutes longer; the station's code."""
    doc = world.document
    world.document = replace(doc, stations=tuple(
        replace(s, windows=tuple(replace(w, end=time(17, 45)) if w.name == "chieu" else w for w in s.windows))
        if s.code == station else s for s in doc.stations))
    return station
