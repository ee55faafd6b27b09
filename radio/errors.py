"""One base for every refusal the product makes, below every feature.

An operation raises a `RadioError` (or a subclass naming its domain); the shell turns it into
an answer once per channel: JSON `{"error": code, "message": text}` with `status` for the API,
a page or a flashed message for the web, a message and exit status 1 for the CLI. Operations
never raise HTTP exceptions: the CLI calls them too.
"""
from __future__ import annotations


class RadioError(Exception):
    """A refusal a person or a device caused, with the message that says what and where.

    `status` is the HTTP status it answers with, `code` a stable machine-readable name.
    """

    status = 400
    code = "refused"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code


class NotFound(RadioError):
    """A record named by code, id or UUID does not exist."""

    status, code = 404, "not_found"


class Forbidden(RadioError):
    """The person lacks the role the action needs on that area."""

    status, code = 403, "forbidden"


class Conflict(RadioError):
    """The request clashes with what is stored (a duplicate, a stale state)."""

    status, code = 409, "conflict"
