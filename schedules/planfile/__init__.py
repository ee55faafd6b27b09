"""The plan file (docs/plan-format.md, version 1): read, check and write, with no database.

``load_plan``/``parse_plan`` return a PlanDocument of immutable records or raise one
PlanFileError listing every problem as ``FILE:LINE: field: message``; ``dump_plan``
writes a document back in the same format; ``shift_dates`` moves all its dates.
"""

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
from .reading import load_plan, parse_plan
from .shifting import days_to_season, shift_dates
from .writing import dump_plan

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
