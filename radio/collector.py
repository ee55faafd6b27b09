"""Pausing Python's cyclic garbage collector around one large batch (an import, a build)."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """The cyclic collector off for the block, back as it was after it.

    A batch that makes hundreds of thousands of objects living until it ends (a year's planner
    slots and entries, the rows it writes) passes the collector's threshold again and again, and
    each time the collector walks the whole growing heap finding nothing: reference counting
    frees all of it. That walk was a fifth of a year's schedule build. Nothing is lost: whatever
    cyclic garbage the block leaves is collected after it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
