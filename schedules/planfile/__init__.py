"""The plan file (docs/plan-format.md, version 1): read, check and write, with no database.

``load_plan``/``parse_plan`` return a PlanDocument of immutable records or raise one
PlanFileError listing every problem as ``FILE:LINE: field: message``; ``dump_plan``
writes a document back in the same format; ``shift_dates`` moves all its dates.

Reading, writing and shifting are imported on first use (PEP 562): they bring YAML and the
Vietnamese text rules, while the planner, a build among them, only needs the model's words.
"""

from importlib import import_module

from .model import (
    BLOCK_KINDS,
    DEFAULT_TIMEZONE,
    FORMAT_VERSION,
    LEVELS,
    PERIODS,
    PRIORITIES,
    WEEKDAYS,
    AreaSpec,
    BlockSpec,
    DeviceSpec,
    EpisodeSpec,
    KnownRecords,
    PlanDocument,
    PlanSpec,
    RequirementSpec,
    ScriptSpec,
    SeriesSpec,
    StationSpec,
    VoiceSpec,
    WindowSpec,
)
from .problems import PlanFileError, Problem

_ON_FIRST_USE = {"load_plan": "reading", "parse_plan": "reading", "days_to_season": "shifting",
                 "shift_dates": "shifting", "dump_plan": "writing"}

__all__ = [
    "BLOCK_KINDS",
    "DEFAULT_TIMEZONE",
    "FORMAT_VERSION",
    "LEVELS",
    "PERIODS",
    "PRIORITIES",
    "WEEKDAYS",
    "AreaSpec",
    "BlockSpec",
    "DeviceSpec",
    "EpisodeSpec",
    "KnownRecords",
    "PlanDocument",
    "PlanFileError",
    "PlanSpec",
    "Problem",
    "RequirementSpec",
    "ScriptSpec",
    "SeriesSpec",
    "StationSpec",
    "VoiceSpec",
    "WindowSpec",
    "days_to_season",
    "dump_plan",
    "load_plan",
    "parse_plan",
    "shift_dates",
]


def __getattr__(name: str):
    if name in _ON_FIRST_USE:
        return getattr(import_module(f".{_ON_FIRST_USE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
