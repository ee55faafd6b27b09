"""The people of the season, acting through the product's own operations at a moment of the
simulated day: the culture office (imports, rebuilds, bulletins, make-goods, scripts), the
approver, and the commune operators (the "đã phát" tick, off-schedule airings). Each action is
one unit of work committed as a request or a command would be, and notes in the ledger what it
did and which audit rows it owes.
"""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, time, timedelta

from sqlalchemy import select

from schedules.planfile import dump_plan

from .. import lookups
from ..auth.operations import add_user
from ..bulletins.operations import BulletinError, cancel_bulletin, issue_bulletin
from ..compliance.operations import ComplianceError, compliance_report, schedule_makegoods
from ..devices.operations import issue_token
from ..media.library import add_episode_audio
from ..models import Episode, Plan, ScheduleEntry, Series, Station
from ..plans.edits import save_record
from ..plans.operations import import_plan
from ..playlogs.confirmations import add_unscheduled, confirm_entries
from ..schedule.operations import build_schedule
from ..scripts.operations import add_script, approve_script, reject_script, submit_script
from ..scripts.voicing import voice_script
from .world import PLAN, PROVINCE, record

OFFICE, APPROVER, ADMIN = "vanhoa", "duyet", "admin"


def operator(station: str) -> str:
    return f"dai-{station}"


def import_world(season) -> None:
    """Write the world's plan document as a plan file and import it, as `radio import` does
    before anyone has an account (the office's later changes go through its forms)."""
    doc = replace(season.world.document, base_dir=season.folder)
    path = season.folder / "plan.yaml"
    path.write_text(dump_plan(doc), encoding="utf-8")
    with season.instance.session() as session:
        summary = import_plan(session, path, None, now=season.clock.now)
    season.ledger.counts["plan imports"] += 1
    _owe_import_audits(season, summary)


def edit_record(season, section: str, code: str) -> None:
    """The office saves one record through its edit form (the import's reader and writer)."""
    with season.instance.session() as session:
        plan = session.scalar(select(Plan).where(Plan.code == PLAN))
        summary = save_record(session, lookups.user(session, OFFICE), plan, section,
                              record(season.world.document, section, code), now=season.clock.now)
    season.ledger.counts["records edited"] += 1
    _owe_import_audits(season, summary)


def _owe_import_audits(season, summary) -> None:
    """An import audits each record it creates or updates, as `<kind>.create` / `<kind>.update`."""
    for verb, counter in (("create", summary.created), ("update", summary.updated)):
        for kind, n in counter.items():
            season.ledger.expect_audit(f"{kind}.{verb}", None, n)


def upload_late_episode(season, late) -> None:
    """A late item reaches the office, which adds its audio to the library."""
    with season.instance.session() as session:
        series = session.scalar(select(Series).join(Plan).where(Plan.code == PLAN, Series.code == late.series))
        add_episode_audio(session, lookups.user(session, OFFICE), series, getattr(season.tones, late.tone),
                          title=late.title, code=late.code, available_from=late.available_from, expires=late.expires,
                          allow_duplicate=True, now=season.clock.now)  # the season reuses four tones: meant
    season.ledger.counts["episodes arriving late"] += 1
    season.ledger.expect_audit("episode.upload", f"{PLAN}/{late.code}")


def add_people(season) -> None:
    """An admin, the office (oversight), an approver for the province, an operator per commune."""
    now = season.clock.now
    with season.instance.session() as session:
        add_user(session, None, ADMIN, None, "admin", PROVINCE, now=now)
        add_user(session, None, OFFICE, None, "oversight", PROVINCE, now=now)
        add_user(session, None, APPROVER, None, "approver", PROVINCE, now=now)
        for commune in season.world.communes:
            add_user(session, None, operator(commune.station), None, "operator", commune.area, now=now)


