"""Converting text nodes to checked values, one field at a time.

Each converter takes ``(node, path)`` and returns the value, or logs a problem at the
node's line and returns None, so that reading goes on and every problem is found.
"""

from __future__ import annotations

import os
import pathlib
import re
import zoneinfo
from collections.abc import Callable, Sequence
from datetime import date, time
from typing import Any, TypeVar

from ..years import SENSIBLE_YEARS
from .limits import MAX_ITEMS, MAX_TEXT
from .nodes import MappingNode, Node, ScalarNode, SequenceNode, is_null, line_of, text_of
from .problems import ProblemLog

T = TypeVar("T")
Convert = Callable[[Node, str], T | None]

_DIGITS = re.compile(r"[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"([0-9]{2}):([0-9]{2})")
_CODE = re.compile(r"\S+")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def child(path: str, key: str | int) -> str:
    """The dotted path of a key or list item under ``path``: ``a.b``, ``a[0]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Keys:
    """The value nodes of one mapping, with their paths, after its keys passed the strict-key check."""

    def __init__(self, fields: dict[str, tuple[Node, str]], line: int) -> None:
        self.fields = fields
        self.line = line

    def get(self, key: str, convert: Convert[T], default: T | None = None) -> T | None:
        """The converted value of ``key``, or ``default`` when it is absent or null."""
        field = self.fields.get(key)
        return default if field is None else convert(*field)


class ValueReader:
    """Converters for the value types of the plan format, logging into one ProblemLog."""

    def __init__(self, log: ProblemLog, base_dir: pathlib.Path) -> None:
        self.log = log
        self.base_dir = pathlib.Path(os.path.abspath(base_dir))
        # The line of every key and list item read, by path, for checks made after reading.
        self.lines: dict[str, int] = {}

    def problem(self, node: Node, path: str, message: str, code: str, /, **values: object) -> None:
        self.log.add(line_of(node), path, message, code, **values)

    def mapping(self, node: Node, path: str, required: Sequence[str] = (),
                optional: Sequence[str] = ()) -> Keys | None:
        """The keys of a mapping node; unknown, duplicate and missing keys are problems.

        Keys starting with ``x-`` are the users' own notes and are skipped; a null value
        counts as absent, so ``document: ~`` is the same as leaving it out.
        """
        if not isinstance(node, MappingNode):
            self.problem(node, path, "must be a mapping of keys to values", "not_mapping")
            return None
        allowed = set(required) | set(optional)
        fields: dict[str, tuple[Node, str]] = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = self._key(key_node, path, allowed, seen)
            if key is not None and not is_null(value_node):
                field = child(path, key)
                fields[key] = value_node, field
                self.lines[field] = line_of(key_node)
        for key in required:
            if key not in fields:
                self.problem(node, child(path, key), "is required", "required")
        return Keys(fields, line_of(node))

    def _key(self, node: Node, path: str, allowed: set[str], seen: set[str]) -> str | None:
        """The key's text when it is a known key seen for the first time, else None."""
        key = text_of(node) if isinstance(node, ScalarNode) else None
        if key is not None and key.startswith("x-"):
            return None
        if key not in allowed:
            shown = key if key is not None else "?"
            self.problem(node, path, f"unknown key '{shown}'", "unknown_key", key=shown)
            return None
        if key in seen:
            self.problem(node, path, f"duplicate key '{key}'", "duplicate_key", key=key)
            return None
        seen.add(key)
        return key

    def list_of(self, convert: Convert[T], allow_empty: bool = True,
                unique: bool = False) -> Convert[tuple[T | None, ...]]:
        """A converter for a list whose items ``convert`` reads.

        Items that fail stay in the tuple as None so that later checks can name records
        by their index in the file; a value that is not a list at all reads as empty.
        """
        def read(node: Node, path: str) -> tuple[T | None, ...]:
            if not isinstance(node, SequenceNode):
                self.problem(node, path, "must be a list", "not_list")
                return ()
            if not node.value and not allow_empty:
                self.problem(node, path, "must not be empty", "empty_list")
            if len(node.value) > MAX_ITEMS:
                self.problem(node, path, f"{len(node.value)} items, over the limit of {MAX_ITEMS}", "too_many_items",
                             count=len(node.value), limit=MAX_ITEMS)
                return ()
            paths = [child(path, i) for i in range(len(node.value))]
            self.lines.update(zip(paths, map(line_of, node.value)))
            items = tuple(convert(item, item_path) for item, item_path in zip(node.value, paths))
            if unique:
                self._check_unique(node.value, items, path)
            return items
        return read

    def _check_unique(self, nodes: list[Node], items: tuple[Any, ...], path: str) -> None:
        seen: set[Any] = set()
        for i, (node, item) in enumerate(zip(nodes, items)):
            if item is not None and item in seen:
                self.problem(node, child(path, i), f"'{text_of(node)}' is listed twice", "listed_twice",
                             value=text_of(node))
            seen.add(item)

    def scalar(self, node: Node, path: str) -> str | None:
        """The NFC text of a scalar; a list or mapping where text belongs is a problem, and so is
        text over MAX_TEXT characters."""
        if isinstance(node, ScalarNode):
            if len(node.value) > MAX_TEXT:
                self.problem(node, path, f"{len(node.value)} characters long, over the limit of {MAX_TEXT}",
                             "too_long", length=len(node.value), limit=MAX_TEXT)
                return None
            return text_of(node)
        self.problem(node, path, "must be a single value, not a list or mapping", "not_scalar")
        return None

    def _matching(self, node: Node, path: str, pattern: re.Pattern[str],
                  expected: str, code: str) -> re.Match[str] | None:
        value = self.scalar(node, path)
        if value is None:
            return None
        match = pattern.fullmatch(value)
        if match is None:
            self.problem(node, path, f"must be {expected}, got '{value}'", code, value=value)
        return match

    def text(self, node: Node, path: str) -> str | None:
        """Free text such as a title: anything but blank."""
        value = self.scalar(node, path)
        if value is not None and not value.strip():
            self.problem(node, path, "must not be blank", "blank")
            return None
        return value

    def code(self, node: Node, path: str) -> str | None:
        """An identifier that other records refer to: no spaces, so no invisible typos."""
        match = self._matching(node, path, _CODE, "a code without spaces", "not_code")
        return match.group() if match else None

    def count(self, node: Node, path: str) -> int | None:
        """A whole number of at least 0 (airings, days, seconds)."""
        match = self._matching(node, path, _DIGITS, "a whole number (0 or more)", "not_count")
        return int(match.group()) if match else None

    def positive(self, node: Node, path: str) -> int | None:
        """A whole number of at least 1, such as the length of a block."""
        value = self.count(node, path)
        if value == 0:
            self.problem(node, path, "must be at least 1", "not_positive")
            return None
        return value

    def between(self, low: int, high: int) -> Convert[int]:
        """A converter for a whole number from ``low`` to ``high`` (a voice's speed, its pause)."""
        def read(node: Node, path: str) -> int | None:
            value = self.count(node, path)
            if value is not None and not low <= value <= high:
                self.problem(node, path, f"must be from {low} to {high}, got {value}", "out_of_range",
                             value=value, low=low, high=high)
                return None
            return value
        return read

    def degrees(self, low: int, high: int) -> Convert[float]:
        """A converter for an angle in decimal degrees from ``low`` to ``high`` (a latitude, a longitude)."""
        def read(node: Node, path: str) -> float | None:
            match = self._matching(node, path, _DECIMAL, "a number of degrees such as 21.0285", "not_degrees")
            if match is None:
                return None
            value = float(match.group())
            if not low <= value <= high:
                self.problem(node, path, f"must be from {low} to {high} degrees, got {match.group()}",
                             "degrees_out_of_range", value=match.group(), low=low, high=high)
                return None
            return value
        return read

    def date(self, node: Node, path: str) -> date | None:
        """A calendar date written ``YYYY-MM-DD``."""
        match = self._matching(node, path, _DATE, "a date YYYY-MM-DD", "not_date")
        if match is None:
            return None
        try:
            day = date.fromisoformat(match.group())
        except ValueError:
            self.problem(node, path, f"'{match.group()}' is not a real date", "no_such_date", value=match.group())
            return None
        if day.year not in SENSIBLE_YEARS:
            first, last = SENSIBLE_YEARS[0], SENSIBLE_YEARS[-1]
            self.problem(node, path, f"'{match.group()}' is outside the years {first}–{last}", "year_out_of_range",
                         value=match.group(), first=first, last=last)
            return None
        return day

    def time(self, node: Node, path: str) -> time | None:
        """A local time of day written ``HH:MM``."""
        match = self._matching(node, path, _TIME, "a time HH:MM", "not_time")
        if match is None:
            return None
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            self.problem(node, path, f"'{match.group()}' is not a time of day", "no_such_time",
                         value=match.group())
            return None
        return time(hour, minute)

    def choice(self, options: tuple[str, ...], what: str) -> Convert[str]:
        """A converter accepting exactly one of ``options``."""
        def read(node: Node, path: str) -> str | None:
            value = self.scalar(node, path)
            if value is not None and value not in options:
                self.problem(node, path, f"unknown {what} '{value}' (one of: {', '.join(options)})",
                             "unknown_choice", value=value, options=options)
                return None
            return value
        return read

    def timezone(self, node: Node, path: str) -> str | None:
        """An IANA time zone name that this system's zoneinfo knows."""
        value = self.scalar(node, path)
        if value is None:
            return None
        try:
            zoneinfo.ZoneInfo(value)
        except (KeyError, ValueError, OSError):
            self.problem(node, path, f"unknown time zone '{value}'", "unknown_timezone", value=value)
            return None
        return value

    def audio(self, node: Node, path: str) -> pathlib.Path | None:
        """An existing file given relative to the plan file and inside its folder.

        Relative only, so that a plan file and its media can be moved together and a
        file cannot make the importer read arbitrary paths.
        """
        value = self.text(node, path)
        if value is None:
            return None
        if pathlib.PurePosixPath(value).is_absolute() or pathlib.PureWindowsPath(value).anchor:
            self.problem(node, path, f"'{value}' must be a path relative to the plan file", "absolute_path",
                         value=value)
            return None
        resolved = pathlib.Path(os.path.normpath(self.base_dir / value))
        if not resolved.is_relative_to(self.base_dir):
            self.problem(node, path, f"'{value}' leads outside the plan file's folder", "outside_folder",
                         value=value)
            return None
        if not resolved.is_file():
            self.problem(node, path, f"audio file not found: '{value}'", "audio_missing", value=value)
            return None
        return resolved
