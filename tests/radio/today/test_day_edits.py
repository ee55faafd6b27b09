"""Hand edits on the day pages and airings off the schedule, through the test client: each edit,
each refusal (in Vietnamese, on the page, nothing stored), who may, the audit rows, and that a
rebuild keeps what was edited."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from radio.compliance.operations import compliance_report
from radio.models import AuditLog, BroadcastWindow, ClosedDate, FixedBlock, PlayLog, ScheduleEntry
from radio.schedule.free_time import check_free
from radio.schedule.operations import build_schedule
from tests.factories import (
    create_area, create_episode, create_plan, create_requirement, create_series, create_station, create_user,
)
from tests.radio.web_kit import csrf_token, log_in, web  # noqa: F401  (fixture)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 24)  # a Tuesday
TOMORROW = TODAY + timedelta(days=1)
CLOSED = date(2026, 11, 26)
NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)  # 10:00 in Hà Nội: the morning is over, the afternoon to come
EVERY_DAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def at(day: date, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), TZ)


@pytest.fixture
def world(app, db, monkeypatch):
    """Two communes. Ours airs "sang" 05:30–06:00 and "chieu" 17:00–17:45 (a relay of the province
    from 17:00 to 17:10), is closed on 26/11, must air the digital-transformation series once a day
    and the security series once a day in the afternoon (2–5 minutes), which had no audio when the
    schedule was built: its airings wait for content."""
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    province = create_area(db, "TH", "province")
    ours, theirs = create_area(db, "TK", "commune", province), create_area(db, "XA", "commune", province)
    station = create_station(db, ours, "thanhky")
    other_station = create_station(db, theirs, "xuanan")
    afternoon = BroadcastWindow(name="chieu", days=("MO", "TU", "WE", "TH", "FR", "SA"), start_time=time(17, 0),
                                end_time=time(17, 45))
    station.windows.append(afternoon)
    db.flush()
    station.blocks.append(FixedBlock(window=afternoon, at=time(17, 0), kind="relay", title="Tiếp sóng Đài tỉnh",
                                     duration_s=600))
    station.closed_dates.append(ClosedDate(day=CLOSED))
    plan = create_plan(db, ours, "kh-tk")
    series = create_series(db, plan, "cds")
    security = create_series(db, plan, "antt")
    security.title = "Chuyên mục An ninh trật tự"
    episodes = {}
    for key, values in {"first": {}, "short": {"duration_s": 60.0}, "expired": {"expires": date(2026, 11, 20)},
                        "later": {"available_from": date(2026, 12, 1)}, "silent": {"duration_s": None}}.items():
        episodes[key] = create_episode(db, series, f"cds-{key}", **values)
    titles = {"first": "Chuyển đổi số: dịch vụ công", "short": "Khẩu hiệu chuyển đổi số",
              "expired": "Chuyển đổi số: tin cũ", "later": "Chuyển đổi số: tin tháng sau",
              "silent": "Chuyển đổi số: chưa thu âm"}
    for key, title in titles.items():
        episodes[key].title = title
    create_requirement(db, plan, series, [station], code="cds-ngay", period="day", min_airings=1, max_airings=1,
                       new_episodes=0, days=EVERY_DAY, min_gap_days=0, date_from=TODAY, date_to=date(2026, 11, 30))
    create_requirement(db, plan, security, [station], code="antt-ngay", period="day", min_airings=1, max_airings=1,
                       new_episodes=0, days=EVERY_DAY, windows=("chieu",), min_gap_days=0, duration_min=120,
                       duration_max=300, date_from=TODAY, date_to=date(2026, 11, 30))
    their_plan = create_plan(db, theirs, "kh-xa")
    their_episode = create_episode(db, create_series(db, their_plan, "cds"), "xa-1")
    build_schedule(db, None, TODAY, date(2026, 11, 30), now=datetime(2026, 11, 20, tzinfo=timezone.utc), tz=TZ)
    # Content for the security series arrives after the build: one that fits, one too long.
    episodes["security"] = create_episode(db, security, "antt-1", duration_s=150.0)
    episodes["security"].title = "An ninh trật tự: phòng chống lừa đảo"
    episodes["security_long"] = create_episode(db, security, "antt-2", duration_s=400.0)
    episodes["security_long"].title = "An ninh trật tự: toạ đàm dài"
    episodes["security_silent"] = create_episode(db, security, "antt-3", duration_s=None)
    episodes["security_silent"].title = "An ninh trật tự: chưa thu âm"
    return {"station": station, "other_station": other_station, "episodes": episodes, "their_episode": their_episode,
            "operator": create_user(db, "op-tk", "operator", ours),
            "other_operator": create_user(db, "op-xa", "operator", theirs),
            "approver": create_user(db, "duyet-tk", "approver", ours)}


def entries(db, day: date, kind: str | None = None) -> list[ScheduleEntry]:
    query = select(ScheduleEntry).where(ScheduleEntry.local_date == day, ScheduleEntry.status == "planned",
                                        ScheduleEntry.station.has(code="thanhky"))
    if kind:
        query = query.where(ScheduleEntry.kind == kind)
    return db.scalars(query.order_by(ScheduleEntry.start_at)).all()


def episode_entry(db, day: date) -> ScheduleEntry:
    return entries(db, day, "episode")[0]


def reservation(db, day: date = TODAY) -> ScheduleEntry:
    return entries(db, day, "reservation")[0]


def audit_actions(db, actor: str = "op-tk") -> list[str]:
    return db.scalars(select(AuditLog.action).where(AuditLog.actor == actor).order_by(AuditLog.id)).all()


def page_of(response) -> str:
    return response.get_data(as_text=True)


def post(web, url: str, data: dict, page: str):
    """POST `data` with the CSRF token of the page the form is on."""
    return web.post(url, data={"csrf_token": csrf_token(page_of(web.get(page))), **data})


def entry_url(entry: ScheduleEntry, action: str = "") -> str:
    return f"/stations/thanhky/entries/{entry.uuid}" + (f"/{action}" if action else "")


def options(html: str, name: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    return re.findall(r'<option[^>]*value="([^"]*)"', select_html.group(0)) if select_html else []


def local_value(moment: datetime) -> str:
    return moment.astimezone(TZ).replace(tzinfo=None).isoformat()


# -- the day page -----------------------------------------------------------------------------

def test_the_day_page_offers_the_tools_to_its_operators_only(web, db, world):
    log_in(web, "op-tk")
    page = page_of(web.get(f"/stations/thanhky/on/{TODAY}"))
    assert "Thêm tin vào lịch" in page and "Ghi nhận tin đã phát ngoài lịch" in page
    assert page.count(">Chọn tin<") == 1  # the afternoon's reservation
    assert "Còn trống:" in page
    assert "Sửa tay" not in page
    morning = episode_entry(db, TODAY)
    assert morning.start_at < NOW and entry_url(morning) not in page  # what has begun is not edited
    web.post("/logout", data={"csrf_token": csrf_token(page)})
    log_in(web, "duyet-tk")  # sees the day, may not edit it nor record airings
    page = page_of(web.get(f"/stations/thanhky/on/{TODAY}"))
    assert "Hôm nay" in page and "Thêm tin vào lịch" not in page and "Chọn tin" not in page
    assert "Ghi nhận tin đã phát ngoài lịch" not in page and "Còn trống:" not in page


def test_the_week_links_each_item_ahead_to_its_page(web, db, world):
    log_in(web, "op-tk")
    page = page_of(web.get(f"/stations/thanhky/calendar?day={TODAY}"))
    assert entry_url(reservation(db)) in page and entry_url(episode_entry(db, TODAY)) not in page
    assert f"/stations/thanhky/on/{TOMORROW}/add" in page
    assert f"/stations/thanhky/on/{TODAY - timedelta(days=1)}/add" not in page  # no adding to the past


# -- moving -----------------------------------------------------------------------------------

def test_the_item_page_offers_only_free_times_that_fit(web, db, world):
    log_in(web, "op-tk")
    entry = reservation(db)
    page = page_of(web.get(entry_url(entry)))
    assert "Chờ nội dung: Chuyên mục An ninh trật tự" in page and "Tự động xếp" in page and "Buổi chiều" in page
    offered = [datetime.fromisoformat(value).replace(tzinfo=TZ) for value in options(page, "start")]
    assert offered and local_value(entry.start_at) in options(page, "start")  # its own time is free to it
    length = entry.end_at - entry.start_at
    for start in offered:
        assert start >= NOW and at(TODAY, 17, 10) <= start and start + length <= at(TODAY, 17, 45)
        assert check_free(db, world["station"], start, start + length, TZ, NOW, ignore=entry) == "chieu"
    tomorrow = options(page_of(web.get(entry_url(entry) + f"?day={TOMORROW}")), "start")
    assert any(v.startswith(f"{TOMORROW}T05:") for v in tomorrow)  # tomorrow's morning is ahead
    closed = page_of(web.get(entry_url(entry) + f"?day={CLOSED}"))
    assert options(closed, "start") == [] and "Ngày này không còn giờ trống nào" in closed


def test_moving_an_item_makes_it_a_hand_edit_kept_by_rebuilds(web, db, world):
    log_in(web, "op-tk")
    entry = episode_entry(db, TOMORROW)
    uuid, version = entry.uuid, world["station"].schedule_version
    response = post(web, entry_url(entry, "move"), {"start": f"{TOMORROW}T17:30:00"}, entry_url(entry))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/on/{TOMORROW}#entry-{uuid}")
    db.refresh(entry)
    assert (entry.start_at, entry.window_name, entry.origin, entry.is_pinned) == (at(TOMORROW, 17, 30), "chieu",
                                                                                  "manual", True)
    db.refresh(world["station"])
    assert world["station"].schedule_version > version
    assert audit_actions(db) == ["schedule.move"]
    assert "Sửa tay" in page_of(web.get(f"/stations/thanhky/on/{TOMORROW}"))
    build_schedule(db, None, TODAY, date(2026, 11, 30), now=NOW, tz=TZ)
    kept = db.scalar(select(ScheduleEntry).where(ScheduleEntry.uuid == uuid))
    assert (kept.status, kept.start_at) == ("planned", at(TOMORROW, 17, 30))


@pytest.mark.parametrize("start, message", [
    (f"{TOMORROW}T17:05:00", "Giờ 25/11/2026 17:05–{end} trùng với mục cố định “Tiếp sóng Đài tỉnh” lúc 17:00."),
    (f"{TOMORROW}T12:00:00", "Giờ 25/11/2026 12:00–{end} nằm ngoài các buổi phát của đài trong ngày đó."),
    (f"{TODAY}T05:45:00", "Giờ 24/11/2026 05:45–{end} đã qua: hãy chọn một giờ sắp tới."),
    (f"{CLOSED}T17:30:00", "Đài nghỉ phát ngày 26/11/2026."),
    (f"{TOMORROW}T17:44:30", "Giờ 25/11/2026 17:44–{end} nằm ngoài các buổi phát"),  # ends after the window
    ("ngày mai", "Chọn một giờ trong danh sách."),
])
def test_a_refused_move_says_why_on_the_page_and_changes_nothing(web, db, world, start, message):
    log_in(web, "op-tk")
    entry = episode_entry(db, TOMORROW)
    before = (entry.start_at, entry.origin)
    response = post(web, entry_url(entry, "move"), {"start": start}, entry_url(entry))
    if "{end}" in message:
        end = datetime.fromisoformat(start) + (entry.end_at - entry.start_at)
        message = message.format(end=f"{end:%H:%M}")
    assert response.status_code == 422 and message in page_of(response)
    db.refresh(entry)
    assert (entry.start_at, entry.origin) == before and audit_actions(db) == []


def test_a_move_onto_another_item_names_it(web, db, world):
    log_in(web, "op-tk")
    entry, other = episode_entry(db, TOMORROW), reservation(db, TOMORROW)
    response = post(web, entry_url(entry, "move"), {"start": local_value(other.start_at)}, entry_url(entry))
    assert response.status_code == 422
    assert f"trùng với mục “Chuyên mục An ninh trật tự” lúc {other.start_at.astimezone(TZ):%H:%M}" in page_of(response)


# -- cancelling and pinning -------------------------------------------------------------------

def test_cancelling_an_item_keeps_it_cancelled_through_rebuilds(web, db, world):
    log_in(web, "op-tk")
    entry = episode_entry(db, TOMORROW)
    response = post(web, entry_url(entry, "cancel"), {}, entry_url(entry))
    assert response.status_code == 302
    db.refresh(entry)
    assert (entry.status, entry.cancelled_at) == ("cancelled", NOW)
    assert audit_actions(db) == ["schedule.cancel"]
    assert entry_url(entry) not in page_of(web.get(f"/stations/thanhky/on/{TOMORROW}"))
    build_schedule(db, None, TODAY, date(2026, 11, 30), now=NOW, tz=TZ)
    db.refresh(entry)
    assert entry.status == "cancelled"
    again = post(web, entry_url(entry, "cancel"), {}, entry_url(entry))
    assert again.status_code == 422 and "đã bị huỷ" in page_of(again)


def test_what_has_begun_is_neither_cancelled_nor_moved(web, db, world):
    log_in(web, "op-tk")
    entry = episode_entry(db, TODAY)  # this morning's
    page = page_of(web.get(entry_url(entry)))
    assert "đã tới giờ phát: không sửa được nữa" in page and "Huỷ mục này" not in page
    for action, data in (("cancel", {}), ("move", {"start": f"{TOMORROW}T17:30:00"})):
        response = post(web, entry_url(entry, action), data, entry_url(entry))
        assert response.status_code == 422 and "đã tới giờ phát" in page_of(response)
    db.refresh(entry)
    assert entry.status == "planned" and audit_actions(db) == []


def test_pinning_and_unpinning(web, db, world):
    log_in(web, "op-tk")
    entry = episode_entry(db, TOMORROW)
    assert "Ghim mục này" in page_of(web.get(entry_url(entry)))
    assert post(web, entry_url(entry, "pin"), {"pinned": "1"}, entry_url(entry)).status_code == 302
    db.refresh(entry)
    assert entry.is_pinned
    page = page_of(web.get(entry_url(entry)))
    assert "Bỏ ghim" in page and "Được giữ nguyên" in page
    assert "đã ghim" in page_of(web.get(f"/stations/thanhky/on/{TOMORROW}"))
    build_schedule(db, None, TODAY, date(2026, 11, 30), now=NOW, tz=TZ)
    db.refresh(entry)
    assert (entry.status, entry.is_pinned) == ("planned", True)
    post(web, entry_url(entry, "pin"), {"pinned": "0"}, entry_url(entry))
    db.refresh(entry)
    assert not entry.is_pinned and audit_actions(db) == ["schedule.pin", "schedule.unpin"]


# -- filling a reservation --------------------------------------------------------------------

def test_a_reservation_offers_its_series_episodes_that_fit_and_takes_one(web, db, world):
    log_in(web, "op-tk")
    entry, episodes = reservation(db), world["episodes"]
    uuid, start = entry.uuid, entry.start_at
    page = page_of(web.get(entry_url(entry)))
    assert options(page, "episode") == [str(episodes["security"].id)]  # the long one breaks the duration asked
    assert "An ninh trật tự: phòng chống lừa đảo (2 phút 30 giây)" in page
    assert "Tải tin mới lên Thư viện âm thanh" in page
    response = post(web, entry_url(entry, "fill"), {"episode": episodes["security"].id}, entry_url(entry))
    assert response.status_code == 302
    db.refresh(entry)
    assert (entry.uuid, entry.start_at, entry.kind, entry.episode_id) == (uuid, start, "episode",
                                                                          episodes["security"].id)
    assert entry.end_at == start + timedelta(seconds=150) and (entry.origin, entry.is_pinned) == ("manual", True)
    log = db.scalar(select(AuditLog).where(AuditLog.action == "schedule.fill"))
    assert log.actor == "op-tk" and log.before["kind"] == "reservation" and log.after["episode"] == "kh-tk/antt/antt-1"
    build_schedule(db, None, TODAY, date(2026, 11, 30), now=NOW, tz=TZ)
    db.refresh(entry)
    assert (entry.status, entry.episode_id) == ("planned", episodes["security"].id)


@pytest.mark.parametrize("key, message", [
    ("security_long", "dài hoặc ngắn hơn thời lượng yêu cầu cho phép"),
    ("first", "Tin “Chuyển đổi số: dịch vụ công” không thuộc chuyên mục “Chuyên mục An ninh trật tự”."),
    ("security_silent", "Tin “An ninh trật tự: chưa thu âm” chưa có âm thanh để phát."),
])
def test_a_refused_fill_says_why(web, db, world, key, message):
    log_in(web, "op-tk")
    entry = reservation(db)
    response = post(web, entry_url(entry, "fill"), {"episode": world["episodes"][key].id}, entry_url(entry))
    assert response.status_code == 422 and message in page_of(response)
    db.refresh(entry)
    assert entry.kind == "reservation" and audit_actions(db) == []


def test_an_episode_from_outside_the_stations_series_is_not_taken(web, db, world):
    log_in(web, "op-tk")
    entry = reservation(db)
    response = post(web, entry_url(entry, "fill"), {"episode": world["their_episode"].id}, entry_url(entry))
    assert response.status_code == 422 and "Chọn một tin trong danh sách." in page_of(response)


# -- adding -----------------------------------------------------------------------------------

def test_adding_an_episode_in_two_steps(web, db, world):
    log_in(web, "op-tk")
    episodes = world["episodes"]
    url = f"/stations/thanhky/on/{TOMORROW}/add"
    page = page_of(web.get(url))
    offered = set(options(page, "episode"))
    assert {str(episodes[k].id) for k in ("first", "short")} <= offered
    assert not {str(episodes[k].id) for k in ("expired", "later", "silent")} & offered
    assert "Chuyên mục Chuyển đổi số" in page  # grouped by series, named by title
    step_two = page_of(web.get(f"{url}?episode={episodes['short'].id}"))
    starts = options(step_two, "start")
    assert f"{TOMORROW}T17:40:00" in starts and not any("T17:0" in s for s in starts)  # the relay's time is not free
    response = web.post(url, data={"csrf_token": csrf_token(step_two), "episode": episodes["short"].id,
                                   "start": f"{TOMORROW}T17:40:00"})
    assert response.status_code == 302
    added = db.scalar(select(ScheduleEntry).where(ScheduleEntry.origin == "manual"))
    assert (added.start_at, added.end_at, added.kind, added.episode_id, added.is_pinned, added.window_name) == (
        at(TOMORROW, 17, 40), at(TOMORROW, 17, 41), "episode", episodes["short"].id, True, "chieu")
    assert response.headers["Location"].endswith(f"#entry-{added.uuid}")
    assert audit_actions(db) == ["schedule.add"]
    build_schedule(db, None, TODAY, date(2026, 11, 30), now=NOW, tz=TZ)
    db.refresh(added)
    assert (added.status, added.start_at) == ("planned", at(TOMORROW, 17, 40))


@pytest.mark.parametrize("key, start, message", [
    ("expired", "17:40", "Tin “Chuyển đổi số: tin cũ” đã hết hạn phát sau ngày 20/11/2026."),
    ("later", "17:40", "Tin “Chuyển đổi số: tin tháng sau” chỉ được phát từ ngày 01/12/2026."),
    ("silent", "17:40", "Tin “Chuyển đổi số: chưa thu âm” chưa có âm thanh để phát."),
    ("short", "17:09", "trùng với mục cố định “Tiếp sóng Đài tỉnh” lúc 17:00."),
    ("short", "18:00", "nằm ngoài các buổi phát của đài trong ngày đó."),
])
def test_a_refused_addition_says_why(web, db, world, key, start, message):
    log_in(web, "op-tk")
    url = f"/stations/thanhky/on/{TOMORROW}/add"
    response = post(web, url, {"episode": world["episodes"][key].id, "start": f"{TOMORROW}T{start}:00"}, url)
    assert response.status_code == 422 and message in page_of(response)
    assert db.scalar(select(ScheduleEntry).where(ScheduleEntry.origin == "manual")) is None
    assert audit_actions(db) == []


def test_a_closed_day_has_nothing_to_add_to(web, db, world):
    log_in(web, "op-tk")
    page = page_of(web.get(f"/stations/thanhky/on/{CLOSED}/add"))
    assert "Ngày này không còn giờ trống nào để thêm tin" in page and options(page, "episode") == []


# -- airings off the schedule -----------------------------------------------------------------

def test_an_airing_off_the_schedule_is_recorded_shown_and_counted(web, db, world):
    log_in(web, "op-tk")
    episode = world["episodes"]["first"]
    url = f"/stations/thanhky/on/{TODAY}/unscheduled"
    page = page_of(web.get(url))
    assert "Chuyển đổi số: dịch vụ công (2 phút 30 giây)" in page and "cds-first" not in page
    assert str(world["episodes"]["silent"].id) not in options(page, "episode")
    response = post(web, url, {"episode": episode.id, "at": "05:40"}, url)
    assert response.status_code == 302 and response.headers["Location"].endswith("#unscheduled")
    log = db.scalar(select(PlayLog).where(PlayLog.entry_id.is_(None)))
    assert (log.episode_id, log.user_id, log.station_id, log.started_at) == (
        episode.id, world["operator"].id, world["station"].id, at(TODAY, 5, 40))
    assert audit_actions(db) == ["playlog.add"]
    day = page_of(web.get(f"/stations/thanhky/on/{TODAY}"))
    assert "Đã phát ngoài lịch" in day and "Chuyển đổi số: dịch vụ công" in day and "ghi nhận bởi op-tk" in day
    report = compliance_report(db, area=world["station"].area, start=TODAY, end=TODAY, now=NOW, tz=TZ)
    assert [u.episode_id for u in report.unscheduled] == [episode.id]
    row = next(r for r in report.rows if r.requirement.endswith("cds-ngay") and r.period_start == TODAY)
    assert row.aired == 1


@pytest.mark.parametrize("key, when, message", [
    ("first", "11:00", "Lúc 24/11/2026 11:00 chưa tới: chỉ ghi nhận được những gì đã phát."),
    ("first", "25:00", "Viết giờ theo dạng giờ:phút, ví dụ 06:15."),
    ("first", "", "Nhập giờ đã phát."),
    ("silent", "05:40", "Tin “Chuyển đổi số: chưa thu âm” chưa có âm thanh để phát."),
])
def test_a_refused_airing_off_the_schedule_says_why(web, db, world, key, when, message):
    log_in(web, "op-tk")
    url = f"/stations/thanhky/on/{TODAY}/unscheduled"
    response = post(web, url, {"episode": world["episodes"][key].id, "at": when}, url)
    assert response.status_code == 422 and message in page_of(response)
    assert db.scalars(select(PlayLog)).all() == [] and audit_actions(db) == []


# -- who may ----------------------------------------------------------------------------------

def test_another_communes_operator_may_neither_see_nor_edit(web, db, world):
    log_in(web, "op-xa")
    entry = reservation(db)
    token = csrf_token(page_of(web.get("/stations/xuanan/today")))
    assert web.get(entry_url(entry)).status_code == 403
    for action, data in (("move", {"start": f"{TOMORROW}T17:30:00"}), ("cancel", {}), ("pin", {"pinned": "1"}),
                         ("fill", {"episode": world["episodes"]["security"].id})):
        assert web.post(entry_url(entry, action), data={"csrf_token": token, **data}).status_code == 403
    for path in (f"/stations/thanhky/on/{TOMORROW}/add", f"/stations/thanhky/on/{TODAY}/unscheduled"):
        assert web.get(path).status_code == 403
        assert web.post(path, data={"csrf_token": token, "episode": world["episodes"]["first"].id,
                                    "start": f"{TOMORROW}T17:30:00", "at": "05:40"}).status_code == 403
    db.refresh(entry)
    assert (entry.kind, entry.status, entry.is_pinned) == ("reservation", "planned", False)
    assert audit_actions(db, "op-xa") == []
    assert db.scalars(select(PlayLog)).all() == []


def test_a_viewer_of_the_area_who_does_not_operate_may_not_edit(web, db, world):
    log_in(web, "duyet-tk")
    entry = reservation(db)
    page = page_of(web.get(entry_url(entry)))
    assert "Chờ nội dung" in page and "Huỷ mục này" not in page and "<select" not in page
    assert post(web, entry_url(entry, "cancel"), {}, entry_url(entry)).status_code == 403
    assert web.get(f"/stations/thanhky/on/{TOMORROW}/add").status_code == 403
    db.refresh(entry)
    assert entry.status == "planned"


def test_an_entry_of_another_station_or_a_bad_id_is_not_found(web, db, world):
    log_in(web, "op-tk")
    theirs = ScheduleEntry(station=world["other_station"], start_at=at(TOMORROW, 17, 30),
                           end_at=at(TOMORROW, 17, 31), local_date=TOMORROW, kind="episode", origin="manual",
                           created_at=NOW)
    db.add(theirs)
    db.flush()
    assert web.get(f"/stations/thanhky/entries/{theirs.uuid}").status_code == 404
    assert web.get("/stations/thanhky/entries/not-a-uuid").status_code == 404
    assert web.get("/stations/thanhky/on/24-11-2026/add").status_code == 404


def test_the_edit_pages_and_their_refusals_speak_english_when_chosen(web, db, world):
    log_in(web, "op-tk")
    entry = episode_entry(db, TOMORROW)
    page = page_of(web.get(entry_url(entry)))
    web.post("/language", data={"csrf_token": csrf_token(page), "language": "en", "next": "/"})
    page = page_of(web.get(entry_url(entry)))
    assert "Move to another time" in page and "Planned automatically" in page and "Dời sang" not in page
    refused = post(web, entry_url(entry, "move"), {"start": f"{CLOSED}T17:30:00"}, entry_url(entry))
    assert "The station does not broadcast on 26/11/2026." in page_of(refused)