def issue_device_token(season, device: str) -> str:
    with season.instance.session() as session:
        token = issue_token(session, lookups.user(session, ADMIN), device, now=season.clock.now)
    season.ledger.expect_audit("device.token", device)
    return token


def rebuild(season, why: str) -> None:
    """Plan from today to the horizon (the season's end at most), as the nightly job or the office
    after a change; the report is kept for the planner-versus-compliance check."""
    today = season.today
    end = min(today + timedelta(days=season.options.horizon_days - 1), season.world.end)
    if end < today:
        return
    with season.instance.session() as session:
        report = build_schedule(session, None, today, end, now=season.clock.now, tz=season.tz,
                                reservation_s=season.instance.app.config["RESERVATION_SECONDS"])
    season.ledger.counts["schedule builds"] += 1
    season.ledger.counts["entries built"] += report.created
    season.ledger.counts["entries cancelled by builds"] += report.cancelled
    for code in report.stations_changed:
        season.ledger.expect_audit("schedule.build", code)
    season.after_build(report, today, end, why)


def issue(season, rng: random.Random) -> None:
    """A bulletin of a random priority to one commune (sometimes the whole province)."""
    priority = rng.choice(("normal", "priority", "emergency"))
    commune = rng.choice(season.world.communes)
    area = PROVINCE if rng.random() < 0.2 else commune.area
    episode = f"{PLAN}/tin/tin-{rng.randint(1, 4)}"
    now = season.clock.now
    start = now
    if priority != "emergency" and rng.random() < 0.4:  # announced ahead, maybe past the built days
        hour = 0 if rng.random() < 0.5 else rng.randint(5, 16)  # for the whole day, or from an hour
        start = datetime.combine(season.today + timedelta(days=rng.randint(1, 25)), time(hour), season.tz)
    until = start + timedelta(hours=6 if priority == "emergency" else 24)
    try:
        with season.instance.session() as session:
            result = issue_bulletin(session, lookups.user(session, OFFICE), episode=episode, areas=[area],
                                    priority=priority, now=now, tz=season.tz, valid_from=start, valid_until=until)
            uuid = str(result.bulletin.uuid)
    except BulletinError as exc:
        season.ledger.counts["bulletins refused"] += 1
        season.note(f"bulletin refused: {exc}")
        return
    season.ledger.counts[f"bulletins issued ({priority})"] += 1
    season.ledger.expect_audit("bulletin.issue", uuid)
    season.bulletins.append(uuid)
    if priority == "emergency":
        season.notify_devices(area)  # the MQTT "poll now" notice, for receivers that listen


def cancel(season, rng: random.Random) -> None:
    if not season.bulletins:
        return
    uuid = season.bulletins.pop(rng.randrange(len(season.bulletins)))
    try:
        with season.instance.session() as session:
            cancel_bulletin(session, lookups.user(session, OFFICE), lookups.bulletin(session, uuid), season.clock.now)
    except BulletinError:
        return
    season.ledger.counts["bulletins cancelled"] += 1
    season.ledger.expect_audit("bulletin.cancel", uuid)


def make_goods(season, rng: random.Random) -> None:
    """The office looks at the province's rows and makes good up to two short or at-risk periods."""
    with season.instance.session() as session:
        report = compliance_report(session, area=lookups.area(session, PROVINCE), start=season.today,
                                   end=season.today, now=season.clock.now, tz=season.tz)
        rows = [r for r in report.rows if r.is_open]
    for row in rng.sample(rows, min(3, len(rows))):
        try:
            with season.instance.session() as session:
                station = session.scalar(select(Station).where(Station.code == row.station))
                entries = schedule_makegoods(session, requirement=lookups.requirement(session, row.requirement),
                                             station=station, day=row.period_start, user=lookups.user(session, OFFICE),
                                             now=season.clock.now, tz=season.tz)
        except ComplianceError:
            season.ledger.counts["make-goods with no slot left"] += 1
            continue
        season.ledger.counts["make-good entries"] += len(entries)
        season.ledger.expect_audit("compliance.makegood", row.station)


