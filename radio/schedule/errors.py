"""The schedule's refusals, shared by its operations and the free-time check."""
from __future__ import annotations

from ..errors import RadioError


class ScheduleError(RadioError):
    """A schedule operation refused. `code` names the rule broken and `values` what it is about
    (times written dd/mm/yyyy HH:MM, titles), so that a page can word it in its reader's language;
    the message is the CLI's English."""

    def __init__(self, message: str, *, code: str = "refused", **values: str):
        super().__init__(message, code=code)
        self.values = values
