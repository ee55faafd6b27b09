"""Checks across records: references, the area tree, windows, blocks, selections, ranges.

They run after every field was read, so they see failed values as None and skip them:
that value's problem is already logged, and one mistake should be reported once.
Problems carry the path of the field and its line in the file (the key's, or the list
item's), or the line of its record when the document has no line for the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import time
from typing import Any, TypeVar

from .model import (
    LEVELS,
    AreaSpec,
    BlockSpec,
    EpisodeSpec,
    KnownRecords,
    PlanDocument,
    RequirementSpec,
    StationSpec,
    WindowSpec,
)
from .messages import level_term
from .problems import ProblemLog
from .values import child

R = TypeVar("R")

_CODED_SECTIONS = ("areas", "stations", "devices", "series", "episodes", "requirements")


def check_document(doc: PlanDocument, known: KnownRecords, problems: ProblemLog) -> None:
    """Log every cross-record problem of ``doc``, resolving codes in it and in ``known``."""
    log = _FieldLog(problems, doc.lines)
    index = _Index(doc, known)
    for section in _CODED_SECTIONS:
        _check_unique(getattr(doc, section), "code", section, log)
    if doc.plan is not None:
        _check_ref(log, doc.plan, "plan.issued_by", doc.plan.issued_by, index.areas, "area")
    for i, area in _present(doc.areas):
        _check_area(log, f"areas[{i}]", area, index)
    for i, station in _present(doc.stations):
        _check_station(log, f"stations[{i}]", station, index)
    for i, device in _present(doc.devices):
        _check_ref(log, device, f"devices[{i}].area", device.area, index.areas, "area")
        _check_ref(log, device, f"devices[{i}].station", device.station, index.stations, "station")
    for i, episode in _present(doc.episodes):
        _check_episode(log, f"episodes[{i}]", episode, index)
    for i, requirement in _present(doc.requirements):
        _check_requirement(log, f"requirements[{i}]", requirement, index)


class _FieldLog:
    """Logs each problem at the line of the field it is about (see PlanDocument.lines)."""

    def __init__(self, log: ProblemLog, lines: Mapping[str, int]) -> None:
        self.log, self.lines = log, lines

    def line(self, record: Any, path: str) -> int:
        return self.lines.get(path, record.line)

    def add(self, record: Any, path: str, message: str, code: str, /, **values: object) -> None:
        self.log.add(self.line(record, path), path, message, code, **values)


class _Index:
    """The areas, stations and series a file may name: stored ones, replaced by the file's."""

    def __init__(self, doc: PlanDocument, known: KnownRecords) -> None:
        self.areas = dict(known.areas)
        self.areas.update((code, (area.level, area.parent))
                          for code, area in _first_by_key(doc.areas, "code").items())
        self.stations = dict(known.stations)
        self.stations.update((code, (station.area, _window_names(station)))
                             for code, station in _first_by_key(doc.stations, "code").items())
        self.series = set(known.series) | {s.code for _, s in _present(doc.series)}

    def is_within(self, area: str | None, ancestor: str) -> bool:
        """True if ``area`` is ``ancestor`` or below it (loop-safe: the file may be wrong)."""
        seen: set[str | None] = set()
        while area is not None and area not in seen:
            if area == ancestor:
                return True
            seen.add(area)
            area = self.areas.get(area, (None, None))[1]
        return False

    def stations_in(self, area: str, levels: tuple[str, ...]) -> set[str]:
        """Stations whose area is ``area`` or below it, at one of ``levels`` if any given."""
        return {
            code for code, (station_area, _) in self.stations.items()
            if self.is_within(station_area, area)
            and (not levels or self.areas.get(station_area, (None, None))[0] in levels)
        }


def _window_names(station: StationSpec) -> frozenset[str]:
    return frozenset(window.name for _, window in _present(station.windows))


def _first_by_key(records: Iterable[R | None], attr: str) -> dict[str, R]:
    """Records by code or name; of duplicates (a problem of their own) the first counts."""
    first: dict[str, R] = {}
    for _, record in _present(records):
        first.setdefault(getattr(record, attr), record)
    return first


def _present(records: Iterable[R | None]) -> Iterator[tuple[int, R]]:
    """Records with their index in the file, leaving out those that failed to read."""
    return ((i, record) for i, record in enumerate(records) if record is not None)


def _check_unique(records: tuple[Any, ...], attr: str, path: str, log: _FieldLog) -> None:
    first_line: dict[str, int] = {}
    for i, record in _present(records):
        value, field = getattr(record, attr), f"{path}[{i}].{attr}"
        if value in first_line:
            log.add(record, field, f"duplicate {attr} '{value}' (first at line {first_line[value]})",
                    f"duplicate_{attr}", value=value, line=first_line[value])
        elif value is not None:
            first_line[value] = log.line(record, field)


# The message of an unknown reference, by what it names.
_UNKNOWN = {"area": "unknown_area", "parent area": "unknown_parent", "station": "unknown_station",
            "series": "unknown_series", "window": "unknown_window"}


def _check_ref(log: _FieldLog, record: Any, path: str, code: str | None,
               known: Iterable[str], what: str) -> None:
    if code is not None and code not in known:
        log.add(record, path, f"unknown {what} '{code}'", _UNKNOWN[what], code=code)


