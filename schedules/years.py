"""The years a date given to the product may fall in: 1900 to 2200.

Python's dates run from year 1 to 9999, but a day at either end has no local midnight in UTC,
no day before or after it, no week or month around it, and no place in PostgreSQL's or SQLite's
ranges: computing with it overflows. No broadcast, plan, play log or report is that far off, so a
date outside these years is refused where it is read (a plan file, a form, an API parameter, a
command's option), naming where, before any code computes with it.
"""
from __future__ import annotations

SENSIBLE_YEARS = range(1900, 2201)
