"""The schedule shell: builds stored with stable identities, hand edits audited, listings."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from radio.models import AuditLog, BroadcastWindow, ScheduleEntry
from radio.schedule.operations import ScheduleError, build_schedule, cancel_entry, move_entry
from tests.factories import (
    create_area, create_episode, create_plan, create_requirement, create_series, create_station, create_user,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)  # Sunday 10:00 in Hanoi
START, END = date(2026, 11, 23), date(2026, 12, 20)


@pytest.fixture
def world(db):
    commune = create_area(db, "TK", "commune")
    station = create_station(db, commune, "thanhky")
    plan = create_plan(db, commune, "tk-2026")
    series = create_series(db, plan, "cds")
    requirement = create_requirement(db, plan, series, [station], code="tk-weekly")
    episodes = [create_episode(db, series, f"w{n}", available_from=monday_of_week(n)) for n in (48, 49)]
    return {"area": commune, "station": station, "plan": plan, "series": series, "requirement": requirement,
            "episodes": episodes}


def monday_of_week(iso_week: int) -> date:
    return date.fromisocalendar(2026, iso_week, 1)


def build(db, now=NOW, start=START, end=END):
    return build_schedule(db, None, start, end, now=now, tz=TZ)


def planned(db):
    return db.scalars(select(ScheduleEntry).where(ScheduleEntry.status == "planned")
                      .order_by(ScheduleEntry.start_at)).all()


def test_a_build_places_airings_on_allowed_days_inside_the_window(db, world):
    report = build(db)
    entries = [e for e in planned(db) if e.requirement_id == world["requirement"].id]
    assert report.created == len(planned(db)) and len(entries) == 8  # 4 weeks x Tue + Thu
    assert {e.local_date.weekday() for e in entries} == {1, 3}
    for entry in entries:
        local = entry.start_at.astimezone(TZ)
        assert time(5, 30) <= local.time() and entry.end_at.astimezone(TZ).time() <= time(6, 0)
    assert world["station"].schedule_version == 1


def test_an_identical_rebuild_keeps_every_identity_and_the_version(db, world):
    build(db)
    before = {e.uuid for e in planned(db)}
    report = build(db)
    assert (report.created, report.cancelled, report.kept) == (0, 0, len(before))
    assert {e.uuid for e in planned(db)} == before
    assert world["station"].schedule_version == 1


def test_a_build_starting_later_counts_the_entries_planned_before_it_as_aired(db, world):
    """Weeks 48–50 are planned; a build of week 51 made on the same day must not take their
    episodes for new ones (they are planned, not yet aired, and outside its range)."""
    for n in (50, 51):
        create_episode(db, world["series"], f"w{n}", available_from=monday_of_week(n))
    build(db, end=monday_of_week(50) + timedelta(days=6))
    build(db, start=monday_of_week(51), end=monday_of_week(51) + timedelta(days=6))
    week_51 = [e for e in planned(db) if e.local_date >= monday_of_week(51)]
    assert [e.episode.code for e in week_51] == ["w51", "w51"]


def test_adding_an_episode_fills_reservations_without_moving_anything_else(db, world):
    build(db)
    reservations = {e.uuid: e.start_at for e in planned(db) if e.kind == "reservation"}
    others = {e.uuid: (e.start_at, e.kind, e.episode_id) for e in planned(db) if e.kind != "reservation"}
    assert reservations, "weeks without an episode must be reserved"
    for n in (50, 51):
        create_episode(db, world["series"], f"w{n}", available_from=monday_of_week(n))
    report = build(db)
    assert report.filled >= 2 and report.cancelled == 0
    after = {e.uuid: e for e in planned(db)}
    for uuid, start in reservations.items():
        if after[uuid].kind == "episode":
            assert after[uuid].start_at == start
    assert {u: (after[u].start_at, after[u].kind, after[u].episode_id) for u in others} == others


def test_a_changed_requirement_cancels_old_entries_and_never_deletes(db, world):
    build(db)
    total = db.scalar(select(func.count()).select_from(ScheduleEntry))
    world["requirement"].days = ("MO", "WE")
    report = build(db)
    assert report.cancelled >= 8 and report.created >= 8
    assert db.scalar(select(func.count()).select_from(ScheduleEntry)) == total + report.created
    cancelled = db.scalars(select(ScheduleEntry).where(ScheduleEntry.status == "cancelled")).all()
    assert all(e.cancelled_at is not None and e.local_date.weekday() in (1, 3) for e in cancelled)
    assert world["station"].schedule_version == 2


def test_the_past_is_never_touched(db, world):
    build(db)
    first_week = {e.uuid for e in planned(db) if e.local_date < date(2026, 11, 30)}
    world["requirement"].days = ("MO", "WE")
    later = datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)
    build(db, now=later)
    assert first_week <= {e.uuid for e in planned(db)}


def test_pinned_and_moved_entries_survive_rebuilds(db, world):
    operator = create_user(db, "op", "operator", world["area"])
    build(db)
    entries = [e for e in planned(db) if e.requirement_id]
    from radio.schedule.operations import pin_entry

    pin_entry(db, operator, entries[0], now=NOW)
    move_entry(db, operator, entries[1], datetime(2026, 11, 26, 5, 50), TZ, now=NOW)
    world["requirement"].days = ("MO", "WE")
    build(db)
    kept = {e.uuid: e for e in planned(db)}
    assert entries[0].uuid in kept and entries[1].uuid in kept
    assert kept[entries[1].uuid].start_at.astimezone(TZ).time() == time(5, 50)
    actions = db.scalars(select(AuditLog.action).where(AuditLog.actor == "op")).all()
    assert actions == ["schedule.pin", "schedule.move"]


def test_hand_edits_refuse_overlaps_times_outside_windows_and_strangers(db, world):
    operator = create_user(db, "op", "operator", world["area"])
    stranger = create_user(db, "other", "operator", create_area(db, "XX", "commune"))
    build(db)
    relay_free = [e for e in planned(db) if e.requirement_id]
    with pytest.raises(ScheduleError, match="overlaps"):
        move_entry(db, operator, relay_free[0], relay_free[1].start_at.astimezone(TZ).replace(tzinfo=None), TZ, now=NOW)
    with pytest.raises(ScheduleError, match="not inside a broadcast window"):
        move_entry(db, operator, relay_free[0], datetime(2026, 11, 24, 12, 0), TZ, now=NOW)
    from radio.errors import Forbidden

    with pytest.raises(Forbidden):
        cancel_entry(db, stranger, relay_free[0], now=NOW)
    with pytest.raises(ScheduleError, match="--as"):
        cancel_entry(db, None, relay_free[0], now=NOW)


def test_cli_build_show_and_cancel(runner, db, world):
    today = datetime.now(TZ).date()
    world["requirement"].date_from, world["requirement"].date_to = today, date(today.year + 1, 12, 31)
    operator = create_user(db, "op", "operator", world["area"])
    db.commit()
    tomorrow = today + timedelta(days=1)  # all ahead: what has started is not cancelled
    result = runner.invoke(args=["schedule", "build", "--from", str(tomorrow), "--to", str(tomorrow + timedelta(days=6)),
                                 "--station", "thanhky"])
    assert result.exit_code in (0, 2), result.output
    assert "created" in result.output
    entry = planned(db)[0]
    shown = runner.invoke(args=["schedule", "show", "--station", "thanhky", "--date", str(entry.local_date), "--format", "json"])
    order = json.loads(shown.output)
    assert str(entry.uuid) in [item["id"] for item in order["items"]]
    assert all(item["start"].endswith("+07:00") for item in order["items"])
    cancelled = runner.invoke(args=["schedule", "cancel", str(entry.uuid), "--as", operator.username])
    assert cancelled.exit_code == 0, cancelled.output
    assert db.get(ScheduleEntry, entry.id).status == "cancelled"


def test_cli_build_exits_2_when_hard_requirements_cannot_be_met(runner, db, world):
    window = db.scalar(select(BroadcastWindow))
    window.end_time = time(5, 31)  # a one-minute window: nothing of 150 s fits
    today = datetime.now(TZ).date()
    world["requirement"].date_from, world["requirement"].date_to = today, date(today.year + 1, 12, 31)
    db.commit()
    result = runner.invoke(args=["schedule", "build", "--from", str(today), "--to", str(date.fromordinal(today.toordinal() + 13))])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output


def test_cli_unknown_station_is_a_clear_error(runner, world):
    result = runner.invoke(args=["schedule", "build", "--from", "2026-11-23", "--to", "2026-11-29", "--station", "nowhere"])
    assert result.exit_code == 1 and "no station with code 'nowhere'" in result.output


def test_an_episode_added_early_moves_later_ones_along_in_the_same_entries(db, world):
    build(db)
    before = {e.uuid: (e.start_at, e.episode_id) for e in planned(db) if e.kind == "episode"}
    assert len(before) >= 2
    create_episode(db, world["series"], "w48b", available_from=monday_of_week(48))  # an extra item, early
    report = build(db)
    after = {e.uuid: (e.start_at, e.episode_id) for e in planned(db) if e.kind == "episode"}
    moved = [u for u in before if after[u][1] != before[u][1]]
    assert moved and report.swapped == len(moved) and report.cancelled == 0
    assert all(after[u][0] == before[u][0] for u in before)  # same entries, same times: new content
    assert world["station"].schedule_version == 2  # devices and calendars see the change


def test_an_entry_a_device_reported_played_is_never_given_another_episode(db, world):
    from radio.models import PlayLog
    import uuid as uuid_module

    build(db)
    week_49 = [e for e in planned(db) if e.kind == "episode" and e.local_date >= monday_of_week(49)]
    assert {e.episode_id for e in week_49} == {world["episodes"][1].id}
    aired = week_49[0]  # the extra item below would take this slot
    db.add(PlayLog(client_uuid=uuid_module.uuid4(), entry_id=aired.id, started_at=aired.start_at, status="played",
                   received_at=NOW))
    db.flush()
    db.refresh(aired)
    assert aired.reported_played
    create_episode(db, world["series"], "w48b", available_from=monday_of_week(48))
    report = build(db)
    db.refresh(aired)
    assert aired.episode_id == world["episodes"][1].id  # what it aired stays what it aired
    assert report.swapped == 1 and report.cancelled == 1  # its twin swapped; it gave way to a new entry


def test_explanations_and_reasons_name_episodes_by_code_never_by_database_id(db, world):
    from radio.schedule.operations import run_planner

    silent = create_episode(db, world["series"], "silent", duration_s=None)
    other = create_series(db, world["plan"], "other")
    elsewhere = create_episode(db, other, "elsewhere")
    build(db)
    first, second = [e for e in planned(db) if e.kind == "episode"][:2]
    first.is_pinned = True  # fixed: explained as such
    second.episode, second.series, second.is_pinned = elsewhere, other, True  # a series outside the build
    db.flush()
    inputs, result = run_planner(db, {"thanhky"}, START, END, NOW, TZ, 180)
    said = [s.reason for s in result.shortfalls] + [n.message for n in result.needs] + [
        line for lines in result.explanations.values() for line in lines]
    text = "\n".join(said)
    assert "tk-2026/cds/silent has no audio yet" in text
    assert "tk-2026/cds/w48, first airing, fixed" in text and "tk-2026/cds/w49, first airing" in text
    assert "tk-2026/other/elsewhere" in {f.episode for f in inputs.fixed}
    for episode in (silent, elsewhere, *world["episodes"]):
        assert f"{episode.id} has" not in text and f": {episode.id}," not in text
