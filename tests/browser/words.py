"""A guard against words no reader should see: a message left untranslated, English from the
operations on a Vietnamese page, or a stored code where the page has a name or a label for it.

`watch_words(context)` is installed by the shared `page` fixture (conftest.py): every page that
loads reports its text as it was at load, and the test fails at its end when any had such words.
`assert_words(page)` checks the page as it is now (after a script changed it, say). Text inside
`<code>`, `<pre>`, `<textarea>` and elements marked `translate="no"` is left out: there a page
shows, on purpose, what the user typed or the plan file's own spelling.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from playwright.sync_api import BrowserContext, Page

# What must not show, as regular expressions (case-sensitive), and in which page languages.
# To extend: a stored code goes in CODES (as a whole word, under the languages it is wrong in),
# an English phrase of an operation or of the web server in ENGLISH (wrong on Vietnamese pages).
# A word that a page still shows may be left out only with a comment naming that page.
CODES = {
    # in every language: stored codes that have a label, and raw values
    "all": [r"\bin_progress\b", r"\bat_risk\b", r"\bmake-good\b", r"\bNone\b",
            # window codes of the plan files ("sang" alone is also a Vietnamese word: "dời sang")
            r"[Bb]uổi sang\b", r"\(sang\)", r"\bchieu\b", r"\btoi\b",
            r"\\u[0-9a-fA-F]{4}",  # JSON escapes (an audit value printed raw)
            r"\b\d{4}-\d{2}-\d{2}\b"],  # dates as YYYY-MM-DD (pages write dd/mm/yyyy)
    # on Vietnamese pages only: codes that are also the English words of the English pages
    "vi": [r"\bplanner\b", r"\bmanual\b", r"\bbulletin\b", r"\bshort\b", r"\bmet\b", r"\bpending\b",
           r"\bplayed\b", r"\bemergency\b", r"\boversight\b", r"\boperator\b", r"\bapprover\b"],
}
# Words some pages may still show, by page: (a pattern of the words, a pattern of the path), each
# with a comment naming the page and why.
STILL_SHOWN: list[tuple[str, str]] = [
    # the audit log quotes a plan file's windows as they were written, by their names (radio/accounts)
    (r"[Bb]uổi sang\b|\(sang\)|\bchieu\b|\btoi\b", r"^/office/audit"),
]
ENGLISH = [  # English the operations and the web server write for the CLI, the API and the log
    r"no allowed day left", r"needs a new episode", r"airings are reservations", r"is not after",
    r"is required", r"is not a real date", r"unknown key", r"must be a ", r"is not an audio file",
    r"has no audio", r"cancelled already", r"is already past", r"needs --as", r"\bmay not\b",
    r"Not Found", r"Forbidden", r"Method Not Allowed", r"Internal Server Error", r"The requested URL",
]
CATALOG = Path(__file__).resolve().parents[2] / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# A Vietnamese message id counts as shown on an English page when a line of text is that message
# (perhaps followed by values: "Đạt: 2"), or, for a message with values, when a piece of it of
# this many words is in the text: shorter pieces are found in the names of records too.
PIECE_WORDS = 3

# The text a page shows, as it is when it is called, in a page of this site (not a download).
PAGE_TEXT = """() => {
  if (document.contentType !== "text/html" || !document.body) return null;
  const skipped = "code, pre, textarea, script, style, [translate=no]";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: node =>
      node.parentElement.closest(skipped) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.nodeValue.replace(/\\s+/g, " ").trim());
  return {lang: document.documentElement.lang, text: parts.filter(Boolean).join("\\n"), path: location.pathname};
}"""


@cache
def _vietnamese_messages() -> tuple[tuple[re.Pattern[str], ...], tuple[str, ...]]:
    """The message ids that have an English translation (so they are Vietnamese): patterns of the
    whole ones, and the long pieces of those with values."""
    with CATALOG.open("rb") as source:
        ids = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source)
               if m.id and m.string and m.id != m.string]
    whole = tuple(re.compile(rf"^{re.escape(i)}(?!\s*\w)", re.MULTILINE) for i in ids if "%(" not in i)
    pieces = {piece.strip() for i in ids if "%(" in i for piece in re.split(r"%\(\w+\)s", i)}
    return whole, tuple(sorted(p for p in pieces if len(p.split()) >= PIECE_WORDS and not p.isascii()))


def wrong_words(lang: str, text: str, path: str = "/") -> list[str]:
    """What the page at `path` in `lang` should not show, found in its `text`."""
    patterns = CODES["all"] + (CODES["vi"] + ENGLISH if lang == "vi" else [])
    found = {match.group() for pattern in patterns for match in re.finditer(pattern, text)}
    if lang == "en":
        whole, pieces = _vietnamese_messages()
        found |= {m.group() for pattern in whole for m in pattern.finditer(text)}
        found |= {piece for piece in pieces if piece in text}
    still = [word for pattern, page in STILL_SHOWN if re.search(page, path) for word in found
             if re.fullmatch(pattern, word)]
    return sorted(found - set(still))


def _report(seen: dict | None) -> list[str]:
    if not seen:
        return []
    return [f"{seen['path']} ({seen['lang']}): {word!r}"
            for word in wrong_words(seen["lang"], seen["text"], seen["path"])]


def assert_words(page: Page) -> None:
    """Fails when the page, as it is now, shows words no reader should see."""
    problems = _report(page.evaluate(PAGE_TEXT))
    assert not problems, "words no reader should see:\n" + "\n".join(problems)


def watch_words(context: BrowserContext) -> list[str]:
    """Every page of `context` reports its text once loaded; returns the list its problems go into."""
    problems: list[str] = []
    context.expose_binding("reportPageText", lambda _source, seen: problems.extend(_report(seen)))
    context.add_init_script(script=f"window.addEventListener('load', () => window.reportPageText(({PAGE_TEXT})()));")
    return problems
