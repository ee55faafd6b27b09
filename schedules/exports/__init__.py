"""Export writers (issue 5): calendars, playlists, the printed log book and the day pack.

Pure: plain values in (``model``), bytes or text out; the current time and the time zone
are arguments. The only file writer is :func:`write_day_pack`, and it writes atomically.
A window's MP3 parts (cut at its relay and live blocks) are rendered by
``audio_library.render.render_window`` from :func:`window_parts` and :func:`window_tags`.
"""

from .calendar import entries_calendar, requirements_calendar
from .daypack import write_day_pack
from .logbook import logbook_html, logbook_pdf
from .model import DayPlaylist, PlayItem, RequirementRule, Tick, WindowInfo
from .playlists import m3u8, pls, running_order, running_order_json, xspf
from .windows import WindowPart, part_file_name, window_parts, window_steps, window_tags

__all__ = [
    "DayPlaylist", "PlayItem", "RequirementRule", "Tick", "WindowInfo", "WindowPart", "entries_calendar",
    "logbook_html", "logbook_pdf", "m3u8", "part_file_name", "pls", "requirements_calendar", "running_order",
    "running_order_json", "window_parts", "window_steps", "window_tags", "write_day_pack", "xspf",
]
