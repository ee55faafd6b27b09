"""Compliance reports for an area and a period, the overview with deadlines, frozen copies and
make-goods. What the CLI, the API and the culture office's pages call; writes only flush."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from schedules.compliance import ComplianceRow, MakeGood, evaluate, propose_makegoods, row_json
from schedules.marking import N_
from schedules.periods import UNCOUNTED_KINDS, RequirementInput, StationInput, period_bounds
from schedules.slots import Pending, free_spans, open_spans, place

from .. import audit
from ..area_tree import subtree_ids
from ..auth.permissions import require
from ..collector import collector_paused
from ..core_inputs import requirement_input, requirement_key, series_key, station_input, stations_covered
from ..errors import RadioError
from ..models import Area, Device, Episode, FrozenReport, Plan, Requirement, ScheduleEntry, Series, Station, User
from .counting import CountScope, Unscheduled, airing_counts
from .documents import handin_document


class ComplianceError(RadioError):
    """A compliance request refused, saying what and where."""

    status, code = 400, "bad_request"
    messages = {
        "dates_order": N_("Ngày kết thúc %(end)s trước ngày bắt đầu %(start)s."),
        "no_requirements": N_("Kế hoạch “%(plan)s” chưa có yêu cầu nào để báo cáo."),
        "nothing_in_area": N_("Kế hoạch “%(plan)s” không có yêu cầu nào áp dụng cho đài trong %(area)s."),
        "not_covered": N_("Yêu cầu “%(requirement)s” không áp dụng cho %(station)s."),
        "no_makegood_needed": N_("Kỳ này của “%(requirement)s” ở %(station)s không thiếu, nên không cần phát bù."),
        "no_free_slot": N_("Không còn khung giờ trống được phép để phát bù “%(requirement)s” ở %(station)s "
                           "trong kỳ %(start)s – %(end)s."),
    }


@dataclass
class ComplianceReport:
    """Rows of an area over a period, with the records they name (for titles in reports)."""

    area: Area
    start: date
    end: date
    today: date
    rows: list[ComplianceRow]
    unscheduled: list[Unscheduled]
    requirements: dict[str, Requirement] = field(default_factory=dict)
    stations: dict[str, Station] = field(default_factory=dict)
    episodes: dict[int, Episode] = field(default_factory=dict)

    def json(self) -> list[dict]:
        return [row_json(row) for row in self.rows]


def check_oversight(user: User | None, area: Area) -> None:
    """Reports are for the culture office (oversight) of the area or above, and admins."""
    require(user, "compliance.view", area)


def compliance_report(session: Session, *, area: Area, start: date, end: date, now: datetime, tz: ZoneInfo,
                      min_devices: int = 1, plan: Plan | None = None) -> ComplianceReport:
    """Every requirement × station × period touching [start, end] in `area` (whole periods).
    A village's own view counts only its devices. Access is the caller's to check
    (`check_oversight`)."""
    if end < start:
        raise ComplianceError(f"--to {end} is before --from {start}", reason="dates_order",
                              values={"start": start, "end": end})
    if min_devices < 1:
        raise ComplianceError("min_devices must be at least 1")
    today = now.astimezone(tz).date()
    stations, village = _stations_of(session, area)
    requirements = _requirements(session, stations, start, end, plan)
    inputs = {key: requirement_input(r, covered) for key, (r, covered) in requirements.items()}
    station_inputs = {s.code: station_input(s) for s in stations}
    report = ComplianceReport(area, start, end, today, [], [], {k: r for k, (r, _) in requirements.items()},
                              {s.code: s for s in stations})
    if not inputs:
        return report
    count_start = min([start] + [period_bounds(i.period, i.date_from, i)[0] for i in inputs.values()])
    count_end = max(period_bounds(i.period, min(end, i.date_to), i)[1] for i in inputs.values())
    series = {r.series_id: series_key(r.series) for r, _ in requirements.values()}
    scope = CountScope(stations={s.id: station_inputs[s.code] for s in stations}, series=series,
                       start=count_start, end=max(count_end, end), min_devices=min_devices,
                       village_devices=None if village is None else frozenset(d.id for d in village),
                       village_chain=frozenset(a.id for a in area.ancestors_and_self()))
    with collector_paused():
        counts, unscheduled = airing_counts(session, scope, tz)
        report.rows = evaluate(inputs.values(), station_inputs, counts, start=start, end=end, today=today)
    first = min([start] + [row.period_start for row in report.rows])
    last = max([end] + [row.period_end for row in report.rows])
    report.unscheduled = [u for u in unscheduled if first <= u.started_at.astimezone(tz).date() <= last]
    report.episodes = {e.id: e for e in session.scalars(select(Episode).where(
        Episode.id.in_({u.episode_id for u in report.unscheduled})))}
    return report


def _stations_of(session: Session, area: Area) -> tuple[list[Station], list[Device] | None]:
    """The stations in the area; for a village, its devices' stations and the devices."""
    query = select(Station).options(selectinload(Station.windows), selectinload(Station.closed_dates),
                                    selectinload(Station.blocks), selectinload(Station.area))
    if area.level == "village":
        devices = session.scalars(select(Device).where(Device.area_id == area.id)).all()
        ids = {d.station_id for d in devices}
        return list(session.scalars(query.where(Station.id.in_(ids)).order_by(Station.code))), list(devices)
    ids = subtree_ids(session, [area.id])
    return list(session.scalars(query.where(Station.area_id.in_(ids)).order_by(Station.code))), None