def confirm_day(season, station: str) -> None:
    """The operator ticks "đã phát" for the day's items (those already started)."""
    with season.instance.session() as session:
        found = session.scalar(select(Station).where(Station.code == station))
        logs = confirm_entries(session, station=found, day=season.today, user=lookups.user(session, operator(station)),
                               now=season.clock.now)
        season.ledger.confirmed |= {str(uuid) for uuid in session.scalars(select(ScheduleEntry.uuid).where(
            ScheduleEntry.id.in_([log.entry_id for log in logs if log.entry_id is not None])))}
    season.ledger.counts["operator confirmations"] += len(logs)
    if logs:
        season.ledger.expect_audit("playlog.confirm", station)


def off_schedule(season, station: str, rng: random.Random) -> None:
    """The operator records an airing that was not on the schedule (read out in the afternoon)."""
    at = datetime.combine(season.today, time(17, rng.randint(20, 28)), season.tz)
    if at > season.clock.now:
        return
    with season.instance.session() as session:
        found = session.scalar(select(Station).where(Station.code == station))
        episodes = session.scalars(select(Episode).join(Series).join(Plan).where(
            Plan.code == PLAN, Series.code == "cds", Episode.media_sha256.is_not(None),
            (Episode.available_from.is_(None)) | (Episode.available_from <= season.today),
            (Episode.expires.is_(None)) | (Episode.expires >= season.today))
            .order_by(Episode.available_from.desc(), Episode.id.desc())).all()
        if not episodes:
            return
        episode = episodes[0] if rng.random() < 0.7 else rng.choice(episodes)  # mostly this week's item, early
        add_unscheduled(session, station=found, episode=episode, at=at, user=lookups.user(session, operator(station)),
                        now=season.clock.now)
        season.ledger.unscheduled.append((station, episode.id, at))
    season.ledger.counts["off-schedule airings"] += 1
    season.ledger.expect_audit("playlog.add", station)


def approve_plan_script(season) -> None:
    """The approver approves the script the plan file brought, and it is voiced (espeak-ng)."""
    with season.instance.session() as session:
        episode = session.scalar(select(Episode).where(Episode.code == season.world.scripted))
        approve_script(session, lookups.user(session, APPROVER), episode.script, now=season.clock.now)
        voice_script(session, lookups.user(session, APPROVER), episode.script, now=season.clock.now)
        key = str(episode.script.id)
    season.ledger.counts["scripts approved and voiced"] += 1
    season.ledger.expect_audit("script.approve", key)
    season.ledger.expect_audit("script.voice", key)


def write_scripts(season) -> None:
    """The office writes two notices: the approver rejects one and approves the other (left
    unvoiced: voicing is slow, one per season is enough)."""
    now = season.clock.now
    with season.instance.session() as session:
        writer, approver = lookups.user(session, OFFICE), lookups.user(session, APPROVER)
        series = session.scalar(select(Series).join(Plan).where(Plan.code == PLAN, Series.code == "tin"))
        rejected = add_script(session, writer, series, "Thông báo lịch tiêm chủng", "Trạm y tế xã thông báo lịch tiêm.",
                              now=now)
        accepted = add_script(session, writer, series, "Thông báo họp thôn", "Mời bà con dự họp thôn tối thứ Bảy.",
                              now=now)
        for script in (rejected, accepted):
            submit_script(session, writer, script, now=now)
        reject_script(session, approver, rejected, "Thiếu ngày giờ cụ thể.", now=now)
        approve_script(session, approver, accepted, now=now)
        keys = str(rejected.id), str(accepted.id)
    season.ledger.counts["scripts written"] += 2
    season.ledger.counts["scripts rejected"] += 1
    season.ledger.expect_audit("script.reject", keys[0])
    season.ledger.expect_audit("script.approve", keys[1])

