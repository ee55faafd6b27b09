"""iCalendar exports, read back by two parsers that share no code with the writer:
Mozilla's ical.js (under node) and ``recurring-ical-events`` (on top of dateutil)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
import recurring_ical_events
from icalendar import Calendar

from schedules.exports.calendar import entries_calendar, requirements_calendar
from schedules.exports.model import RequirementRule
from tests.exports_kit import TZ, ZONE, at, icaljs_occurrences, item

NOW = datetime(2024, 5, 1, 8, 0, tzinfo=ZONE)
UNTIL = datetime(2025, 1, 1, tzinfo=timezone.utc)
SANG = ("sang", time(5, 30), time(6, 0))
CHIEU = ("chieu", time(17, 0), time(17, 30))
MEDIA_URL = "https://radio.invalid/media/ab/ab12.mp3"


def entries():
    next_day = timedelta(days=2)
    return [
        item(1, at(5, 30), 180, title="Bản tin tuần 20", media_url=MEDIA_URL),
        item(2, at(5, 33), 1200, kind="relay", title="VOV1", source="http://vov.invalid/1",
             series_code=None, series_title=None, requirement=None, priority=None),
        item(3, at(17, 0), 150, window="chieu", status="cancelled", priority="priority",
             media_url=MEDIA_URL),
        item(4, at(17, 5) + next_day, 150, window="chieu", kind="reservation",
             title="Dành chỗ", episode_code="CDS-21"),
    ]


def thanh_ky_rule(**fields) -> RequirementRule:
    """Seed 002: one new item a week, aired every Tuesday and Thursday."""
    values = dict(code="CDS-TUAN", title="Chuyển đổi số", station_code="thanhky",
                  period="week", days=("TH", "TU"), windows=(SANG,),
                  date_from=date(2024, 5, 1), date_to=date(2024, 5, 31),
                  closed=(date(2024, 5, 16), date(2024, 5, 19), date(2024, 7, 4)), min=2, max=2)
    return RequirementRule(**(values | fields))


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "feed.ics"
    path.write_bytes(data)
    return path


def python_occurrences(data: bytes) -> list[tuple[str, str, str, str | None]]:
    events = recurring_ical_events.of(Calendar.from_ical(data)).between(
        datetime(2000, 1, 1, tzinfo=timezone.utc), UNTIL)
    return sorted((str(event["UID"]), _utc(event.DTSTART), _utc(event.DTEND),
                   event.get("STATUS")) for event in events)


def js_occurrences(path: Path) -> list[tuple[str, str, str, str | None]]:
    return sorted((found["uid"], found["start"][:19], found["end"][:19], found["status"])
                  for found in icaljs_occurrences(path, UNTIL))


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def test_every_entry_is_one_event_at_its_time_in_both_parsers(tmp_path):
    data = entries_calendar("thanhky", "Đài xã Thanh Kỳ", entries(), TZ, NOW)
    expected = sorted((e.id, _utc(e.start), _utc(e.end), "CANCELLED" if e.is_cancelled
                       else "CONFIRMED") for e in entries())
    assert python_occurrences(data) == expected
    assert js_occurrences(write(tmp_path, data)) == expected


def test_entry_events_carry_series_requirement_and_local_zone(tmp_path):
    data = entries_calendar("thanhky", "Đài xã Thanh Kỳ", entries(), TZ, NOW)
    events = {found["uid"]: found for found in icaljs_occurrences(write(tmp_path, data), UNTIL)}
    first, relay, cancelled, reservation = (events[e.id] for e in entries())
    assert first["summary"] == "Chuyển đổi số – Bản tin tuần 20"
    assert first["categories"] == "CDS"
    assert first["description"] == "Khung giờ: sang\nYêu cầu: CDS-TUAN (thường)"
    assert first["tzid"] == TZ
    assert relay["summary"] == "Tiếp sóng – VOV1"
    assert relay["categories"] is None
    assert cancelled["description"] == "Khung giờ: chieu\nYêu cầu: CDS-TUAN (ưu tiên)"
    assert reservation["description"].endswith("Số: CDS-21\nThiếu nội dung")
    text = data.decode("utf-8")
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Ho_Chi_Minh\r\n" in text
    assert "DTSTAMP:20240501T010000Z" in text
    assert "X-WR-CALNAME:Đài xã Thanh Kỳ – lịch phát sóng" in text


def test_lines_are_folded_to_75_octets_without_splitting_letters():
    long_title = "Tuyên truyền chuyển đổi số " * 8
    data = entries_calendar("thanhky", "Đài xã Thanh Kỳ", [item(9, at(6, 0), 60, title=long_title)],
                            TZ, NOW)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    summary = Calendar.from_ical(data).walk("VEVENT")[0]["SUMMARY"]
    assert summary == f"Chuyển đổi số – {long_title.strip()}"


def test_the_same_entries_give_the_same_feed():
    first = entries_calendar("thanhky", "Đài", entries(), TZ, NOW)
    assert entries_calendar("thanhky", "Đài", entries(), TZ, NOW) == first
    later = entries_calendar("thanhky", "Đài", entries(), TZ, NOW + timedelta(hours=1))
    assert later.replace(b"DTSTAMP:20240501T020000Z", b"DTSTAMP:20240501T010000Z") == first


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        entries_calendar("thanhky", "Đài", entries(), TZ, datetime(2024, 5, 1))


# Tuesdays and Thursdays of May 2024 at 05:30 local (22:30 UTC the day before), but the
# closed Thursday 16/05; Sunday 19/05 and 04/07 are closed too but never occurrences.
TUE_THU_MAY_2024 = [f"2024-{day}T22:30:00" for day in (
    "05-01", "05-06", "05-08", "05-13", "05-20", "05-22", "05-27", "05-29")]


def test_weekly_tuesday_and_thursday_with_a_closed_day_in_both_parsers(tmp_path):
    rule = thanh_ky_rule()
    data = requirements_calendar([rule], TZ, NOW)
    assert b"RRULE:FREQ=WEEKLY;UNTIL=20240530T223000Z;BYDAY=TU,TH\r\n" in data
    assert b"EXDATE;TZID=Asia/Ho_Chi_Minh:20240516T053000\r\n" in data
    for found in (python_occurrences(data), js_occurrences(write(tmp_path, data))):
        assert [start for _, start, _, _ in found] == TUE_THU_MAY_2024
        assert [end[11:] for _, _, end, _ in found] == ["23:00:00"] * len(TUE_THU_MAY_2024)
        assert len({uid for uid, _, _, _ in found}) == 1


def test_one_event_per_requirement_and_window_with_stable_uids(tmp_path):
    rules = [thanh_ky_rule(windows=(SANG, CHIEU)),
             thanh_ky_rule(code="CDS-THANG", period="month", days=("SA",), min=1, max=None,
                           date_from=date(2024, 6, 1), date_to=date(2024, 6, 30), closed=())]
    data = requirements_calendar(rules, TZ, NOW)
    found = icaljs_occurrences(write(tmp_path, data), UNTIL)
    by_uid: dict[str, list[str]] = {}
    for occurrence in found:
        by_uid.setdefault(occurrence["uid"], []).append(occurrence["start"][:16])
    assert sorted(map(len, by_uid.values())) == [5, 8, 8]  # 5 Saturdays in June 2024
    saturdays = next(starts for starts in by_uid.values() if len(starts) == 5)
    assert saturdays == ["2024-05-31T22:30", "2024-06-07T22:30", "2024-06-14T22:30",
                         "2024-06-21T22:30", "2024-06-28T22:30"]
    monthly = next(o for o in found if o["uid"] in by_uid and len(by_uid[o["uid"]]) == 5)
    assert monthly["summary"] == "Chuyển đổi số (CDS-THANG)"
    assert monthly["description"].startswith("Số lần phát: ít nhất 1 lần/tháng\n")
    assert requirements_calendar(rules, TZ, NOW) == data


def test_a_requirement_with_no_allowed_day_gives_no_event():
    monday_only = thanh_ky_rule(date_from=date(2024, 5, 13), date_to=date(2024, 5, 13))
    data = requirements_calendar([monday_only], TZ, NOW)
    assert b"BEGIN:VEVENT" not in data
    assert b"BEGIN:VTIMEZONE" not in data


def test_without_node_the_check_skips_here_but_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"apt-get install nodejs"):
        icaljs_occurrences(tmp_path / "feed.ics", UNTIL)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="node is not installed"):
        icaljs_occurrences(tmp_path / "feed.ics", UNTIL)