def _requirements(session, stations: list[Station], start: date, end: date,
                  plan: Plan | None) -> dict[str, tuple[Requirement, list[Station]]]:
    query = select(Requirement).where(Requirement.date_from <= end, Requirement.date_to >= start).options(
        selectinload(Requirement.stations), selectinload(Requirement.areas), selectinload(Requirement.plan),
        selectinload(Requirement.series).selectinload(Series.plan)).order_by(Requirement.id)
    if plan is not None:
        query = query.where(Requirement.plan_id == plan.id)
    found, ids = {}, {s.id for s in stations}
    for requirement in session.scalars(query):
        covered = [s for s in stations_covered(requirement, stations) if s.id in ids]
        if covered:
            found[requirement_key(requirement)] = (requirement, covered)
    return found


# -- frozen reports ---------------------------------------------------------------------------

def plan_range(session: Session, plan: Plan) -> tuple[date, date]:
    """The days a plan's report covers: from its first requirement's start to its last one's end."""
    spans = session.execute(select(Requirement.date_from, Requirement.date_to).where(
        Requirement.plan_id == plan.id)).all()
    if not spans:
        raise ComplianceError(f"plan {plan.code} has no requirements to report on", reason="no_requirements",
                              values={"plan": plan.title})
    return min(s for s, _ in spans), max(e for _, e in spans)


def freeze_report(session: Session, *, plan: Plan, area: Area, user: User, now: datetime, tz: ZoneInfo,
                  min_devices: int = 1) -> FrozenReport:
    """Store the hand-in document as it stands now ("as submitted"): later logs change the live
    view only."""
    check_oversight(user, area)
    start, end = plan_range(session, plan)
    report = compliance_report(session, area=area, start=start, end=end, now=now, tz=tz,
                               min_devices=min_devices, plan=plan)
    if not report.rows:
        raise ComplianceError(f"plan {plan.code} has no requirement covering a station in {area.code}",
                              reason="nothing_in_area", values={"plan": plan.title, "area": area.name})
    document = handin_document(report, plan, now, tz)
    frozen = FrozenReport(plan=plan, area=area, period_from=start, period_to=end, frozen_at=now,
                          frozen_by_id=user.id, document=document)
    session.add(frozen)
    session.flush()
    audit.record(session, user, "compliance.freeze", "frozen_report", str(frozen.uuid), at=now, area=area,
                 after={"plan": plan.code, "from": start.isoformat(), "to": end.isoformat(),
                        "rows": len(report.rows)})
    session.flush()
    return frozen


def frozen_reports(session: Session, *, area: Area | None = None, plan: Plan | None = None) -> list[FrozenReport]:
    query = select(FrozenReport).order_by(FrozenReport.frozen_at, FrozenReport.id)
    if area is not None:
        query = query.where(FrozenReport.area_id == area.id)
    if plan is not None:
        query = query.where(FrozenReport.plan_id == plan.id)
    return list(session.scalars(query))


# -- deadlines --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    """A report due (`report_due` of a requirement, else of its plan) and the area's state."""

    due: date
    plan: str
    plan_title: str
    requirements: tuple[str, ...]
    statuses: dict[str, int]
    by_station: dict[str, dict[str, int]]
    frozen_at: datetime | None
    is_overdue: bool


