"""iCalendar (RFC 5545) feeds: a station's schedule entries, and its requirements.

Times are written in the station's zone (``TZID=Asia/Ho_Chi_Minh``) with a VTIMEZONE,
so a calendar app anywhere shows the local broadcast time the operator reads on the
log book. An entry's UID is its schedule entry UUID, stable across rebuilds, so a
subscribed calendar updates an event instead of duplicating it; cancelled entries stay
in the feed as ``STATUS:CANCELLED`` so that subscribers drop them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from ..planfile.model import WEEKDAYS
from .model import PlayItem, RequirementRule
from .text import PRIORITY_LABELS, item_title, one_line, requirement_text

PRODID = "-//radio-schedules//exports//VI"
# Requirement events have no UUID of their own; they get name-based (v5) UUIDs in this
# namespace from station, requirement and window, so they are stable across exports.
REQUIREMENT_NAMESPACE = uuid.UUID("6f1c2f0e-9a51-4c1b-8d6e-3a7d1c0b5e42")
PERIOD_WORDS = {"day": "ngày", "week": "tuần", "month": "tháng", "quarter": "quý",
                "year": "năm", "campaign": "đợt"}


def entries_calendar(station_code: str, station_name: str, items: Sequence[PlayItem],
                     tz: str, now: datetime) -> bytes:
    """One VEVENT per schedule entry, cancelled ones included."""
    zone = ZoneInfo(tz)
    cal = _calendar(f"{one_line(station_name)} – lịch phát sóng", tz)
    for item in items:
        cal.add_component(_entry_event(item, zone, _stamp(now)))
    _add_timezones(cal, [item.start.astimezone(zone).date() for item in items])
    return cal.to_ical()


def requirements_calendar(rules: Sequence[RequirementRule], tz: str, now: datetime) -> bytes:
    """One weekly recurring VEVENT per requirement and window: the slots it may air in.

    Each occurrence is a window on an allowed weekday between the requirement's dates;
    the station's closed dates are EXDATEs. A rule with no such day gives no event.
    """
    zone = ZoneInfo(tz)
    cal = _calendar("Yêu cầu phát sóng", tz)
    firsts = []
    for rule in rules:
        first = _first_day(rule)
        if first is None:
            continue
        firsts.append(first)
        for window in rule.windows:
            cal.add_component(_rule_event(rule, window, first, zone, _stamp(now)))
    _add_timezones(cal, firsts)
    return cal.to_ical()


def _calendar(name: str, tz: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", tz)
    return cal


def _stamp(now: datetime) -> datetime:
    """DTSTAMP must be UTC; a naive ``now`` is a caller's bug, not UTC by guess."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now {now} has no time zone")
    return now.astimezone(timezone.utc)


def _add_timezones(cal: Calendar, days: list[date]) -> None:
    """Add the VTIMEZONE the events use, described for a year either side of them
    (from 1970 on, the default, it would carry decades of history nobody needs)."""
    if days:
        year = timedelta(days=366)
        cal.add_missing_timezones(first_date=min(days) - year, last_date=max(days) + year)


def _entry_event(item: PlayItem, zone: ZoneInfo, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item.id)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.start.astimezone(zone))
    event.add("dtend", item.end.astimezone(zone))
    event.add("summary", item_title(item))
    event.add("description", _entry_description(item))
    if item.series_code:
        event.add("categories", [item.series_code])
    event.add("status", "CANCELLED" if item.is_cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def _entry_description(item: PlayItem) -> str:
    window = item.window_title or item.window
    lines = [f"Khung giờ: {one_line(window)}" if window else "Ngoài khung giờ"]
    if item.requirement:
        lines.append(f"Yêu cầu: {requirement_text(item)}")
    if item.episode_code:
        lines.append(f"Số: {item.episode_code}")
    if item.needs_content and not item.has_content:
        lines.append("Thiếu nội dung")
    return "\n".join(lines)


def _rule_event(rule: RequirementRule, window: tuple[str, time, time], first: date,
                zone: ZoneInfo, stamp: datetime) -> Event:
    name, start, end = window
    event = Event()
    key = f"{rule.station_code}|{rule.code}|{name}"
    event.add("uid", str(uuid.uuid5(REQUIREMENT_NAMESPACE, key)))
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.combine(first, start, zone))
    event.add("dtend", datetime.combine(first, end, zone))
    until = datetime.combine(rule.date_to, start, zone).astimezone(timezone.utc)
    event.add("rrule", {"freq": "weekly", "byday": _ordered_days(rule.days), "until": until})
    closed = [datetime.combine(day, start, zone) for day in sorted(set(rule.closed))
              if _is_allowed(rule, day)]
    if closed:
        event.add("exdate", closed)
    event.add("summary", f"{one_line(rule.title)} ({rule.code})")
    event.add("description", _rule_description(rule, name))
    event.add("transp", "TRANSPARENT")
    return event


def _rule_description(rule: RequirementRule, window: str) -> str:
    count = str(rule.min) if rule.max == rule.min else (
        f"{rule.min}–{rule.max}" if rule.max is not None else f"ít nhất {rule.min}")
    priority = PRIORITY_LABELS.get(rule.priority, rule.priority)
    return "\n".join([
        f"Số lần phát: {count} lần/{PERIOD_WORDS[rule.period]}",
        f"Mức ưu tiên: {priority}",
        f"Khung giờ: {one_line(rule.window_titles.get(window, window))}",
        f"Từ {rule.date_from:%d/%m/%Y} đến {rule.date_to:%d/%m/%Y}",
    ])


def _ordered_days(days: tuple[str, ...]) -> list[str]:
    return [day for day in WEEKDAYS if day in days]


def _is_allowed(rule: RequirementRule, day: date) -> bool:
    return rule.date_from <= day <= rule.date_to and WEEKDAYS[day.weekday()] in rule.days


def _first_day(rule: RequirementRule) -> date | None:
    """The first allowed weekday in range: RFC 5545 wants DTSTART to be an occurrence."""
    for offset in range(7):
        day = rule.date_from + timedelta(days=offset)
        if _is_allowed(rule, day):
            return day
    return None
