"""Reading a plan back out of the database as a PlanDocument (the inverse of the import)."""
from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from schedules.planfile import (
    AreaSpec, BlockSpec, DeviceSpec, EpisodeSpec, PlanDocument, PlanSpec, RequirementSpec, ScriptSpec, SeriesSpec,
    StationSpec, VoiceSpec, WindowSpec,
)

from .. import lookups
from ..errors import RadioError
from ..models import Area, Device, Episode, Plan, Requirement, Series, Station
from ..stores import media_store


class PlanExportError(RadioError):
    """The plan asked for cannot be exported (unknown code, or which one is ambiguous)."""


def find_plan(session: Session, code: str | None) -> Plan:
    plans = session.scalars(select(Plan).order_by(Plan.code)).all()
    if code is None:
        if len(plans) != 1:
            raise PlanExportError(f"{len(plans)} plans in the database: name one with --plan "
                                  f"({', '.join(p.code for p in plans) or 'none'})")
        return plans[0]
    return lookups.plan(session, code)


def plan_document(session: Session, plan: Plan, media_dir: Path | None) -> PlanDocument:
    """The plan with the areas, stations and devices it concerns: those under its issuing area
    and those its requirements name. Episode audio is copied into `media_dir` when given."""
    requirements = session.scalars(select(Requirement).where(Requirement.plan_id == plan.id)
                                   .order_by(Requirement.id)).all()
    stations = plan_stations(session, plan, requirements)
    devices = session.scalars(select(Device).where(Device.station_id.in_([s.id for s in stations]))
                              .order_by(Device.code)).all()
    areas = _areas_needed(plan, stations, devices, requirements)
    series = session.scalars(select(Series).where(Series.plan_id == plan.id).order_by(Series.id)).all()
    episodes = session.scalars(select(Episode).join(Series).where(Series.plan_id == plan.id)
                               .order_by(Episode.id)).all()
    if media_dir is None and any(e.media is not None for e in episodes):
        raise PlanExportError("this plan's episodes have audio: use --out FILE, the audio is written beside it")
    return PlanDocument(
        base_dir=media_dir.parent if media_dir else None,
        version=1,
        timezone=plan.timezone,
        plan=plan_spec(plan),
        areas=tuple(area_spec(a) for a in areas),
        stations=tuple(_station_spec(s) for s in stations),
        devices=tuple(device_spec(d) for d in devices),
        series=tuple(SeriesSpec(s.code, s.title) for s in series),
        episodes=tuple(_episode_spec(e, media_dir) for e in episodes),
        requirements=tuple(requirement_spec(r) for r in requirements),
    )


def plan_spec(plan: Plan) -> PlanSpec:
    return PlanSpec(plan.code, plan.title, plan.document, plan.issued_by.code, plan.report_due)


def area_spec(area: Area) -> AreaSpec:
    return AreaSpec(area.code, area.name, area.level, area.parent.code if area.parent else None, area.ended_on,
                    voice_spec(area), area.admin_code)


def voice_spec(holder: Area | Station) -> VoiceSpec:
    """The voice an area or a station chose itself (what it inherits stays with the area above)."""
    return VoiceSpec(holder.voice_region, holder.voice_speed_wpm, holder.voice_pause_ms)


def device_spec(device: Device) -> DeviceSpec:
    return DeviceSpec(device.code, device.area.code, device.station.code, device.retired_on, device.lat, device.lon)


def plan_stations(session: Session, plan: Plan, requirements) -> list[Station]:
    chosen = {}
    for station in session.scalars(select(Station)):
        if station.area.is_within(plan.issued_by):
            chosen[station.code] = station
    for requirement in requirements:
        for station in requirement.stations:
            chosen[station.code] = station
    return [chosen[code] for code in sorted(chosen)]


def plan_requirements_and_stations(session: Session, plan: Plan, area_ids: set[int]
                                   ) -> tuple[list[Requirement], list[Station]]:
    """The plan's requirements, and the stations it concerns (as its export has them) that lie
    in `area_ids`: a plan may name a station of another district, which stays unseen."""
    requirements = session.scalars(select(Requirement).where(Requirement.plan_id == plan.id)
                                   .order_by(Requirement.code)).all()
    return requirements, [s for s in plan_stations(session, plan, requirements) if s.area_id in area_ids]


def _areas_needed(plan: Plan, stations, devices, requirements) -> list[Area]:
    """Every area referred to, with all its ancestors, parents first."""
    seeds = [plan.issued_by] + [s.area for s in stations] + [d.area for d in devices]
    seeds += [a for r in requirements for a in r.areas]
    chosen = {}
    for area in seeds:
        for node in area.ancestors_and_self():
            chosen[node.code] = node
    return sorted(chosen.values(), key=lambda a: (len(a.ancestors_and_self()), a.code))


def _station_spec(station: Station) -> StationSpec:
    return StationSpec(
        code=station.code, name=station.name, area=station.area.code,
        windows=tuple(WindowSpec(w.name, tuple(w.days), w.start_time, w.end_time, w.valid_from, w.valid_to,
                                 w.title) for w in station.windows),
        closed=tuple(c.day for c in station.closed_dates),
        blocks=tuple(BlockSpec(b.window.name, b.at, b.kind, b.title, b.source, b.duration_s)
                     for b in station.blocks),
        voice=voice_spec(station),
    )


def _episode_spec(episode: Episode, media_dir: Path | None) -> EpisodeSpec:
    audio = None
    if episode.media is not None and media_dir is not None:
        media_dir.mkdir(parents=True, exist_ok=True)
        store = media_store()
        # The kept original, so that importing the export again converts the very same bytes.
        source = store.path_for(episode.media.original_sha256 or episode.media.sha256)
        audio = media_dir / f"{episode.code}{source.suffix}"
        shutil.copyfile(source, audio)
    script = ScriptSpec(episode.script.latest.text) if episode.script and episode.script.versions else None
    return EpisodeSpec(episode.code, episode.series.code, episode.title, audio, script,
                       episode.available_from, episode.expires, for_requirements=episode.for_requirements)


def requirement_spec(r: Requirement) -> RequirementSpec:
    return RequirementSpec(
        code=r.code, series=r.series.code, stations=tuple(s.code for s in r.stations),
        areas=tuple(a.code for a in r.areas), levels=tuple(r.levels), period=r.period,
        min=r.min_airings, max=r.max_airings, new_episodes=r.new_episodes, days=tuple(r.days),
        windows=tuple(r.windows), duration_min=r.duration_min, duration_max=r.duration_max,
        min_gap_days=r.min_gap_days, date_from=r.date_from, date_to=r.date_to,
        priority=r.priority, report_due=r.report_due,
    )