def overview(session: Session, *, area: Area, now: datetime, tz: ZoneInfo, min_devices: int = 1) -> list[Deadline]:
    """What is due, soonest first, for the requirements covering the area's stations: each with
    the count of rows per status over the requirement's whole range and when (if) it was frozen."""
    today = now.astimezone(tz).date()
    stations, _ = _stations_of(session, area)
    everything = _requirements(session, stations, date.min, date.max, None)
    by_due: dict[tuple[date, int], list[Requirement]] = {}
    for requirement, _ in everything.values():
        due = requirement.report_due or requirement.plan.report_due
        if due is not None:
            by_due.setdefault((due, requirement.plan_id), []).append(requirement)
    deadlines = []
    for (due, _), requirements in sorted(by_due.items(), key=lambda item: (item[0][0], item[1][0].plan.code)):
        plan = requirements[0].plan
        start = min(r.date_from for r in requirements)
        end = max(r.date_to for r in requirements)
        report = compliance_report(session, area=area, start=start, end=end, now=now, tz=tz,
                                   min_devices=min_devices, plan=plan)
        keys = {requirement_key(r) for r in requirements}
        statuses: dict[str, int] = {}
        by_station: dict[str, dict[str, int]] = {}
        for row in report.rows:
            if row.requirement in keys:
                statuses[row.status] = statuses.get(row.status, 0) + 1
                mine = by_station.setdefault(row.station, {})
                mine[row.status] = mine.get(row.status, 0) + 1
        frozen = frozen_reports(session, area=area, plan=plan)
        frozen_at = frozen[-1].frozen_at if frozen else None
        deadlines.append(Deadline(due, plan.code, plan.title, tuple(sorted(keys)), statuses, by_station,
                                  frozen_at, frozen_at is None and due < today))
    return [d for d in deadlines if d.due >= today or d.frozen_at is None]


# -- make-goods -------------------------------------------------------------------------------

@dataclass(frozen=True)
class MakeGoodPlan:
    """The period a make-good is for and the airings proposed (placed at a time, with content)."""

    row: ComplianceRow
    proposals: list[MakeGood]
    placed: list[tuple[datetime, datetime, str, Episode | None]]


def plan_makegoods(session: Session, *, requirement: Requirement, station: Station, day: date, now: datetime,
                   tz: ZoneInfo, min_devices: int = 1) -> MakeGoodPlan:
    """For the period containing `day`: the missing airings, each at the earliest free time of
    an allowed slot still ahead, with an episode to air (new first when new ones are missing)."""
    covered = [s for s in stations_covered(requirement, [station]) if s.id == station.id]
    if not covered:
        raise ComplianceError(f"requirement {requirement_key(requirement)} does not cover station {station.code}",
                              reason="not_covered",
                              values={"requirement": requirement.series.title, "station": station.name})
    req_input, st_input = requirement_input(requirement, covered), station_input(station)
    start, end = period_bounds(req_input.period, day, req_input)
    report = compliance_report(session, area=station.area, start=start, end=end, now=now, tz=tz,
                               min_devices=min_devices, plan=requirement.plan)
    row = next((r for r in report.rows if r.requirement == req_input.code and r.station == station.code
                and r.period_start <= day <= r.period_end), None)
    if row is None or row.status not in ("short", "at_risk"):
        state = "not covered" if row is None else row.status
        raise ComplianceError(f"{req_input.code} at {station.code} in the period of {day:%d/%m/%Y} is {state}: "
                              "make-goods are for short or at-risk periods", reason="no_makegood_needed",
                              values={"requirement": requirement.series.title, "station": station.name})
    proposals = propose_makegoods(req_input, st_input, row, now=now, tz=tz)
    placed = _place(session, requirement, req_input, st_input, station, proposals, row, now, tz)
    return MakeGoodPlan(row, proposals, placed)


