"""Writing a PlanDocument back out as a plan file that reads back to an equal document."""

from __future__ import annotations

import pathlib
from collections.abc import Iterable, Mapping
from datetime import date, time
from typing import Any

import yaml

from .model import (
    WEEKDAYS,
    AreaSpec,
    BlockSpec,
    DeviceSpec,
    EpisodeSpec,
    PlanDocument,
    PlanSpec,
    RequirementSpec,
    SeriesSpec,
    StationSpec,
    VoiceSpec,
    WindowSpec,
)


class _Quoted(str):
    """Text written in double quotes, so that it reads back as the same text."""


class _Flow(dict):
    """A small record written on one line, as the format's own examples write them."""


class _FlowList(list):
    """A list of scalars written on one line: ``[MO, TU]``."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents list items under their key, as docs/plan-format.md does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Dumper.add_representer(_Quoted, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style='"'))
_Dumper.add_representer(float, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:float", _decimal(value)))
_Dumper.add_representer(_Flow, lambda dumper, record: dumper.represent_mapping(
    "tag:yaml.org,2002:map", record, flow_style=True))
_Dumper.add_representer(_FlowList, lambda dumper, items: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", items, flow_style=True))


def _decimal(value: float) -> str:
    """A float as the format writes degrees: plain decimals, never an exponent (1e-05)."""
    text = repr(value)
    return text if "e" not in text else f"{value:.10f}".rstrip("0").rstrip(".")


def dump_plan(doc: PlanDocument, media_paths: Mapping[str, str] | None = None) -> str:
    """YAML text of ``doc`` in the plan format; optional values at their default are left out.

    Audio paths are written as ``media_paths[episode code]`` when given, else relative
    to ``doc.base_dir``; an audio file elsewhere without a media path is a ValueError.
    """
    media_paths = media_paths or {}
    top: dict[str, Any] = {"version": doc.version, "timezone": _Quoted(doc.timezone),
                           "plan": _fields(_plan_pairs(doc.plan))}
    sections = {
        "areas": [_Flow(_fields(_area_pairs(area))) for area in doc.areas],
        "stations": [_fields(_station_pairs(station)) for station in doc.stations],
        "devices": [_Flow(_fields(_device_pairs(device))) for device in doc.devices],
        "series": [_Flow(_fields(_series_pairs(series))) for series in doc.series],
        "episodes": [_fields(_episode_pairs(ep, doc.base_dir, media_paths)) for ep in doc.episodes],
        "requirements": [_fields(_requirement_pairs(req)) for req in doc.requirements],
    }
    top.update((name, records) for name, records in sections.items() if records)
    return yaml.dump(top, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


Pairs = Iterable[tuple[str, Any]]


def _fields(pairs: Pairs) -> dict[str, Any]:
    """A record's keys and written values, leaving out those that are None."""
    return {key: _value(value) for key, value in pairs if value is not None}


def _value(value: Any) -> Any:
    if isinstance(value, tuple):
        return _FlowList(_value(item) for item in value)
    if isinstance(value, date):
        return _Quoted(value.isoformat())
    if isinstance(value, time):
        return _Quoted(f"{value:%H:%M}")
    if isinstance(value, str):
        return _Quoted(value)
    return value  # a count, or a record or list of records already built


def _plan_pairs(plan: PlanSpec) -> Pairs:
    return [("code", plan.code), ("title", plan.title), ("document", plan.document),
            ("issued_by", plan.issued_by), ("report_due", plan.report_due)]


def _area_pairs(area: AreaSpec) -> Pairs:
    return [("code", area.code), ("name", area.name), ("level", area.level),
            ("parent", area.parent), ("ended", area.ended), ("admin_code", area.admin_code),
            *_voice_pairs(area.voice)]


def _voice_pairs(voice: VoiceSpec) -> Pairs:
    return [("voice", voice.region), ("voice_speed", voice.speed_wpm), ("voice_pause", voice.pause_ms)]


def _station_pairs(station: StationSpec) -> Pairs:
    return [("code", station.code), ("name", station.name), ("area", station.area),
            ("windows", [_Flow(_fields(_window_pairs(window))) for window in station.windows]),
            ("closed", station.closed or None),
            ("blocks", [_Flow(_fields(_block_pairs(block))) for block in station.blocks] or None),
            *_voice_pairs(station.voice)]


def _window_pairs(window: WindowSpec) -> Pairs:
    return [("name", window.name), ("title", window.title), ("days", window.days),
            ("start", window.start), ("end", window.end), ("from", window.valid_from),
            ("to", window.valid_to)]


def _block_pairs(block: BlockSpec) -> Pairs:
    return [("window", block.window), ("at", block.at), ("kind", block.kind),
            ("title", block.title), ("source", block.source), ("duration", block.duration_s)]


def _device_pairs(device: DeviceSpec) -> Pairs:
    return [("code", device.code), ("area", device.area), ("station", device.station),
            ("retired", device.retired), ("lat", device.lat), ("lon", device.lon)]


def _series_pairs(series: SeriesSpec) -> Pairs:
    return [("code", series.code), ("title", series.title)]


def _episode_pairs(episode: EpisodeSpec, base_dir: pathlib.Path | None,
                   media_paths: Mapping[str, str]) -> Pairs:
    audio = None if episode.audio is None else _audio_path(episode, base_dir, media_paths)
    script = None if episode.script is None else {"text": _Quoted(episode.script.text)}
    return [("code", episode.code), ("series", episode.series), ("title", episode.title),
            ("audio", audio), ("script", script), ("available_from", episode.available_from),
            ("expires", episode.expires), ("for_requirements", None if episode.for_requirements else "no")]


def _audio_path(episode: EpisodeSpec, base_dir: pathlib.Path | None,
                media_paths: Mapping[str, str]) -> str:
    """Where the written file will find the episode's audio, relative to itself."""
    if episode.code in media_paths:
        return media_paths[episode.code]
    if base_dir is not None and episode.audio.is_relative_to(base_dir):
        return episode.audio.relative_to(base_dir).as_posix()
    raise ValueError(f"episode '{episode.code}': audio {episode.audio} is outside the plan's "
                     "folder; give its path in media_paths")


def _requirement_pairs(req: RequirementSpec) -> Pairs:
    return [("code", req.code), ("series", req.series),
            ("stations", req.stations or None), ("areas", req.areas or None),
            ("levels", req.levels or None), ("period", req.period),
            ("airings", _Flow(_fields([("min", req.min), ("max", req.max)]))),
            ("new_episodes", req.new_episodes or None),
            ("days", None if req.days == WEEKDAYS else req.days),
            ("windows", req.windows or None),
            ("duration", _bounds(req.duration_min, req.duration_max)),
            ("min_gap_days", None if req.min_gap_days == 1 else req.min_gap_days),
            ("from", req.date_from), ("to", req.date_to),
            ("priority", None if req.priority == "normal" else req.priority),
            ("report_due", req.report_due)]


def _bounds(low: int | None, high: int | None) -> _Flow | None:
    if low is None and high is None:
        return None
    return _Flow(_fields([("min", low), ("max", high)]))
