"""One base for every refusal the product makes, below every feature.

An operation raises a `RadioError` (or a subclass naming its domain); the shell turns it into
an answer once per channel: JSON `{"error": code, "message": text}` with `status` for the API,
a page or a flashed message for the web, a message and exit status 1 for the CLI. Operations
never raise HTTP exceptions: the CLI calls them too.

The `message` is English, for the CLI and the API. People on the pages read the refusal's
`reason` instead: a key of its class's `messages`, whose Vietnamese text (the msgid of the
pages' catalog, marked with `N_` from schedules/marking.py) the page translates and fills with the refusal's `values`
(radio/ui/words.py). Each class's `messages` is the list of what its refusals say on a page.
"""
from __future__ import annotations

from collections.abc import Mapping


class RadioError(Exception):
    """A refusal a person or a device caused, with the message that says what and where.

    `status` is the HTTP status it answers with, `code` a stable machine-readable name;
    `reason` and `values` are what the pages say (a key of `messages`, None for none).
    """

    status = 400
    code = "refused"
    messages: Mapping[str, str] = {}

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 reason: str | None = None, values: Mapping[str, object] | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        if reason is not None and reason not in self.messages:
            raise ValueError(f"{type(self).__name__} has no message {reason!r}")
        self.reason = reason
        self.values = dict(values or {})

    @property
    def message_id(self) -> str | None:
        """The Vietnamese message the pages show (translated), or None: the page then says only
        what kind of refusal it is."""
        return self.messages.get(self.reason) if self.reason else None


class NotFound(RadioError):
    """A record named by code, id or UUID does not exist."""

    status, code = 404, "not_found"


class Forbidden(RadioError):
    """The person lacks the role the action needs on that area."""

    status, code = 403, "forbidden"


class Conflict(RadioError):
    """The request clashes with what is stored (a duplicate, a stale state)."""

    status, code = 409, "conflict"
