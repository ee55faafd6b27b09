"""Problems found in a plan file, reported all at once as ``FILE:LINE: field: message``.

A plan file is refused as a whole, so the reader never stops at the first mistake: it
collects every problem in a :class:`ProblemLog` and raises one :class:`PlanFileError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field as attribute

from .messages import MESSAGES


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file, located by line and field path.

    ``field`` is a dotted path such as ``requirements[0].airings.min``; it is empty for
    problems of the file as a whole (a syntax error), and then left out of ``str()``.
    ``message`` is English; ``code`` (a key of messages.MESSAGES) and ``values`` say the same
    to the web pages, in the reader's language.
    """

    file: str
    line: int
    field: str
    message: str
    code: str = attribute(default="", compare=False)
    values: Mapping[str, object] = attribute(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.code and self.code not in MESSAGES:
            raise ValueError(f"no message {self.code!r} for plan-file problems")

    @property
    def message_id(self) -> str | None:
        return MESSAGES.get(self.code)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:"
        if self.field:
            where += f" {self.field}:"
        return f"{where} {self.message}"


class PlanFileError(ValueError):
    """An invalid plan file; ``problems`` lists every problem, sorted by line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def __reduce__(self) -> tuple[type[PlanFileError], tuple[list[Problem]]]:
        """Pickle by problems, so the error survives a trip through a job queue."""
        return type(self), (self.problems,)


class ProblemLog:
    """Collects problems of one file so that all of them can be reported together."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self._problems: list[Problem] = []

    def add(self, line: int, field: str, message: str, code: str, /, **values: object) -> None:
        self._problems.append(Problem(self.filename, line, field, message, code, values))

    def raise_if_any(self) -> None:
        """Raise every problem so far, in line order (stable, so ties keep their order)."""
        if self._problems:
            raise PlanFileError(sorted(self._problems, key=lambda problem: problem.line))
