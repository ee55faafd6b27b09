"""A small season in a box (radio/simulation): two months of three communes, run through the real
app, receivers and operations, with every invariant checked every day.

Seeds that once found a violation are kept here; each runs the whole season again. Known
violations of bugs not fixed yet are listed with the bug; any other violation fails the test.
"""
from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

from radio.models import Device, PlayLog, ScheduleEntry, Station
from radio.simulation import invariants
from radio.simulation.report import render
from radio.simulation.season import Options, Season, run_season
from tests.factories.servers import throwaway_database

pytestmark = pytest.mark.slow

# Seeds kept because they found something (fixed since), with the invariants still failing there
# (none: a bug that is known but not fixed yet is listed here by its invariant).
KEPT_SEEDS = {
    # 24/12/2026: a priority bulletin issued for a day not built yet took xa-02's relay slot;
    # 10/11/2026: the planner's history ignored an off-schedule airing compliance counts;
    # the round trip refused an episode voiced from its script (audio and script);
    # every day: stamps (created_at, the audit log's at…) read from the wall clock.
    3: set(),
    # 04/12/2026: a rebuild in the evening planned as new an episode aired off the schedule
    # that afternoon (the planner's history stopped at yesterday).
    2: set(),
}


@pytest.fixture
def database_url(tmp_path):
    """PostgreSQL when the run is on it (a throw-away schema), else the season's own SQLite file."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        yield None
        return
    with throwaway_database(tmp_path) as url:
        yield url


@pytest.mark.parametrize("seed", sorted(KEPT_SEEDS))
def test_a_small_season_keeps_every_invariant(seed, database_url):
    result = run_season(Options(communes=3, days=60, seed=seed, database_url=database_url))
    print(render(result))
    assert result.counts["device logs played"] > 100 and result.counts["operator confirmations"] > 20
    assert result.checked["compliance_matches_ground_truth"] == 61
    unexpected = [v for v in result.violations if v.invariant not in KEPT_SEEDS[seed]]
    assert not unexpected, "\n".join(f"{v.invariant} {v.day:%d/%m/%Y}: {v.message}" for v in unexpected[:10])


def test_the_same_seed_gives_the_same_season(database_url):
    first = run_season(Options(communes=2, days=4, seed=11, database_url=database_url))
    second = run_season(Options(communes=2, days=4, seed=11))
    assert first.counts == second.counts
    assert [(v.invariant, v.day) for v in first.violations] == [(v.invariant, v.day) for v in second.violations]


def test_the_checks_notice_a_lost_airing_a_missing_block_and_an_overlap(tmp_path, database_url):
    """The invariants are only worth their silence if they speak up: after a simulated day,
    remove a stored airing, a relay block and squeeze an item into another, and each check says so."""
    options = Options(communes=2, days=3, seed=5, database_url=database_url)
    with Season(options, tmp_path).opened() as season:
        day = options.start
        season.play_day(day)
        assert not [v for v in season.violations if v.invariant in (
            "airings_stored_once", "compliance_matches_ground_truth", "fixed_blocks_on_air", "items_fit_their_windows")]
        with season.instance.session() as session:
            lost = session.scalars(select(PlayLog).join(ScheduleEntry, ScheduleEntry.id == PlayLog.entry_id).where(
                PlayLog.device_id.is_not(None), PlayLog.status == "played", ScheduleEntry.series_id.is_not(None),
                ScheduleEntry.origin == "planner")).first()
            device = session.get(Device, lost.device_id).code
            session.execute(delete(PlayLog).where(PlayLog.entry_id == lost.entry_id))  # every device's
            session.execute(ScheduleEntry.__table__.update().where(ScheduleEntry.id == lost.entry_id)
                            .values(reported_played=False))
            relay = session.scalars(select(ScheduleEntry).where(ScheduleEntry.kind == "relay",
                                                                ScheduleEntry.local_date == day)).first()
            relay.status = "cancelled"
            station = session.get(Station, relay.station_id).code
            item = session.scalars(select(ScheduleEntry).where(
                ScheduleEntry.kind == "episode", ScheduleEntry.status == "planned",
                ScheduleEntry.local_date == day + timedelta(days=1))).first()
            item.end_at = item.end_at + timedelta(hours=2)
        stored = invariants.airings_stored_once(season, day)
        assert any(device in message and str(lost.client_uuid) in message for message in stored)
        assert invariants.compliance_matches_ground_truth(season, day)
        assert any(station in message and "planned 0 times" in message
                   for message in invariants.fixed_blocks_on_air(season, day))
        assert any("outside its window" in message for message in invariants.items_fit_their_windows(season, day))


def test_a_season_is_a_command(app, runner):
    """`radio simulate` runs against its own throw-away instance and says which invariants held."""
    result = runner.invoke(args=["simulate", "--communes", "1", "--days", "2", "--seed", "7",
                                 "--start", date(2026, 11, 2).isoformat()])
    assert "invariants" in result.output and "airings_stored_once" in result.output
    assert result.exit_code in (0, 1)
    assert ("first violation:" in result.output) == (result.exit_code == 1)


def test_the_demo_lives_its_last_weeks(tmp_path):
    """`radio demo` gives the office a past: loudspeakers that played, and one station whose
    loudspeakers went silent (its airings missed since); the app's clock is given back."""
    from radio.demo import EXAMPLES
    from tests.factories.apps import separate_app

    now = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Thursday
    examples = tmp_path / "examples"
    examples.mkdir()
    (examples / "002-thanh-ky.yaml").write_bytes((EXAMPLES / "002-thanh-ky.yaml").read_bytes())
    with separate_app(tmp_path / "instance", CLOCK=lambda: now) as app, app.app_context():
        from radio import db, schema

        schema.upgrade(app.extensions["radio.engine"])
        runner = app.test_cli_runner()
        result = runner.invoke(args=["demo", "--examples", str(examples), "--history-weeks", "1"])
        assert result.exit_code == 0, result.output
        assert "device logs played" in result.output and "loudspeakers silent at the end" in result.output
        assert app.config["CLOCK"]() == now and app.config["DEVICE_POLL_SECONDS"] == 60  # given back
        played = db.session().scalars(select(PlayLog).where(PlayLog.device_id.is_not(None),
                                                            PlayLog.status == "played")).all()
        assert played and max(p.started_at for p in played) < now
        report = runner.invoke(args=["compliance", "--area", "TH-NT-TK", "--from", "2026-11-30", "--to", "2026-12-06",
                                     "--format", "json"])
        assert report.exit_code == 0, report.output
        # Thanh Kỳ is the station with fewest loudspeakers (the only one): silent from Wednesday
        # 02/12, so Tuesday's item aired and Thursday's did not.
        week = [r for r in json.loads(report.output) if r["station"] == "thanhky"]
        assert [(r["aired"], r["status"], r["missing_dates"]) for r in week] == [(1, "short", ["2026-12-03"])]
