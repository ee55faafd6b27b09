"""Bulletins (Circular 39): placed into the schedule (priority first), emergency ones to every
device of their areas at once, refusals that leave nothing, and the planner working around them."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from radio.bulletins.delivery import emergency_bulletins, record_fetched
from radio.bulletins.operations import BulletinError, cancel_bulletin, issue_bulletin
from radio.errors import Forbidden, NotFound, RadioError
from radio.models import AuditLog, Bulletin, BulletinDelivery, BroadcastWindow, FixedBlock, ScheduleEntry
from radio.schedule.operations import build_schedule
from radio.scripts import operations as scripts
from tests.factories import (
    create_area, create_device, create_episode, create_plan, create_requirement, create_series, create_station,
    create_tree, create_user,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 24, 4, 0, tzinfo=TZ)  # Tuesday, before the morning window
TODAY = date(2026, 11, 24)


def at(hh, mm, ss=0, day=TODAY):
    return datetime.combine(day, time(hh, mm, ss), tzinfo=TZ)


@pytest.fixture
def world(db):
    tree = create_tree(db)
    tk, xa = create_station(db, tree["TH-NT-TK"], "st-tk"), create_station(db, tree["TH-TX-XA"], "st-xa")
    series = create_series(db, create_plan(db, tree["TH-NT"], "kh-nt"), "cds")
    return {
        "tree": tree, "tk": tk, "xa": xa, "series": series,
        "loa": create_device(db, tk, tree["TH-NT-TK-01"], "loa-01"),
        "loa-xa": create_device(db, xa, tree["TH-TX-XA-01"], "loa-xa"),
        "short": create_episode(db, series, "bt-1", duration_s=60.0),
        "long": create_episode(db, series, "bt-2", duration_s=120.0),
        "vanhoa": create_user(db, "vanhoa", "oversight", tree["TH"]),
        "dai-tk": create_user(db, "dai-tk", "operator", tree["TH-NT-TK"]),
    }


def entry(db, station, start, end, origin="planner", **values):
    row = ScheduleEntry(station=station, start_at=start, end_at=end, local_date=start.astimezone(TZ).date(),
                        window_name="sang", kind=values.pop("kind", "episode"), origin=origin, created_at=NOW,
                        **values)
    db.add(row)
    db.flush()
    return row


def issue(db, world, episode="bt-1", areas=("TH-NT-TK",), priority="normal", actor="vanhoa", now=NOW, **kw):
    return issue_bulletin(db, world[actor] if actor else None, episode=episode, areas=list(areas), priority=priority,
                          now=now, tz=TZ, **kw)


def planned_bulletins(db):
    return db.scalars(select(ScheduleEntry).where(ScheduleEntry.origin == "bulletin", ScheduleEntry.status == "planned")
                      .order_by(ScheduleEntry.start_at)).all()


def test_a_normal_bulletin_takes_the_first_free_airtime(db, world):
    entry(db, world["tk"], at(5, 30), at(5, 33))
    version = world["tk"].schedule_version
    result = issue(db, world)
    [placed] = result.placement.created
    assert (placed.start_at, placed.end_at) == (at(5, 33), at(5, 34))
    assert (placed.kind, placed.origin, placed.window_name, placed.local_date) == ("bulletin", "bulletin", "sang", TODAY)
    assert placed.bulletin_id == result.bulletin.id and placed.target_area_id is None
    assert placed.episode_id == world["short"].id and placed.series_id == world["series"].id
    assert world["tk"].schedule_version == version + 1 and world["xa"].schedule_version == 0
    assert result.devices == ["loa-01"]
    audit = db.scalar(select(AuditLog).where(AuditLog.action == "bulletin.issue"))
    assert audit.actor == "vanhoa" and audit.after["areas"] == ["TH-NT-TK"] and audit.after["priority"] == "normal"


def test_nothing_is_placed_sooner_than_the_lead_time(db, world):
    result = issue(db, world, now=at(5, 28))  # the window opens in 2 minutes: devices need time to fetch
    assert result.placement.created[0].start_at == at(5, 33)


def test_priority_bulletins_go_before_normal_ones_issued_earlier(db, world):
    normal = issue(db, world).placement.created[0]
    assert normal.start_at == at(5, 30)
    later = issue(db, world, episode="bt-2", priority="priority", now=NOW + timedelta(minutes=5))
    [first] = later.placement.created
    assert (first.start_at, first.end_at) == (at(5, 30), at(5, 32))
    assert later.placement.moved == [normal] and (normal.start_at, normal.end_at) == (at(5, 32), at(5, 33))
    assert [e.uuid for e in planned_bulletins(db)] == [first.uuid, normal.uuid]  # moved, identity kept


def full_morning(db, station, day=TODAY):
    opens = at(5, 30, day=day)
    return [entry(db, station, opens + timedelta(minutes=3 * i), opens + timedelta(minutes=3 * i + 3)) for i in range(10)]


def test_a_normal_bulletin_with_no_free_airtime_is_reported_not_forced(db, world):
    full_morning(db, world["tk"])
    result = issue(db, world, valid_until=at(6, 0))
    assert result.placement.created == [] and result.placement.unplaced == ["st-tk"]
    assert planned_bulletins(db) == []


def test_a_village_bulletin_with_no_free_airtime_names_the_village_by_code(db, world):
    full_morning(db, world["tk"])
    result = issue(db, world, areas=["TH-NT-TK-01"], valid_until=at(6, 0))
    assert result.placement.unplaced == ["st-tk/TH-NT-TK-01"]  # not the village's database id


def test_a_priority_bulletin_takes_planner_airtime_when_none_is_free(db, world):
    morning = full_morning(db, world["tk"])
    morning[0].is_pinned = True
    result = issue(db, world, episode="bt-2", priority="priority", valid_until=at(6, 0))
    [placed] = result.placement.created
    assert (placed.start_at, placed.end_at) == (at(5, 33), at(5, 35))  # the pinned first entry stays
    assert result.placement.displaced == [morning[1]] and morning[1].status == "cancelled"
    assert all(e.status == "planned" for e in morning if e is not morning[1])


def test_a_village_bulletin_is_aimed_at_that_village_only(db, world):
    result = issue(db, world, areas=["TH-NT-TK-01"])
    [placed] = result.placement.created
    assert placed.station_id == world["tk"].id and placed.target_area_id == world["tree"]["TH-NT-TK-01"].id
    assert result.devices == ["loa-01"]


def test_a_district_bulletin_reaches_every_station_in_it(db, world):
    result = issue(db, world, areas=["TH-NT", "TH-TX"])
    assert sorted(e.station.code for e in result.placement.created) == ["st-tk", "st-xa"]
    assert result.devices == ["loa-01", "loa-xa"]


def test_an_emergency_bulletin_is_not_scheduled_but_sent_to_its_areas_devices(db, world):
    version = world["tk"].schedule_version
    result = issue(db, world, areas=["TH-NT"], priority="emergency")
    assert planned_bulletins(db) == [] and world["tk"].schedule_version == version
    assert result.bulletin.valid_until == NOW + timedelta(hours=2)
    assert emergency_bulletins(db, world["loa"], NOW) == [result.bulletin]
    assert emergency_bulletins(db, world["loa-xa"], NOW) == []
    assert emergency_bulletins(db, world["loa"], NOW + timedelta(hours=2)) == []  # expired
    record_fetched(db, world["loa"], {result.bulletin.id}, NOW)
    record_fetched(db, world["loa"], {result.bulletin.id}, NOW + timedelta(minutes=1))  # the first fetch counts
    delivery = db.scalar(select(BulletinDelivery))
    assert (delivery.device_id, delivery.fetched_at, delivery.played_at) == (world["loa"].id, NOW, None)
    cancel_bulletin(db, world["vanhoa"], result.bulletin, NOW + timedelta(minutes=2))
    assert emergency_bulletins(db, world["loa"], NOW + timedelta(minutes=3)) == []


def test_cancelling_a_bulletin_cancels_its_entries_to_come(db, world):
    result = issue(db, world)
    version = world["tk"].schedule_version
    devices = cancel_bulletin(db, world["dai-tk"], result.bulletin, NOW)
    assert devices == ["loa-01"] and planned_bulletins(db) == []
    assert world["tk"].schedule_version == version + 1
    with pytest.raises(BulletinError, match="cancelled already"):
        cancel_bulletin(db, world["dai-tk"], result.bulletin, NOW)


def voiced_from_a_draft(db, world):
    episode = world["long"]
    script = scripts.add_script(db, world["vanhoa"], world["series"], "Bản tin", "Nội dung.", now=NOW)
    episode.script, episode.script_version_id = script, script.latest.id
    db.flush()
    return episode.code


@pytest.mark.parametrize("change, message", [
    (lambda db, w: {"episode": voiced_from_a_draft(db, w)}, "not voiced from an approved script version"),
    (lambda db, w: {"episode": create_episode(db, w["series"], "silent", duration_s=None).code}, "has no audio"),
    (lambda db, w: {"areas": ["TH-NT-TK", "XX"]}, "no area with code 'XX'"),
    (lambda db, w: {"areas": []}, "at least one area"),
    (lambda db, w: {"actor": None}, "needs --as"),
    (lambda db, w: {"valid_from": at(9, 0), "valid_until": at(8, 0)}, "is not after valid from"),
    (lambda db, w: {"valid_from": at(1, 0), "valid_until": at(2, 0)}, "already past"),
    (lambda db, w: {"priority": "urgent"}, "priority 'urgent' is not one of"),
    (lambda db, w: {"valid_from": at(5, 0, day=date(2028, 1, 1))}, "more than 366 days ahead"),
    (lambda db, w: {"valid_until": at(5, 0, day=date(2026, 12, 31))}, "at most 31 days"),
])
def test_refused_bulletins_leave_nothing(db, world, change, message):
    with pytest.raises(BulletinError, match=message):
        issue(db, world, **change(db, world))
    assert db.scalar(select(Bulletin)) is None and planned_bulletins(db) == []


def test_an_unknown_episode_is_not_found_and_leaves_nothing(db, world):
    with pytest.raises(NotFound, match="no episode 'nothing'"):
        issue(db, world, episode="nothing")
    assert db.scalar(select(Bulletin)) is None and planned_bulletins(db) == []


def test_an_episode_code_used_in_two_series_must_be_qualified(db, world):
    other = create_series(db, world["series"].plan, "khac")
    create_episode(db, other, "bt-1")
    with pytest.raises(RadioError, match=r"ambiguous \(kh-nt/cds/bt-1, kh-nt/khac/bt-1\)"):
        issue(db, world)
    assert issue(db, world, episode="cds/bt-1").bulletin.episode_id == world["short"].id


def test_only_oversight_and_station_users_of_those_areas_may_issue(db, world):
    create_user(db, "dai-xa", "operator", world["tree"]["TH-TX-XA"])
    approver = create_user(db, "duyet", "approver", world["tree"]["TH"])
    world["dai-xa"], world["duyet"] = db.scalar(select(type(approver)).where(type(approver).username == "dai-xa")), approver
    for actor in ("dai-xa", "duyet"):
        with pytest.raises(Forbidden):
            issue(db, world, actor=actor)
    assert issue(db, world, actor="dai-tk").bulletin.issued_by_id == world["dai-tk"].id


def test_the_planner_works_around_placed_bulletins(db, world):
    column = create_series(db, world["series"].plan, "tin-xa")
    create_episode(db, column, "tx-1", duration_s=150.0)
    create_requirement(db, world["series"].plan, column, [world["tk"]], code="tk-weekly", days=("TU",),
                       min_airings=1, max_airings=1, new_episodes=0)
    placed = issue(db, world, episode="bt-2", valid_from=at(5, 0), valid_until=at(7, 0)).placement.created[0]
    report = build_schedule(db, None, TODAY, TODAY + timedelta(days=6), now=NOW, tz=TZ)
    assert report.created == 1 and not report.shortfalls
    day = db.scalars(select(ScheduleEntry).where(ScheduleEntry.station_id == world["tk"].id,
                                                 ScheduleEntry.status == "planned", ScheduleEntry.local_date == TODAY)
                     .order_by(ScheduleEntry.start_at)).all()
    assert placed in day and placed.status == "planned"
    others = [e for e in day if e is not placed]
    assert others and all(e.end_at <= placed.start_at or e.start_at >= placed.end_at for e in others)


def test_a_bulletin_on_a_day_not_built_yet_leaves_the_relay_its_time(db, world):
    """The relay block is no entry until its week is built: placing must keep off its time all
    the same, so that the build finds the relay, the bulletin and the episode side by side."""
    station = world["tk"]
    station.blocks.append(FixedBlock(window=station.windows[0], at=time(5, 30), kind="relay",
                                     title="Tiếp sóng Đài tỉnh", duration_s=600))
    column = create_series(db, world["series"].plan, "tin-xa")
    create_episode(db, column, "tx-1", duration_s=150.0)
    create_requirement(db, world["series"].plan, column, [station], code="tk-wed", days=("WE",),
                       min_airings=1, max_airings=1, new_episodes=0)
    wednesday = TODAY + timedelta(days=22)  # three weeks ahead, not built yet
    [placed] = issue(db, world, valid_from=at(5, 0, day=wednesday), valid_until=at(7, 0, day=wednesday)
                     ).placement.created
    assert placed.start_at >= at(5, 40, day=wednesday)
    monday = wednesday - timedelta(days=2)
    build_schedule(db, None, monday, monday + timedelta(days=6), now=NOW, tz=TZ)
    day = db.scalars(select(ScheduleEntry).where(ScheduleEntry.station_id == station.id,
                                                 ScheduleEntry.status == "planned", ScheduleEntry.local_date == wednesday)
                     .order_by(ScheduleEntry.start_at)).all()
    assert [(e.kind, e.start_at) for e in day if e.kind == "relay"] == [("relay", at(5, 30, day=wednesday))]
    assert placed in day and placed.status == "planned"
    assert sorted(e.kind for e in day) == ["bulletin", "episode", "relay"]
    assert all(a.end_at <= b.start_at for a, b in zip(day, day[1:]))  # nothing overlaps


def test_cli_issue_show_cancel(runner, db, world):
    db.commit()
    day = datetime.now(TZ).date() + timedelta(days=7)
    day = day + timedelta(days=1) if day.weekday() == 6 else day  # the factory's windows are Monday–Saturday
    result = runner.invoke(args=["bulletin", "issue", "--episode", "bt-1", "--areas", "TH-NT-TK-01", "TH-TX-XA-01",
                                 "--priority", "priority", "--from", f"{day} 05:00",
                                 "--until", f"{day} 07:00", "--as", "vanhoa"])
    assert result.exit_code == 0, result.output
    assert f"valid {day:%d/%m/%Y} 05:00–{day:%d/%m/%Y} 07:00" in result.output
    assert f"placed: st-tk {day:%d/%m/%Y} 05:30 (sang)" in result.output
    assert f"placed: st-xa {day:%d/%m/%Y} 05:30 (sang)" in result.output and "2 devices reached" in result.output
    bulletin = db.scalar(select(Bulletin))
    assert [a.code for a in bulletin.areas] == ["TH-NT-TK-01", "TH-TX-XA-01"]
    shown = runner.invoke(args=["bulletin", "show", str(bulletin.uuid)])
    assert "priority active" in shown.output and shown.output.count("entry ") == 2
    listed = runner.invoke(args=["bulletin", "list"])
    assert str(bulletin.uuid) in listed.output
    cancelled = runner.invoke(args=["bulletin", "cancel", str(bulletin.uuid), "--as", "vanhoa"])
    assert cancelled.exit_code == 0 and "cancelled; 2 devices told" in cancelled.output
    refused = runner.invoke(args=["bulletin", "issue", "--episode", "bt-1", "--areas", "TH-TX", "--priority",
                                  "normal", "--as", "dai-tk"])
    assert refused.exit_code == 1 and "rights on TH-TX are needed" in refused.output
