"""Operators confirm airings by hand and record unscheduled ones: once each, scoped, audited."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from radio.errors import Forbidden
from radio.models import AuditLog, ClosedDate, PlayLog, ScheduleEntry
from radio.playlogs.confirmations import (
    ConfirmationError, add_unscheduled, confirm_entries, ticks_of_day, undo_confirmation,
)
from schedules.exports import Tick
from schedules.planfile.messages import Term
from tests.factories import (
    create_episode, create_plan, create_series, create_station, create_tree, create_user,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2026, 11, 24)  # a Tuesday
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=TZ)


def entry(db, station, at: time, episode=None, day=DAY, window="sang", **values) -> ScheduleEntry:
    start = datetime.combine(day, at, tzinfo=TZ)
    row = ScheduleEntry(station=station, start_at=start, end_at=start + timedelta(minutes=3), local_date=day,
                        window_name=window, kind="episode" if episode else "reservation", episode=episode,
                        series=episode.series if episode else None, created_at=NOW, **values)
    db.add(row)
    db.flush()
    return row


@pytest.fixture
def world(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    tree = create_tree(db)
    tk, xa = create_station(db, tree["TH-NT-TK"], "st-tk"), create_station(db, tree["TH-TX-XA"], "st-xa")
    series = create_series(db, create_plan(db, tree["TH"], "kh"), "cds")
    ep1, ep2 = create_episode(db, series, "ep-1"), create_episode(db, series, "ep-2")
    entries = {"morning": entry(db, tk, time(5, 30), ep1), "reservation": entry(db, tk, time(5, 40)),
               "cancelled": entry(db, tk, time(5, 45), ep2, status="cancelled"),
               "evening": entry(db, tk, time(17, 0), ep2, window=None),
               "yesterday": entry(db, tk, time(5, 30), ep2, DAY - timedelta(1)),
               "xa": entry(db, xa, time(5, 30), ep1)}
    users = {"dai-tk": create_user(db, "dai-tk", "operator", tree["TH-NT-TK"]),
             "dai-xa": create_user(db, "dai-xa", "operator", tree["TH-TX-XA"]),
             "vanhoa": create_user(db, "vanhoa", "oversight", tree["TH-NT"])}
    return {"tk": tk, "xa": xa, "entries": entries, "users": users, "episodes": (ep1, ep2)}


def logs(db) -> int:
    return db.scalar(select(func.count()).select_from(PlayLog))


def test_confirming_a_day_confirms_what_has_aired_once_with_who_and_when(db, world):
    created = confirm_entries(db, station=world["tk"], day=DAY, user=world["users"]["dai-tk"], now=NOW)
    morning = world["entries"]["morning"]
    assert [log.entry_id for log in created] == [morning.id]  # not the reservation, cancelled or 17:00 one
    assert created[0].user_id == world["users"]["dai-tk"].id and created[0].received_at == NOW
    assert created[0].device_id is None and created[0].station_id == world["tk"].id
    assert ticks_of_day(db, station=world["tk"], day=DAY) == {str(morning.uuid): Tick("dai-tk", NOW)}
    later = NOW + timedelta(hours=6)
    again = confirm_entries(db, station=world["tk"], day=DAY, user=world["users"]["dai-tk"], now=later)
    assert [log.entry_id for log in again] == [world["entries"]["evening"].id]
    assert confirm_entries(db, station=world["tk"], day=DAY, user=world["users"]["dai-tk"], now=later) == []
    assert logs(db) == 2
    audit = db.scalars(select(AuditLog).where(AuditLog.action == "playlog.confirm")).all()
    assert [a.after["entries"] for a in audit] == [[str(morning.uuid)], [str(world["entries"]["evening"].uuid)]]


def test_only_the_named_entries_and_only_the_stations_own_of_that_day(db, world):
    e = world["entries"]
    with pytest.raises(ConfirmationError) as refused:
        confirm_entries(db, station=world["tk"], day=DAY, user=world["users"]["dai-tk"], now=NOW,
                        entry_uuids=[e["morning"].uuid, e["xa"].uuid, str(e["yesterday"].uuid), e["cancelled"].uuid])
    message = str(refused.value)
    assert str(e["xa"].uuid) in message and str(e["yesterday"].uuid) in message and str(e["cancelled"].uuid) in message
    assert str(e["morning"].uuid) not in message and logs(db) == 0
    with pytest.raises(ConfirmationError, match="window not started yet"):
        confirm_entries(db, station=world["tk"], day=DAY, user=world["users"]["dai-tk"], now=NOW,
                        entry_uuids=[e["evening"].uuid])
    with pytest.raises(ConfirmationError, match="not an entry UUID"):
        confirm_entries(db, station=world["tk"], day=DAY, user=world["users"]["dai-tk"], now=NOW, entry_uuids=["x"])
    created = confirm_entries(db, station=world["tk"], day=DAY, user=world["users"]["dai-tk"], now=NOW,
                              entry_uuids=[str(e["morning"].uuid)])
    assert len(created) == 1 and logs(db) == 1


def test_items_are_ticked_from_their_windows_opening_one_by_one_or_the_whole_window(db, world):
    tk, operator = world["tk"], world["users"]["dai-tk"]
    ep1, ep2 = world["episodes"]
    later = [entry(db, tk, time(5, 50), ep1, DAY + timedelta(1)), entry(db, tk, time(5, 55), ep2, DAY + timedelta(1))]
    before, opened = datetime(2026, 11, 25, 5, 29, tzinfo=TZ), datetime(2026, 11, 25, 5, 31, tzinfo=TZ)
    with pytest.raises(ConfirmationError, match="window not started yet"):
        confirm_entries(db, station=tk, day=DAY + timedelta(1), user=operator, now=before, entry_uuids=[later[0].uuid])
    with pytest.raises(ConfirmationError) as refused:
        confirm_entries(db, station=tk, day=DAY + timedelta(1), user=operator, now=before, window="sang")
    assert refused.value.code == "window_not_started" and logs(db) == 0
    with pytest.raises(ConfirmationError, match="no window 'trua'"):
        confirm_entries(db, station=tk, day=DAY + timedelta(1), user=operator, now=opened, window="trua")
    one = confirm_entries(db, station=tk, day=DAY + timedelta(1), user=operator, now=opened,
                          entry_uuids=[later[0].uuid])  # 19 minutes before it starts: its window is on air
    assert [log.entry_id for log in one] == [later[0].id]
    rest = confirm_entries(db, station=tk, day=DAY + timedelta(1), user=operator, now=opened, window="sang")
    assert [log.entry_id for log in rest] == [later[1].id] and logs(db) == 2


def test_a_tick_is_undone_on_the_day_it_was_made_and_audited(db, world):
    tk, operator, morning = world["tk"], world["users"]["dai-tk"], world["entries"]["morning"]
    operator.display_name = "Nguyễn Văn Trực"
    confirm_entries(db, station=tk, day=DAY, user=operator, now=NOW, entry_uuids=[morning.uuid])
    assert ticks_of_day(db, station=tk, day=DAY)[str(morning.uuid)] == Tick("Nguyễn Văn Trực", NOW)
    with pytest.raises(Forbidden):
        undo_confirmation(db, station=tk, entry_uuid=morning.uuid, user=world["users"]["dai-xa"], now=NOW)
    with pytest.raises(ConfirmationError) as late:
        undo_confirmation(db, station=tk, entry_uuid=morning.uuid, user=operator, now=NOW + timedelta(hours=12))
    assert late.value.code == "undo_too_late" and logs(db) == 1
    undo_confirmation(db, station=tk, entry_uuid=str(morning.uuid), user=operator, now=NOW + timedelta(hours=1))
    assert ticks_of_day(db, station=tk, day=DAY) == {} and logs(db) == 0
    [audited] = db.scalars(select(AuditLog).where(AuditLog.action == "playlog.unconfirm")).all()
    assert audited.before == {"date": "2026-11-24", "entries": [str(morning.uuid)], "by": "Nguyễn Văn Trực",
                              "at": NOW.astimezone(ZoneInfo("UTC")).isoformat()}
    with pytest.raises(ConfirmationError) as again:
        undo_confirmation(db, station=tk, entry_uuid=morning.uuid, user=operator, now=NOW + timedelta(hours=1))
    assert again.value.code == "not_ticked"
    assert len(confirm_entries(db, station=tk, day=DAY, user=operator, now=NOW + timedelta(hours=2),
                               entry_uuids=[morning.uuid])) == 1  # ticked again after the undo


@pytest.mark.parametrize("who", ["dai-xa", "vanhoa"])
def test_only_operators_of_the_stations_area_may_confirm(db, world, who):
    with pytest.raises(Forbidden):
        confirm_entries(db, station=world["tk"], day=DAY, user=world["users"][who], now=NOW)
    with pytest.raises(Forbidden):
        add_unscheduled(db, station=world["tk"], episode=world["episodes"][0], at=NOW - timedelta(hours=1),
                        user=world["users"][who], now=NOW)
    assert logs(db) == 0


def test_an_unscheduled_airing_is_recorded_once(db, world):
    at = datetime(2026, 11, 24, 6, 10, tzinfo=TZ)
    first = add_unscheduled(db, station=world["tk"], episode=world["episodes"][1], at=at,
                            user=world["users"]["dai-tk"], now=NOW)
    again = add_unscheduled(db, station=world["tk"], episode=world["episodes"][1], at=at,
                            user=world["users"]["dai-tk"], now=NOW)
    assert first.id == again.id and logs(db) == 1
    assert (first.entry_id, first.episode_id, first.station_id) == (None, world["episodes"][1].id, world["tk"].id)
    assert first.ended_at - first.started_at == timedelta(seconds=150)
    with pytest.raises(ConfirmationError, match="in the future"):
        add_unscheduled(db, station=world["tk"], episode=world["episodes"][1], at=NOW + timedelta(hours=1),
                        user=world["users"]["dai-tk"], now=NOW)
    [audited] = db.scalars(select(AuditLog).where(AuditLog.action == "playlog.add")).all()
    episode = world["episodes"][1]
    assert audited.after["episode"] == f"{episode.series.plan.code}/{episode.series.code}/{episode.code}"
    assert "episode_id" not in audited.after  # the audit log page shows it: no database ids


def test_cli_confirm_and_add(runner, db, world):
    e = world["entries"]
    result = runner.invoke(args=["playlog", "confirm", "--station", "st-tk", "--date", "2026-11-24",
                                 "--entries", str(e["morning"].uuid), "--as", "dai-tk"])
    assert result.exit_code == 0 and "confirmed 1 entry of st-tk on 24/11/2026" in result.output, result.output
    result = runner.invoke(args=["playlog", "confirm", "--station", "st-tk", "--date", "2026-11-24", "--as", "dai-tk"])
    assert result.exit_code == 0 and "confirmed 0 entries" in result.output
    refused = runner.invoke(args=["playlog", "confirm", "--station", "st-tk", "--date", "2026-11-24",
                                  "--entries", str(e["xa"].uuid), "--as", "dai-tk"])
    assert refused.exit_code == 1 and str(e["xa"].uuid) in refused.output
    forbidden = runner.invoke(args=["playlog", "confirm", "--station", "st-tk", "--date", "2026-11-24",
                                    "--as", "dai-xa"])
    assert forbidden.exit_code == 1 and "operator rights on TH-NT-TK" in forbidden.output
    added = runner.invoke(args=["playlog", "add", "--station", "st-tk", "--episode", "kh/cds/ep-2",
                                "--at", "2026-11-24 06:10", "--as", "dai-tk"])
    assert added.exit_code == 0, added.output
    log = db.scalar(select(PlayLog).where(PlayLog.entry_id.is_(None)))
    assert log.started_at == datetime(2026, 11, 23, 23, 10, tzinfo=ZoneInfo("UTC"))
    undone = runner.invoke(args=["playlog", "undo", "--station", "st-tk", "--entry", str(e["morning"].uuid),
                                 "--as", "dai-tk"])
    assert undone.exit_code == 0 and "took back the tick" in undone.output, undone.output
    again = runner.invoke(args=["playlog", "undo", "--station", "st-tk", "--entry", str(e["morning"].uuid),
                                "--as", "dai-tk"])
    assert again.exit_code == 1 and "is not ticked" in again.output
    windowed = runner.invoke(args=["playlog", "confirm", "--station", "st-tk", "--date", "2026-11-24",
                                   "--window", "sang", "--as", "dai-tk"])
    assert windowed.exit_code == 0 and "confirmed 1 entry " in windowed.output, windowed.output
    assert runner.invoke(args=["playlog", "add", "--station", "nope", "--episode", "ep-2", "--at", "2026-11-24 06:10",
                               "--as", "dai-tk"]).output.strip().endswith("no station with code 'nope'")
    assert logs(db) == 2


@pytest.mark.parametrize("season", [
    {"valid_from": DAY + timedelta(1)},  # a seasonal window whose dates start the next day
    {"valid_to": DAY - timedelta(1)},  # … or ended the day before
    {"days": ("MO", "WE", "TH", "FR", "SA")},  # a window that does not air on Tuesdays
])
def test_a_whole_window_is_not_ticked_on_a_day_it_is_not_on_air(db, world, season):
    tk, operator, morning = world["tk"], world["users"]["dai-tk"], world["entries"]["morning"]
    window = tk.windows[0]
    for name, value in season.items():
        setattr(window, name, value)
    db.flush()
    with pytest.raises(ConfirmationError) as refused:
        confirm_entries(db, station=tk, day=DAY, user=operator, now=NOW, window="sang")
    assert refused.value.code == "window_off_day" and "window 'sang' of st-tk is not on air on 24/11/2026" in str(
        refused.value)
    assert refused.value.values == {"window": Term("Buổi sáng"), "day": DAY}
    assert logs(db) == 0 and db.scalars(select(AuditLog).where(AuditLog.action == "playlog.confirm")).all() == []
    for name in season:  # back in season: the same window is ticked
        setattr(window, name, {"days": ("MO", "TU", "WE", "TH", "FR", "SA")}.get(name))
    db.flush()
    created = confirm_entries(db, station=tk, day=DAY, user=operator, now=NOW, window="sang")
    assert [log.entry_id for log in created] == [morning.id] and logs(db) == 1


def test_a_whole_window_is_not_ticked_on_a_day_the_station_is_closed(db, world):
    world["tk"].closed_dates.append(ClosedDate(day=DAY))  # as the day page, which lists no window that day
    db.flush()
    with pytest.raises(ConfirmationError) as refused:
        confirm_entries(db, station=world["tk"], day=DAY, user=world["users"]["dai-tk"], now=NOW, window="sang")
    assert refused.value.code == "window_off_day" and logs(db) == 0