def _check_order(log: _FieldLog, record: Any, path: str, first: Any, last: Any,
                 names: tuple[str, str], code: str, relation: str = "after") -> None:
    """``first`` must not exceed ``last``: two dates, or a minimum and a maximum."""
    if first is not None and last is not None and first > last:
        log.add(record, path, f"{names[0]} {first} is {relation} {names[1]} {last}", code, first=first, last=last)


def _check_area(log: _FieldLog, path: str, area: AreaSpec, index: _Index) -> None:
    """The parent exists and sits strictly higher in the level order."""
    if area.parent is None:
        return
    _check_ref(log, area, f"{path}.parent", area.parent, index.areas, "parent area")
    parent_level = index.areas.get(area.parent, (None, None))[0]
    if area.level in LEVELS and parent_level in LEVELS \
            and LEVELS.index(area.level) <= LEVELS.index(parent_level):
        log.add(area, f"{path}.level",
                f"a {area.level} cannot sit under the {parent_level} '{area.parent}'", "level_under",
                level=level_term(area.level), parent_level=level_term(parent_level), parent=area.parent)


def _check_station(log: _FieldLog, path: str, station: StationSpec, index: _Index) -> None:
    _check_ref(log, station, f"{path}.area", station.area, index.areas, "area")
    _check_unique(station.windows, "name", f"{path}.windows", log)
    windows = _first_by_key(station.windows, "name")
    for i, window in _present(station.windows):
        window_path = child(f"{path}.windows", i)
        if window.start is not None and window.end is not None and window.end <= window.start:
            log.add(window, f"{window_path}.end",
                    f"end {window.end:%H:%M} is not after start {window.start:%H:%M}", "end_not_after_start",
                    end=window.end, start=window.start)
        _check_order(log, window, f"{window_path}.from", window.valid_from, window.valid_to,
                     ("from", "to"), "from_after_to")
    for i, block in _present(station.blocks):
        block_path = child(f"{path}.blocks", i)
        _check_ref(log, block, f"{block_path}.window", block.window, windows, "window")
        _check_block_fits(log, block_path, block, windows.get(block.window))


def _check_block_fits(log: _FieldLog, path: str, block: BlockSpec,
                      window: WindowSpec | None) -> None:
    """A block starts no earlier than its window opens and ends no later than it closes."""
    if window is None or None in (block.at, window.start, window.end):
        return
    if block.at < window.start:
        log.add(block, f"{path}.at", f"starts at {block.at:%H:%M}, before window "
                f"'{window.name}' opens at {window.start:%H:%M}", "block_before_window",
                at=block.at, window=window.name, opens=window.start)
    elif block.duration_s is not None \
            and _seconds(block.at) + block.duration_s > _seconds(window.end):
        log.add(block, f"{path}.duration", f"{block.duration_s} s from {block.at:%H:%M} "
                f"runs past the end of window '{window.name}' at {window.end:%H:%M}", "block_past_window",
                seconds=block.duration_s, at=block.at, window=window.name, closes=window.end)


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def _check_episode(log: _FieldLog, path: str, episode: EpisodeSpec, index: _Index) -> None:
    _check_ref(log, episode, f"{path}.series", episode.series, index.series, "series")
    _check_order(log, episode, f"{path}.available_from", episode.available_from,
                 episode.expires, ("available_from", "expires"), "available_after_expires")


def _check_requirement(log: _FieldLog, path: str, req: RequirementSpec, index: _Index) -> None:
    _check_ref(log, req, f"{path}.series", req.series, index.series, "series")
    covered = _check_selection(log, path, req, index)
    station_windows = [index.stations[code][1] for code in covered]
    for i, name in _present(req.windows):
        if station_windows and not any(name in names for names in station_windows):
            log.add(req, f"{path}.windows[{i}]", f"no covered station has a window '{name}'", "no_such_window",
                    window=name)
    _check_order(log, req, f"{path}.airings", req.min, req.max, ("min", "max"), "min_over_max", "more than")
    _check_order(log, req, f"{path}.duration", req.duration_min, req.duration_max,
                 ("min", "max"), "min_over_max", "more than")
    _check_order(log, req, f"{path}.from", req.date_from, req.date_to, ("from", "to"), "from_after_to")


def _check_selection(log: _FieldLog, path: str, req: RequirementSpec, index: _Index) -> set[str]:
    """Check ``stations`` or ``areas``/``levels``; return the codes of the stations covered."""
    if bool(req.stations) == bool(req.areas):
        which = "both" if req.stations else "neither"
        log.add(req, path, f"needs either stations or areas, and has {which}",
                "stations_and_areas" if req.stations else "no_stations_nor_areas")
    if req.levels and not req.areas:
        log.add(req, f"{path}.levels", "levels only narrow an areas selection", "levels_without_areas")
    covered: set[str] = set()
    for i, code in _present(req.stations):
        _check_ref(log, req, f"{path}.stations[{i}]", code, index.stations, "station")
        if code in index.stations:
            covered.add(code)
    levels = tuple(level for _, level in _present(req.levels))
    for i, code in _present(req.areas):
        area_path = f"{path}.areas[{i}]"
        _check_ref(log, req, area_path, code, index.areas, "area")
        if code in index.areas:
            matched = index.stations_in(code, levels)
            if not matched:
                at_levels = f" at level {', '.join(levels)}" if levels else ""
                log.add(req, area_path, f"area '{code}' has no station{at_levels}",
                        "area_without_station_at" if levels else "area_without_station",
                        area=code, levels=tuple(level_term(level) for level in levels))
            covered |= matched
    return covered
