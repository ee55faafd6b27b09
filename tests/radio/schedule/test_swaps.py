"""A rebuild that gives an entry of the published schedule another episode says so, swap by swap,
and never does it to an entry airing within 48 hours unless a person confirmed it."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from radio.models import AuditLog, ScheduleEntry
from radio.schedule.operations import build_schedule
from tests.factories import (
    create_area, create_episode, create_plan, create_requirement, create_series, create_station, create_user,
)
from tests.radio.office_kit import client_as, post_form

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)  # Sunday 10:00: Tuesday 24/11 05:30 is 43.5 hours away
START, END = date(2026, 11, 23), date(2026, 12, 20)


@pytest.fixture
def world(db):
    commune = create_area(db, "TK", "commune")
    station = create_station(db, commune, "thanhky")
    plan = create_plan(db, commune, "tk-2026")
    series = create_series(db, plan, "cds")
    create_requirement(db, plan, series, [station], code="tk-weekly")
    episodes = [create_episode(db, series, f"w{n}", available_from=date.fromisocalendar(2026, n, 1)) for n in (48, 49)]
    return {"area": commune, "station": station, "plan": plan, "series": series, "episodes": episodes}


def tuesday_entry(db) -> ScheduleEntry:
    return db.scalar(select(ScheduleEntry).where(ScheduleEntry.status == "planned", ScheduleEntry.kind == "episode",
                                                 ScheduleEntry.local_date == date(2026, 11, 24)))


def an_earlier_item(db, world):
    """An item available before this week's: it goes out first, so Tuesday would air it."""
    return create_episode(db, world["series"], "w47", available_from=date(2026, 11, 16))


def test_a_swap_within_48_hours_is_held_and_listed(db, world):
    build_schedule(db, None, START, END, now=NOW, tz=TZ)
    tuesday = tuesday_entry(db)
    assert tuesday.episode_id == world["episodes"][0].id
    an_earlier_item(db, world)
    report = build_schedule(db, None, START, END, now=NOW, tz=TZ)
    db.refresh(tuesday)
    assert tuesday.status == "planned" and tuesday.episode_id == world["episodes"][0].id  # the old content stays
    held = [s for s in report.swaps if s.held]
    assert [(s.entry, s.old, s.new, s.why) for s in held] == [
        (str(tuesday.uuid), tuesday.title, "Bản tin w47", "new_first")]
    assert all(s.start_at >= NOW + timedelta(hours=48) for s in report.swaps if not s.held)


def test_a_confirmed_swap_is_applied_and_audited(db, world):
    build_schedule(db, None, START, END, now=NOW, tz=TZ)
    tuesday = tuesday_entry(db)
    w47 = an_earlier_item(db, world)
    report = build_schedule(db, None, START, END, now=NOW, tz=TZ, confirmed={str(tuesday.uuid)})
    db.refresh(tuesday)
    assert tuesday.episode_id == w47.id and tuesday.status == "planned"  # same entry, new content
    swap = next(s for s in report.swaps if s.entry == str(tuesday.uuid))
    assert not swap.held and swap.new == w47.title
    audit = db.scalars(select(AuditLog).where(AuditLog.action == "schedule.build")).all()[-1]
    assert audit.after["confirmed_swaps"] == [str(tuesday.uuid)]


def test_swaps_further_ahead_are_applied_and_listed(db, world):
    later = NOW - timedelta(days=3)  # Thursday 19/11: every entry is more than 48 hours ahead
    build_schedule(db, None, START, END, now=later, tz=TZ)
    tuesday = tuesday_entry(db)
    w47 = an_earlier_item(db, world)
    report = build_schedule(db, None, START, END, now=later, tz=TZ)
    db.refresh(tuesday)
    assert tuesday.episode_id == w47.id
    assert report.swaps and not any(s.held for s in report.swaps) and report.swapped == len(report.swaps)


def test_the_cli_lists_held_swaps_and_confirms_them_with_a_flag(app, runner, db, world, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    args = ["schedule", "build", "--from", str(START), "--to", str(END)]
    runner.invoke(args=args)
    an_earlier_item(db, world)
    db.commit()
    held = runner.invoke(args=args)
    assert "held swap: thanhky 24/11/2026 05:30: Bản tin w48 → Bản tin w47 (the new episode airs here for the first time)" \
        " — kept until confirmed (--confirm-swaps)" in held.output, held.output
    confirmed = runner.invoke(args=args + ["--confirm-swaps"])
    assert "swap: thanhky 24/11/2026 05:30: Bản tin w48 → Bản tin w47" in confirmed.output, confirmed.output
    assert "held swap" not in confirmed.output
    db.expire_all()
    assert tuesday_entry(db).title == "Bản tin w47"


def a_job_with_a_held_swap(app, db, world, monkeypatch):
    """The office rebuilds, an earlier item is added, it rebuilds again: a job whose swap waits."""
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    office = client_as(app, create_user(db, "vanhoa-tk", "oversight", world["area"]))
    db.commit()
    rebuild = {"start": "23/11/2026", "end": "20/12/2026"}
    post_form(office, "/office/plans/tk-2026/rebuild", rebuild, page="/office/plans/tk-2026")
    an_earlier_item(db, world)
    db.commit()
    job = post_form(office, "/office/plans/tk-2026/rebuild", rebuild, page="/office/plans/tk-2026").location
    return office, job


def test_the_job_page_lists_swaps_and_its_button_applies_the_held_ones(app, db, world, monkeypatch):
    office, job = a_job_with_a_held_swap(app, db, world, monkeypatch)
    page = office.get(job).get_data(as_text=True)
    warnings = page.split('id="job-warnings"')[1].split("</table>")[0]
    assert "Chờ xác nhận đổi tập" in warnings and "05:30 24/11/2026" in warnings
    assert "“Bản tin w48” → “Bản tin w47”: tập mới được phát lần đầu ở đài này." in warnings
    assert "Không có cảnh báo" not in page
    assert tuesday_entry(db).title == "Bản tin w48"
    confirmed = post_form(office, job + "/confirm-swaps", {}, page=job)
    assert confirmed.status_code == 302 and confirmed.location != job
    db.expire_all()
    assert tuesday_entry(db).title == "Bản tin w47"
    assert "Đã xác nhận." in office.get(job).get_data(as_text=True)


def test_only_the_jobs_owner_confirms_with_a_token(app, db, world, monkeypatch):
    office, job = a_job_with_a_held_swap(app, db, world, monkeypatch)
    assert office.post(job + "/confirm-swaps", data={}).status_code == 400  # no CSRF token
    other = client_as(app, create_user(db, "other", "oversight", create_area(db, "XX", "commune")))
    db.commit()
    assert other.get(job).status_code == 404  # another person's job
    assert post_form(other, job + "/confirm-swaps", {}, page="/office/plans").status_code == 404
    db.expire_all()
    assert tuesday_entry(db).title == "Bản tin w48"
