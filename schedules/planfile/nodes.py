"""Text to a YAML node tree in which every scalar is text and every node knows its line.

PyYAML's composer with ``BaseLoader`` resolves no types, so ``01``, ``17:30`` and ``NO``
stay text for the schema to convert. JSON goes through the same composer (JSON is
nearly YAML), after :mod:`json` has vouched for its syntax and given exact error lines.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Mapping

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from .limits import MAX_DEPTH
from .messages import JSON_PROBLEMS, JSON_SYNTAX_ERROR, SYNTAX_ERROR, SYNTAX_PROBLEMS, Term
from .problems import ProblemLog

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode",
           "compose", "is_null", "line_of", "text_of"]

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[][{}]")
_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_SHOWN_AT_START = ("found unexpected end of stream", "expected ',' or", "could not find expected ':'")
_FOUND_CHARACTER = re.compile(r"found character '(.+)' that")


def line_of(node: Node) -> int:
    """The 1-based line where a node starts."""
    return node.start_mark.line + 1


def is_null(node: Node) -> bool:
    """True for an unquoted YAML null (``~``, ``null``, nothing) and JSON ``null``.

    Only unquoted: ``"null"`` in quotes is the text it says. (A plain scalar's style is None
    from the Python composer, "" from libyaml's.)
    """
    return isinstance(node, ScalarNode) and not node.style and node.value in _NULLS


def text_of(node: ScalarNode) -> str:
    """A scalar's text, NFC-normalised, with JSON's UTF-16 surrogate pairs joined."""
    value = node.value
    if value.isascii():  # most scalars (codes, dates, times): nothing to join or normalise
        return value
    if _SURROGATE.search(value):
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return unicodedata.normalize("NFC", value)


def compose(text: str, is_json: bool, log: ProblemLog) -> Node | None:
    """The root node of ``text``, or None after logging why there is none.

    The depth is checked before the pure-Python composer reads (it recurses once per level), but
    after libyaml's, which refuses on its own what nests past a thousand levels: the tree it
    gives is walked, not the text read a second time as a stream of events."""
    if is_json:
        if (too_deep := _json_too_deep(text)) is not None:
            return _too_deep(log, too_deep)
        if (text := _json_as_yaml(text, log)) is None:
            return None
    try:
        root = _compose_fast(text)
    except (yaml.YAMLError, UnicodeEncodeError):  # libyaml encodes to UTF-8 first
        root = None
    if not is_json and (too_deep := _yaml_too_deep(text) if root is None else _tree_too_deep(root)) is not None:
        return _too_deep(log, too_deep)
    try:
        if root is None:
            root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        line, column, what = _syntax_problem(error, text)
        log.add(line, "", f"invalid YAML: {_error_message(error)}", "invalid_yaml", what=what, column=column)
        return None
    if root is None:
        log.add(1, "", "the file is empty", "file_empty")
    elif "&" in text and (repeated := _first_repeated_node(root)) is not None:
        # An alias shares a node; expanding shared nodes is how "billion laughs" files blow up.
        # An alias names an anchor (&name): with no "&" anywhere, there is none to look for.
        log.add(line_of(repeated), "", "YAML aliases (*name) are not allowed in a plan file", "aliases")
        return None
    return root


def _yaml_too_deep(text: str) -> int | None:
    """The line where the YAML nests past MAX_DEPTH, or None; read as a flat stream of events,
    since the composers recurse once per level. A syntax error is left to the composer: when
    libyaml stops at one, the Python parser (which the composer then uses) reads on."""
    for loader in (getattr(yaml, "CBaseLoader", None), yaml.BaseLoader):
        depth = 0
        try:
            for event in yaml.parse(text, Loader=loader or yaml.BaseLoader):
                if isinstance(event, _OPENS):
                    depth += 1
                    if depth > MAX_DEPTH:
                        return event.start_mark.line + 1
                elif isinstance(event, _CLOSES):
                    depth -= 1
            return None
        except (yaml.YAMLError, UnicodeEncodeError):  # libyaml encodes to UTF-8 first
            continue
    return None


def _too_deep(log: ProblemLog, line: int) -> None:
    log.add(line, "", f"nested more than {MAX_DEPTH} levels deep", "too_deep", limit=MAX_DEPTH)


def _tree_too_deep(root: Node) -> int | None:
    """The line of the first collection, in the file's order, nested past MAX_DEPTH in a composed
    tree, or None (a node an alias shares is walked once, where its anchor is: aliases are
    refused after)."""
    seen, stack = set(), [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if node.__class__ is ScalarNode or id(node) in seen:  # most nodes are scalars
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            return line_of(node)
        children = node.value if node.__class__ is SequenceNode else [part for pair in node.value for part in pair]
        stack.extend([(child, depth + 1) for child in reversed(children)])
    return None


def _json_too_deep(text: str) -> int | None:
    """The line where the JSON nests past MAX_DEPTH, or None (before :mod:`json` recurses).

    Strings are blanked first (they hold no line break in JSON, so lines stay where they are).
    """
    bare = _JSON_STRING.sub('""', text)
    depth = 0
    for bracket in _JSON_BRACKET.finditer(bare):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return bare.count("\n", 0, bracket.start()) + 1
    return None


def _first_repeated_node(root: Node) -> Node | None:
    """The first node reached twice (only aliases do that), visiting each node once."""
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return None


def _compose_fast(text: str) -> Node | None:
    """libyaml's composer when PyYAML has it (many times faster on large plans), else None.

    Only a successful read is kept: on any error the caller reads the text again with the
    pure-Python composer, so that problems (messages and lines) stay exactly its own.
    """
    loader = getattr(yaml, "CBaseLoader", None)
    if loader is None or yaml._yaml.get_version() < (0, 2, 5):  # libyaml limits nesting since 0.2.5
        return None
    return yaml.compose(text, Loader=_untyped(loader))


@functools.cache
def _untyped(loader: type) -> type:
    """``loader`` (libyaml's BaseLoader) without the Python calls it makes for every node
    to learn what BaseResolver always answers: no type guessed, the default tag."""
    tags = {ScalarNode: BaseResolver.DEFAULT_SCALAR_TAG,
            SequenceNode: BaseResolver.DEFAULT_SEQUENCE_TAG,
            MappingNode: BaseResolver.DEFAULT_MAPPING_TAG}

    class Untyped(loader):
        def resolve(self, kind, value, implicit):
            return tags[kind]

        def descend_resolver(self, current_node, current_index):
            pass

        def ascend_resolver(self):
            pass

    return Untyped


def _json_as_yaml(text: str, log: ProblemLog) -> str | None:
    """Valid JSON text made safe for the YAML composer, or None after logging the error.

    Valid JSON has no raw tab inside a string, so every tab is indentation, which YAML
    forbids and a space replaces harmlessly.
    """
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        what = _said_as(error.msg, JSON_PROBLEMS, JSON_SYNTAX_ERROR)
        log.add(error.lineno, "", f"invalid JSON: {error.msg} (column {error.colno})", "invalid_json",
                what=Term(what), column=error.colno)
        return None
    return text.replace("\t", " ")


def _syntax_problem(error: yaml.YAMLError, text: str) -> tuple[int, int, Term]:
    """Where a syntax error is (line and column, 1-based) and what it means in plain words.

    An unclosed quote or bracket, or a key without its colon, is shown where it starts (PyYAML's
    context mark), not where PyYAML gave up reading (often the end of the file)."""
    problem = getattr(error, "problem", None) or str(error)
    mark = getattr(error, "problem_mark", None)
    if getattr(error, "context_mark", None) is not None and problem.startswith(_SHOWN_AT_START):
        mark = error.context_mark
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    else:  # a ReaderError: a character YAML forbids, known by its position in the text
        position = getattr(error, "position", 0)
        line, column = text.count("\n", 0, position) + 1, position - text.rfind("\n", 0, position)
    message_id = _said_as(problem, SYNTAX_PROBLEMS, SYNTAX_ERROR)
    if isinstance(error, yaml.reader.ReaderError):  # a character that cannot be shown: its code
        return line, column, Term(message_id, {"character": f"U+{error.character:04X}"})
    found = _FOUND_CHARACTER.match(problem)
    return line, column, Term(message_id, {"character": found.group(1)} if found else {})


def _said_as(problem: str, table: Mapping[str, str], otherwise: str) -> str:
    """The plain words for a parser's own (English) `problem`: the first of `table` it starts with."""
    return next((words for start, words in table.items() if problem.startswith(start)), otherwise)


def _error_message(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError):
        parts = [error.context, error.problem]
        return ": ".join(part for part in parts if part)
    return str(error).splitlines()[0]
