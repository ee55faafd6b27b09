"""Record ids in URLs (``<int:...>``) held to what a database integer column can hold.

Werkzeug's int converter takes any number of digits; the database driver then fails on a
number past 64 bits (an OverflowError, a 500). No row has such an id: the URL does not match (404).
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**63 - 1


class RowIdConverter(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)
