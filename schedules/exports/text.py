"""How exports word things: Vietnamese dates and weekdays, titles, safe file names.

Shared by every writer so that the playlist, the calendar and the printed log book
name an item the same way.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, tzinfo

from .model import PlayItem

# date.weekday() -> the Vietnamese name; weekdays are numbered, Monday being "Thứ 2".
WEEKDAY_NAMES = ("Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6", "Thứ 7", "Chủ nhật")
KIND_LABELS = {"relay": "Tiếp sóng", "live": "Trực tiếp"}
PRIORITY_LABELS = {"normal": "thường", "priority": "ưu tiên"}
MISSING = "thiếu nội dung"
_SLUG_LIMIT = 48


def day_text(day: date) -> str:
    """``Thứ 3, 14/05/2024``: how a printed Vietnamese schedule names a day."""
    return f"{WEEKDAY_NAMES[day.weekday()]}, {day:%d/%m/%Y}"


def clock(moment: datetime) -> str:
    """``05:30``, or ``05:33:12`` when the seconds matter (items placed back to back)."""
    return f"{moment:%H:%M:%S}" if moment.second else f"{moment:%H:%M}"


def span_text(start: datetime, end: datetime, zone: tzinfo) -> str:
    """``05:40–05:50``, or ``05:40:00–05:40:23`` when either end needs its seconds or the
    minutes alone would not tell start from end (an item shorter than a minute)."""
    start, end = start.astimezone(zone), end.astimezone(zone)
    if start.second or end.second or (end - start).total_seconds() < 60:
        return f"{start:%H:%M:%S}–{end:%H:%M:%S}"
    return f"{start:%H:%M}–{end:%H:%M}"


def duration_words(seconds: float, hours: str = "giờ", minutes: str = "phút",
                   secs: str = "giây") -> str:
    """``10 phút``, ``3 phút 5 giây``, ``23 giây``, ``1 giờ 2 phút``: a length that cannot be
    read as a clock time ("10:00"). The unit words are arguments, for the pages' languages."""
    total = round(seconds)
    hour, rest = divmod(total, 3600)
    minute, second = divmod(rest, 60)
    words = [f"{value} {unit}" for value, unit in ((hour, hours), (minute, minutes), (second, secs))
             if value]
    return " ".join(words) or f"0 {secs}"


def block_text(item: PlayItem, zone: tzinfo) -> str:
    """What a relay or live block asks of the operator, with its times (and a relay's source)."""
    span = span_text(item.start, item.end, zone)
    text = f"{item_title(item)}: {span} ({duration_words(item.planned_s)})"
    if item.kind == "relay":
        return f"{text}, chuyển sang nguồn tiếp sóng {one_line(item.source or MISSING)}"
    return f"{text}, phát trực tiếp tại micro"


def one_line(text: str) -> str:
    """NFC text on one line: line-based formats (M3U, PLS, iCalendar) break on newlines,
    and fonts hold precomposed Vietnamese letters, not always the combining marks."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def item_title(item: PlayItem, dash: str = "–") -> str:
    """``<series> – <title>``, the series left out when the title already says it."""
    title = one_line(item.title)
    series = one_line(item.series_title or "")
    if item.kind in ("relay", "live"):
        label = KIND_LABELS[item.kind]
        return title if title.lower().startswith(label.lower()) else f"{label} {dash} {title}"
    if not series or series == title:
        return title
    return f"{series} {dash} {title}"


def requirement_text(item: PlayItem) -> str:
    if item.requirement is None:
        return ""
    label = PRIORITY_LABELS.get(item.priority or "", item.priority)
    return f"{item.requirement} ({label})" if label else item.requirement


def slugify(text: str) -> str:
    """ASCII file-name part: ``Chuyển đổi số`` -> ``chuyen-doi-so``.

    Playout boxes, USB players and old Windows often mangle non-ASCII names, so the
    files of a day pack are named in plain ASCII; the titles stay in the playlists.
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:_SLUG_LIMIT].rstrip("-") or "item"
