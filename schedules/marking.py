"""`N_` marks a Vietnamese message for the pages' catalog where it is written (pybabel extracts
it), without translating it there: the cores and the shell's refusals keep msgids, and the pages
translate them when they show them. The one definition for the cores and the shell; the audio
core keeps its own, since it imports nothing of `schedules`."""
from __future__ import annotations


def N_(message: str) -> str:
    """Returns `message` unchanged: gettext's usual name for "mark, translate later"."""
    return message
