"""The planner: frequency requirements become conflict-free station schedules (issue 3).

Pure: no database, no clock; ``today`` is an argument. Stations and requirements are
``schedules.periods`` values; the rest of the inputs and outputs are in ``model``.
"""

from .core import plan
from .model import EpisodeInput, FixedEntry, Need, PlannedEntry, PlanResult, Shortfall

__all__ = ["EpisodeInput", "FixedEntry", "Need", "PlanResult", "PlannedEntry", "Shortfall", "plan"]
