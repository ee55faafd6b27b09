"""Rows → the cores' plain inputs: a station's windows, closures and blocks, a requirement as the
planner and the compliance engine read it, and the keys both use.

Series and requirements are keyed "plan/code" (codes are unique per plan only, and the key
reads well in the planner's messages); episodes "plan/series/code", as people name them.
Several features build these inputs (the schedule, exports, bulletins, compliance), so they
live below all of them.
"""
from __future__ import annotations

from schedules.periods import Block, RequirementInput, StationInput, Window

from .models import Requirement, Series, Station


def series_key(series: Series) -> str:
    return f"{series.plan.code}/{series.code}"


def requirement_key(requirement: Requirement) -> str:
    return f"{requirement.plan.code}/{requirement.code}"


def station_input(station: Station) -> StationInput:
    return StationInput(
        code=station.code,
        windows=tuple(Window(w.name, tuple(w.days), w.start_time, w.end_time, w.valid_from, w.valid_to)
                      for w in station.windows),
        closed=frozenset(c.day for c in station.closed_dates),
        blocks=tuple(Block(b.window.name, b.at, b.kind, b.title, b.source, b.duration_s) for b in station.blocks),
    )


def stations_covered(requirement: Requirement, all_stations: list[Station]) -> list[Station]:
    """The stations a requirement names, plus those in its areas (at its levels, if given)."""
    chosen = {s.id: s for s in requirement.stations}
    for area in requirement.areas:
        for station in all_stations:
            level_ok = not requirement.levels or station.area.level in requirement.levels
            if level_ok and station.area.is_within(area):
                chosen[station.id] = station
    return sorted(chosen.values(), key=lambda s: s.code)


def requirement_input(requirement: Requirement, stations: list[Station]) -> RequirementInput:
    return RequirementInput(
        code=requirement_key(requirement), series=series_key(requirement.series),
        stations=tuple(s.code for s in stations), period=requirement.period,
        min=requirement.min_airings, max=requirement.max_airings, new_episodes=requirement.new_episodes,
        days=tuple(requirement.days), windows=tuple(requirement.windows),
        duration_min=requirement.duration_min, duration_max=requirement.duration_max,
        min_gap_days=requirement.min_gap_days, date_from=requirement.date_from, date_to=requirement.date_to,
        priority=requirement.priority,
    )
