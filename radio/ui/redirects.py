"""Where a page may send the browser next: same-site paths only."""
from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a path of this site, else `default`: an open redirect is a phishing aid.

    Browsers read a backslash as a slash and drop tabs and newlines, so `/\\evil.example` or
    `/<tab>/evil.example` would leave the site: such characters are refused outright.
    """
    if (target and target.startswith("/") and not target.startswith("//")
            and not any(c == "\\" or c.isspace() or not c.isprintable() for c in target)
            and not urlsplit(target).netloc):
        return target
    return default
