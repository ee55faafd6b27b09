"""Export writers (issue 5): calendars, playlists, the printed log book and the day pack.

Pure: plain values in (``model``), bytes or text out; the current time and the time zone
are arguments. The only file writer is :func:`write_day_pack`, and it writes atomically.
"""
