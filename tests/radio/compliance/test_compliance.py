"""Compliance on the seed plans, from logs posted through the device API and confirmations made
on the CLI: what is met, short (naming the dates), at risk, in progress; counted once."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from tests.radio.compliance_kit import TZ, at, devices_of, seed

WEEK_45, WEEK_46, WEEK_47, WEEK_48 = (date(2026, 11, 2) + timedelta(weeks=n) for n in range(4))
SUNDAY = timedelta(days=6)


@pytest.fixture
def thanh_ky(app, client, runner, db, monkeypatch):
    """Seed 002: one new item a week, aired Tuesday and Thursday, nine village devices."""
    monkeypatch.setitem(app.config, "CLOCK", None)
    seeded = seed(app, client, runner, db, "002-thanh-ky.yaml", date(2026, 12, 13))
    seeded.set_now(at(WEEK_48 + timedelta(days=7)))  # Monday 30/11: weeks 45–48 are over
    return seeded


def rows_by_week(rows):
    return {date.fromisoformat(r["period_start"]): r for r in rows}


def test_every_airing_reported_means_every_week_met(thanh_ky):
    entries = thanh_ky.entries("thanhky", "tk-cds", WEEK_45, WEEK_48 + SUNDAY)
    assert [e.local_date.weekday() for e in entries] == [1, 3] * 4  # Tue and Thu, four weeks
    thanh_ky.post_logs("loa-tk-01", entries)
    rows = rows_by_week(thanh_ky.report("TH-NT-TK", WEEK_45, WEEK_48 + SUNDAY))
    assert sorted(rows) == [WEEK_45, WEEK_46, WEEK_47, WEEK_48]
    for row in rows.values():
        assert (row["status"], row["required_min"], row["planned"], row["aired"]) == ("met", 2, 2, 2)
        assert (row["new_required"], row["new_aired"], row["reasons"]) == (1, 1, [])


def test_a_missed_thursday_is_short_and_named(thanh_ky):
    entries = thanh_ky.entries("thanhky", "tk-cds", WEEK_45, WEEK_47 + SUNDAY)
    missed = [e for e in entries if e.local_date == WEEK_47 + timedelta(days=3)]
    thanh_ky.post_logs("loa-tk-02", [e for e in entries if e not in missed])
    thanh_ky.post_logs("loa-tk-03", missed, status="failed")  # failed never counts
    week = rows_by_week(thanh_ky.report("TH-NT-TK", WEEK_47, WEEK_47))[WEEK_47]
    assert (week["status"], week["aired"], week["missing_dates"]) == ("short", 1, ["2026-11-19"])
    assert any("19/11/2026" in reason for reason in week["reasons"])


def test_the_same_logs_posted_twice_count_once(thanh_ky):
    entries = thanh_ky.entries("thanhky", "tk-cds", WEEK_45, WEEK_45 + SUNDAY)
    first = thanh_ky.post_logs("loa-tk-01", entries)
    before = thanh_ky.report("TH-NT-TK", WEEK_45, WEEK_45)
    again = thanh_ky.post_logs("loa-tk-01", entries, log_ids=first["stored"])
    assert again["duplicate"] == first["stored"] and again["stored"] == []
    thanh_ky.post_logs("loa-tk-05", entries)  # another village's device: the same airings
    assert thanh_ky.report("TH-NT-TK", WEEK_45, WEEK_45) == before
    assert before[0]["aired"] == 2


def test_operator_confirmations_on_the_cli_count_as_aired(thanh_ky, db):
    from tests.factories import create_user
    from radio.models import Area
    from sqlalchemy import select

    create_user(db, "dai-tk", "operator", db.scalar(select(Area).where(Area.code == "TH-NT-TK")))
    db.commit()
    for day in (WEEK_46 + timedelta(days=1), WEEK_46 + timedelta(days=3)):
        result = thanh_ky.cli("playlog", "confirm", "--station", "thanhky", "--date", day, "--as", "dai-tk")
        assert result.exit_code == 0 and "confirmed" in result.output, result.output
    week = rows_by_week(thanh_ky.report("TH-NT-TK", WEEK_46, WEEK_46))[WEEK_46]
    assert (week["status"], week["aired"], week["new_aired"]) == ("met", 2, 1)


def test_min_devices_raises_the_bar(thanh_ky, app, monkeypatch):
    entries = thanh_ky.entries("thanhky", "tk-cds", WEEK_45, WEEK_45 + SUNDAY)
    thanh_ky.post_logs("loa-tk-01", entries)
    thanh_ky.post_logs("loa-tk-02", entries[:1])
    monkeypatch.setitem(app.config, "COMPLIANCE_MIN_DEVICES", 2)
    week = thanh_ky.report("TH-NT-TK", WEEK_45, WEEK_45)[0]
    assert (week["aired"], week["status"], week["missing_dates"]) == (1, "short", [entries[1].local_date.isoformat()])


def test_an_operators_confirmation_counts_whatever_the_device_threshold(thanh_ky, db, app, monkeypatch):
    from tests.factories import create_user
    from radio.models import Area
    from sqlalchemy import select

    create_user(db, "dai-tk", "operator", db.scalar(select(Area).where(Area.code == "TH-NT-TK")))
    db.commit()
    thanh_ky.post_logs("loa-tk-01", thanh_ky.entries("thanhky", "tk-cds", WEEK_46, WEEK_46 + SUNDAY))
    for day in (WEEK_46 + timedelta(days=1), WEEK_46 + timedelta(days=3)):
        assert thanh_ky.cli("playlog", "confirm", "--station", "thanhky", "--date", day, "--as", "dai-tk").exit_code == 0
    monkeypatch.setitem(app.config, "COMPLIANCE_MIN_DEVICES", 2)
    week = rows_by_week(thanh_ky.report("TH-NT-TK", WEEK_46, WEEK_46))[WEEK_46]
    assert (week["status"], week["aired"]) == ("met", 2)


def test_a_village_view_counts_its_own_device(thanh_ky):
    entries = thanh_ky.entries("thanhky", "tk-cds", WEEK_45, WEEK_45 + SUNDAY)
    thanh_ky.post_logs("loa-tk-01", entries)
    assert thanh_ky.report("TH-NT-TK-01", WEEK_45, WEEK_45)[0]["status"] == "met"
    own = thanh_ky.report("TH-NT-TK-02", WEEK_45, WEEK_45)[0]
    assert (own["aired"], own["status"]) == (0, "short")


def test_the_current_week_on_track_and_the_weeks_to_come(thanh_ky, db):
    """Seed 002 has no new item for 21–27/12 (replays only); and when every item has expired by
    the week after, the planner can only reserve slots there. Everything planned up to today
    aired: an item that never aired would still be new, for the planner as for compliance."""
    from radio.models import Episode
    from sqlalchemy import update

    current = WEEK_48 + timedelta(days=7)  # 30/11–06/12
    up_to_tuesday = thanh_ky.entries("thanhky", "tk-cds", WEEK_45, current + timedelta(days=1))
    thanh_ky.set_now(at(current + timedelta(days=2)))  # Wednesday: Tuesday aired, Thursday to come
    thanh_ky.post_logs("loa-tk-01", up_to_tuesday)
    db.execute(update(Episode).where(Episode.available_from < date(2026, 12, 28)).values(expires=date(2026, 12, 27)))
    db.commit()
    result = thanh_ky.cli("schedule", "build", "--from", "2026-12-14", "--to", "2027-01-10")
    assert result.exit_code in (0, 2), result.output
    rows = rows_by_week(thanh_ky.report("TH-NT-TK", current, date(2027, 1, 10)))
    assert (rows[current]["status"], rows[current]["aired"], rows[current]["planned"]) == ("in_progress", 1, 2)
    assert rows[date(2026, 12, 7)]["status"] == "pending"
    week_52 = rows[date(2026, 12, 21)]
    assert week_52["status"] == "at_risk" and "0 of 1 new episodes aired, 0 more planned" in week_52["reasons"]
    new_year = rows[date(2027, 1, 4)]  # w53's item aired the week before: only reservations left
    assert new_year["status"] == "at_risk", new_year
    assert any("reservation(s) still without content" in r for r in new_year["reasons"]), new_year


def test_a_missed_tuesday_puts_the_current_week_at_risk_and_a_makegood_saves_it(thanh_ky, db):
    from tests.factories import create_user
    from radio.models import Area, ScheduleEntry
    from sqlalchemy import select

    create_user(db, "dai-tk", "operator", db.scalar(select(Area).where(Area.code == "TH-NT-TK")))
    db.commit()
    current = WEEK_48 + timedelta(days=7)
    thanh_ky.set_now(at(current + timedelta(days=2)))
    row = thanh_ky.report("TH-NT-TK", current, current)[0]
    assert row["status"] == "at_risk" and row["missing_dates"] == ["2026-12-01"]
    result = thanh_ky.cli("compliance", "makegood", "--requirement", "tk-cds-tuan", "--station", "thanhky",
                          "--date", current, "--as", "dai-tk")
    assert result.exit_code == 0, result.output
    made = db.scalars(select(ScheduleEntry).where(ScheduleEntry.origin == "make-good")).all()
    assert len(made) == 1 and made[0].local_date == date(2026, 12, 3) and made[0].episode_id is not None
    assert made[0].is_pinned
    assert thanh_ky.report("TH-NT-TK", current, current)[0]["status"] == "in_progress"
    refused = thanh_ky.cli("compliance", "makegood", "--requirement", "tk-cds-tuan", "--station", "thanhky",
                           "--date", current, "--as", "dai-tk")
    assert refused.exit_code == 1 and "in_progress" in refused.output


def test_a_makegood_on_a_day_not_built_yet_leaves_the_relay_its_time(thanh_ky, db):
    """Week 51 is not built yet (the seed builds to 13/12), so its relay is no entry yet: the
    make-good must keep off its time all the same, and the build keeps both."""
    from tests.factories import create_user
    from radio.models import Area, ScheduleEntry, Station
    from sqlalchemy import select

    create_user(db, "dai-tk", "operator", db.scalar(select(Area).where(Area.code == "TH-NT-TK")))
    db.commit()
    week_51 = date(2026, 12, 14)
    thanh_ky.set_now(at(week_51 + timedelta(days=2)))  # Wednesday: Tuesday passed without the item
    assert thanh_ky.report("TH-NT-TK", week_51, week_51)[0]["status"] == "at_risk"
    result = thanh_ky.cli("compliance", "makegood", "--requirement", "tk-cds-tuan", "--station", "thanhky",
                          "--date", week_51, "--as", "dai-tk")
    assert result.exit_code == 0, result.output
    made = db.scalars(select(ScheduleEntry).where(ScheduleEntry.origin == "make-good")).all()
    assert made and all(e.local_date == week_51 + timedelta(days=3) for e in made)
    result = thanh_ky.cli("schedule", "build", "--from", week_51, "--to", week_51 + SUNDAY)
    assert result.exit_code in (0, 2), result.output
    thursday = db.scalars(select(ScheduleEntry).join(Station).where(
        Station.code == "thanhky", ScheduleEntry.status == "planned",
        ScheduleEntry.local_date == week_51 + timedelta(days=3)).order_by(ScheduleEntry.start_at)).all()
    relays = [e for e in thursday if e.kind == "relay"]
    assert [e.start_at.astimezone(TZ).time() for e in relays] == [time(5, 30)]
    assert all(e in thursday for e in made)
    assert all(a.end_at <= b.start_at for a, b in zip(thursday, thursday[1:]))  # nothing overlaps


def test_an_airing_recorded_off_the_schedule_counts_for_the_planner_as_for_compliance(thanh_ky, db):
    """Tuesday's item of week 51 went out before the week was built, recorded with `playlog
    add`; only Thursday's morning is left (the requirement allows the morning only). Compliance
    counts the Tuesday airing, so the build must too: one more airing and the week is on track."""
    from tests.factories import create_user
    from radio.models import Area, Requirement
    from radio.schedule.operations import build_schedule
    from sqlalchemy import select

    create_user(db, "dai-tk", "operator", db.scalar(select(Area).where(Area.code == "TH-NT-TK")))
    db.scalar(select(Requirement).where(Requirement.code == "tk-cds-tuan")).windows = ["sang"]
    db.commit()
    week_51 = date(2026, 12, 14)
    now = at(week_51 + timedelta(days=2))  # Wednesday
    thanh_ky.set_now(now)
    added = thanh_ky.cli("playlog", "add", "--station", "thanhky", "--episode", "thanh-ky-cds/tk-cds/tk-cds-2026-w51",
                         "--at", "2026-12-15 05:45", "--as", "dai-tk")
    assert added.exit_code == 0, added.output
    before = thanh_ky.report("TH-NT-TK", week_51, week_51)[0]
    assert (before["status"], before["aired"], before["unscheduled"]) == ("at_risk", 1, 1)
    report = build_schedule(db, None, week_51, week_51 + SUNDAY, now=now, tz=TZ)
    db.commit()
    assert [s for s in report.shortfalls if s.period_start == week_51] == []
    planned = thanh_ky.entries("thanhky", "tk-cds", week_51, week_51 + SUNDAY)
    assert [e.local_date for e in planned] == [week_51 + timedelta(days=3)]  # only what is missing
    after = thanh_ky.report("TH-NT-TK", week_51, week_51)[0]
    assert (after["status"], after["aired"], after["planned"], after["new_aired"]) == ("in_progress", 1, 1, 1)


def test_a_missed_entry_is_no_airing_for_the_planner_either(thanh_ky, db):
    """Tuesday's entry went unreported: compliance says the week is at risk, and a rebuild on
    Wednesday plans the missing airing rather than counting the missed one."""
    from radio.schedule.operations import build_schedule

    current = WEEK_48 + timedelta(days=7)
    now = at(current + timedelta(days=2))
    thanh_ky.set_now(now)
    assert thanh_ky.report("TH-NT-TK", current, current)[0]["status"] == "at_risk"
    report = build_schedule(db, None, current, current + SUNDAY, now=now, tz=TZ)
    db.commit()
    assert [s for s in report.shortfalls if s.period_start == current] == []
    thursday = thanh_ky.entries("thanhky", "tk-cds", current + timedelta(days=3), current + timedelta(days=3))
    assert len(thursday) == 2
    row = thanh_ky.report("TH-NT-TK", current, current)[0]
    assert (row["status"], row["aired"], row["missing_dates"]) == ("in_progress", 0, ["2026-12-01"])


def test_an_airing_recorded_off_the_schedule_earlier_today_counts_for_a_rebuild_today(thanh_ky, db):
    """Tuesday's item of week 51 went out at 05:45 and was recorded with `playlog add`; the
    office rebuilds the week at 10:00 the same day. The airing of today counts for compliance
    already, so the build must not plan the item as this week's new one again (found by the
    season simulation: a rebuild at an odd time, after an operator's off-schedule airing)."""
    from tests.factories import create_user
    from radio.models import Area, Requirement
    from radio.schedule.operations import build_schedule
    from sqlalchemy import select

    create_user(db, "dai-tk", "operator", db.scalar(select(Area).where(Area.code == "TH-NT-TK")))
    db.scalar(select(Requirement).where(Requirement.code == "tk-cds-tuan")).windows = ["sang"]
    db.commit()
    week_51 = date(2026, 12, 14)
    tuesday = week_51 + timedelta(days=1)
    now = at(tuesday, 10)
    thanh_ky.set_now(now)
    added = thanh_ky.cli("playlog", "add", "--station", "thanhky", "--episode", "thanh-ky-cds/tk-cds/tk-cds-2026-w51",
                         "--at", "2026-12-15 05:45", "--as", "dai-tk")
    assert added.exit_code == 0, added.output
    report = build_schedule(db, None, week_51, week_51 + SUNDAY, now=now, tz=TZ)
    db.commit()
    assert [s for s in report.shortfalls if s.period_start == week_51] == []
    planned = thanh_ky.entries("thanhky", "tk-cds", week_51, week_51 + SUNDAY)
    assert [e.local_date for e in planned] == [tuesday + timedelta(days=2)]  # Thursday only
    row = thanh_ky.report("TH-NT-TK", week_51, week_51)[0]
    assert (row["status"], row["aired"], row["planned"], row["new_aired"]) == ("in_progress", 1, 1, 1)
