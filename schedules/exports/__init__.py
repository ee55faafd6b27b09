"""Export writers (issue 5): calendars, playlists, the printed log book and the day pack.

Pure: plain values in (``model``), bytes or text out; the current time and the time zone
are arguments. The only file writer is :func:`write_day_pack`, and it writes atomically.
A window's MP3 is rendered by ``audio_library.render.render_window`` from
:func:`window_segments` and :func:`window_tags`.
"""

from .calendar import entries_calendar, requirements_calendar
from .daypack import write_day_pack
from .logbook import logbook_html, logbook_pdf
from .model import DayPlaylist, PlayItem, RequirementRule, WindowInfo
from .playlists import m3u8, pls, running_order, running_order_json, xspf
from .windows import window_segments, window_tags

__all__ = [
    "DayPlaylist", "PlayItem", "RequirementRule", "WindowInfo", "entries_calendar",
    "logbook_html", "logbook_pdf", "m3u8", "pls", "requirements_calendar", "running_order",
    "running_order_json", "window_segments", "window_tags", "write_day_pack", "xspf",
]