def _place(session, requirement, req_input: RequirementInput, st_input: StationInput, station: Station,
           proposals: list[MakeGood], row: ComplianceRow, now: datetime, tz: ZoneInfo) -> list:
    if not proposals:
        return []
    first, last = proposals[0].day, proposals[-1].day
    busy = [(e.start_at, e.end_at) for e in session.scalars(select(ScheduleEntry).where(
        ScheduleEntry.station_id == station.id, ScheduleEntry.status == "planned",
        ScheduleEntry.local_date >= first, ScheduleEntry.local_date <= last))]
    free = free_spans(open_spans(st_input, first, last, tz), busy)
    episodes, airing_days = _candidates(session, requirement, station, req_input,
                                        wants_new=row.new_aired < row.new_required)
    gap = max(req_input.min_gap_days, 1)
    placed = []
    for proposal in proposals:
        episode = next((e for e in episodes if _airable(e, proposal.day) and all(
            abs((proposal.day - d).days) >= gap for d in airing_days.get(e.id, ()))), None)
        length = episode.duration_s if episode is not None else (req_input.duration_max or 180)
        day_start = datetime.combine(proposal.day, datetime.min.time(), tz)
        windows = [s for s in free if s.window == proposal.window and s.start.astimezone(tz).date() == proposal.day]
        slot = place([Pending(key="m", priority="normal", issued=now, duration_s=length,
                              earliest=max(now, day_start), latest=day_start + timedelta(days=1))],
                     windows)["m"]
        if slot is None:
            continue
        free = free_spans(free, [(slot.start, slot.end)])
        placed.append((slot.start, slot.end, slot.window, episode))
        if episode is not None:
            airing_days.setdefault(episode.id, set()).add(proposal.day)
            episodes.remove(episode)
            episodes.append(episode)  # the next make-good prefers another episode
    return placed


def _candidates(session, requirement, station, req_input: RequirementInput,
                wants_new: bool) -> tuple[list[Episode], dict[int, set[date]]]:
    """The series' episodes with audio that fit the duration: never scheduled at the station
    first when new ones are missing, else the most recent ones (replays); and the days each is
    scheduled there (spacing). A bulletin's airing of an episode is neither."""
    episodes = [e for e in session.scalars(select(Episode).where(Episode.series_id == requirement.series_id)
                                           .options(selectinload(Episode.media)).order_by(Episode.id))
                if e.media is not None and req_input.allows_duration(e.media.duration_s)]
    airing_days: dict[int, set[date]] = {}
    for episode_id, day in session.execute(select(ScheduleEntry.episode_id, ScheduleEntry.local_date).where(
            ScheduleEntry.station_id == station.id, ScheduleEntry.status == "planned",
            ScheduleEntry.kind.not_in(UNCOUNTED_KINDS), ScheduleEntry.episode_id.in_([e.id for e in episodes]))):
        airing_days.setdefault(episode_id, set()).add(day)
    fresh = [e for e in episodes if e.id not in airing_days]
    used = [e for e in reversed(episodes) if e.id in airing_days]
    return (fresh + used if wants_new else used + fresh), airing_days


def _airable(episode: Episode, day: date) -> bool:
    return (episode.available_from is None or episode.available_from <= day) and \
        (episode.expires is None or day <= episode.expires)


def schedule_makegoods(session: Session, *, requirement: Requirement, station: Station, day: date, user: User,
                       now: datetime, tz: ZoneInfo, min_devices: int = 1) -> list[ScheduleEntry]:
    """Schedule the proposed make-goods as entries of origin make-good (pinned, so rebuilds keep
    them; a reservation when no episode fits), audited; the station's version moves."""
    require(user, "compliance.makegood", station.area)
    plan = plan_makegoods(session, requirement=requirement, station=station, day=day, now=now, tz=tz,
                          min_devices=min_devices)
    if not plan.placed:
        raise ComplianceError(f"no free allowed slot is left for {requirement_key(requirement)} at {station.code} "
                              f"in {plan.row.period_start:%d/%m/%Y}–{plan.row.period_end:%d/%m/%Y}",
                              reason="no_free_slot", values={"requirement": requirement.series.title,
                                                             "station": station.name, "start": plan.row.period_start,
                                                             "end": plan.row.period_end})
    entries = []
    for start, end, window, episode in plan.placed:
        entry = ScheduleEntry(station=station, start_at=start, end_at=end, local_date=start.astimezone(tz).date(),
                              window_name=window, kind="episode" if episode else "reservation",
                              title=episode.title if episode else requirement.series.title, episode=episode,
                              series_id=requirement.series_id, requirement_id=requirement.id,
                              origin="make-good", is_pinned=True, created_at=now)
        session.add(entry)
        entries.append(entry)
    station.schedule_changed(now)
    session.flush()
    audit.record(session, user, "compliance.makegood", "station", station.code, at=now, area=station.area,
                 after={"requirement": requirement_key(requirement), "period": plan.row.period_start.isoformat(),
                        "entries": [str(e.uuid) for e in entries]})
    session.flush()
    return entries
