"""Reading a plan file: all of it is valid, or a PlanFileError lists every problem."""

from __future__ import annotations

import pathlib

from .checks import check_document
from .limits import MAX_BYTES
from .model import KnownRecords, PlanDocument
from .nodes import compose
from .problems import Problem, PlanFileError, ProblemLog
from .schema import read_document
from .values import ValueReader

SUFFIXES = (".yaml", ".yml", ".json")


def load_plan(path: pathlib.Path, known: KnownRecords | None = None) -> PlanDocument:
    """Read the plan file at ``path``; audio paths in it are relative to its folder.

    Raises PlanFileError for a wrong suffix, text that is not UTF-8, or an invalid
    plan; OSError if the file cannot be read at all.
    """
    path = pathlib.Path(path)
    name = str(path)
    if path.suffix.lower() not in SUFFIXES:
        raise PlanFileError([Problem(name, 1, "", f"a plan file ends in {', '.join(SUFFIXES)}", "wrong_suffix",
                                     {"suffixes": SUFFIXES})])
    _check_size(path.stat().st_size, name)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PlanFileError([Problem(name, line, "", "the file is not UTF-8 text", "not_utf8")]) from None
    return parse_plan(text, name, path.parent, known)


def parse_plan(text: str, filename: str, base_dir: pathlib.Path,
               known: KnownRecords | None = None) -> PlanDocument:
    """Read plan-file text; JSON when ``filename`` ends in ``.json``, YAML otherwise.

    ``filename`` only names the file in problems; relative audio paths resolve against
    ``base_dir``; ``known`` holds stored records that the file may refer to.
    """
    _check_size(len(text.encode("utf-8", "surrogatepass")), filename)
    log = ProblemLog(filename)
    root = compose(text, filename.lower().endswith(".json"), log)
    doc = None if root is None else read_document(ValueReader(log, base_dir), root, filename)
    if doc is not None:
        check_document(doc, known or KnownRecords(), log)
    log.raise_if_any()
    assert doc is not None, "a document is missing only after a logged problem"
    return doc


def _check_size(size: int, name: str) -> None:
    """Refuse a file over MAX_BYTES before reading it (into memory, then into nodes)."""
    if size > MAX_BYTES:
        raise PlanFileError([Problem(name, 1, "", f"the file is {size} bytes, over the limit of {MAX_BYTES}",
                                     "file_too_large", {"size": size, "limit": MAX_BYTES})])
