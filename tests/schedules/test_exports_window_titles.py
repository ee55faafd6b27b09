"""Windows by the name people read ("Buổi sáng"), not their code, in every export; a window
without a title keeps its name; one window alone is the day narrowed to it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime, time

import pytest
from icalendar import Calendar

from schedules.exports.calendar import entries_calendar, requirements_calendar
from schedules.exports.logbook import logbook_html, logbook_sections
from schedules.exports.model import DayPlaylist, RequirementRule
from schedules.exports.playlists import XSPF_NS, m3u8, playlist_title, running_order, xspf
from schedules.exports.windows import window_tags
from tests.exports_kit import TZ, ZONE, at, sample_day, shared_tones

NOW = datetime(2024, 5, 1, 8, 0, tzinfo=ZONE)


def titled(day: DayPlaylist) -> DayPlaylist:
    """The sample day with its morning window titled; the afternoon one keeps its bare name."""
    windows = tuple(replace(w, title="Buổi sáng") if w.name == "sang" else w for w in day.windows)
    items = tuple(replace(i, window_title="Buổi sáng") if i.window == "sang" else i for i in day.items)
    return replace(day, windows=windows, items=items)


@pytest.fixture(scope="module")
def day(tmp_path_factory) -> DayPlaylist:
    tones, durations = shared_tones(tmp_path_factory)
    return titled(sample_day(tones, durations, "http://vov.invalid/vov1.mp3"))


def by_name(item) -> str:
    return f"audio/{item.media_path.name}"


def test_the_log_book_heads_each_window_with_its_title(day):
    assert [s.title for s in logbook_sections(day)] == ["Buổi sáng (05:30–05:31)", "chieu (17:00–17:01)"]
    assert "<h2>Buổi sáng (05:30–05:31)</h2>" in logbook_html(day)


def test_playlists_and_window_files_name_the_window_by_its_title(day):
    assert playlist_title(day, "sang") == "Đài truyền thanh xã Thanh Kỳ – Thứ 3, 14/05/2024 – Buổi sáng"
    assert m3u8(day, by_name, "sang").splitlines()[1].endswith("– Buổi sáng")
    title = ET.fromstring(xspf(day, by_name, "sang")).find(f"{{{XSPF_NS}}}title").text
    assert title.endswith("– Buổi sáng")
    assert window_tags(day, "sang")["title"] == "Buổi sáng – 14/05/2024"
    assert window_tags(day, "chieu")["title"] == "chieu – 14/05/2024"


def test_the_running_order_keeps_the_code_and_adds_the_title(day):
    items = running_order(day)["items"]
    assert {(i["window"], i["window_title"]) for i in items} == {("sang", "Buổi sáng"), ("chieu", None)}
    assert json.loads(json.dumps(items))[0]["window_title"] == "Buổi sáng"


def test_calendar_events_say_the_window_by_its_title(day):
    events = {str(e["UID"]): e for e in Calendar.from_ical(
        entries_calendar("thanhky", "Đài xã Thanh Kỳ", day.items, TZ, NOW)).walk("VEVENT")}
    assert str(events[day.items[1].id]["DESCRIPTION"]).startswith("Khung giờ: Buổi sáng\n")
    assert str(events[day.items[6].id]["DESCRIPTION"]).startswith("Khung giờ: chieu\n")
    rule = RequirementRule(code="CDS-TUAN", title="Chuyển đổi số", station_code="thanhky", period="week",
                           days=("TU",), windows=(("sang", time(5, 30), time(6, 0)),),
                           window_titles={"sang": "Buổi sáng"}, date_from=date(2024, 5, 1),
                           date_to=date(2024, 5, 31), min=1)
    (event,) = Calendar.from_ical(requirements_calendar([rule], TZ, NOW)).walk("VEVENT")
    assert "\nKhung giờ: Buổi sáng\n" in str(event["DESCRIPTION"])


def test_one_window_alone_is_the_day_narrowed_to_it(day):
    morning = day.only("sang")
    assert [w.name for w in morning.windows] == ["sang"]
    assert {i.window for i in morning.items} == {"sang"} and len(morning.items) == 6
    assert [s.title for s in logbook_sections(morning)] == ["Buổi sáng (05:30–05:31)"]
    assert (morning.station_name, morning.day) == (day.station_name, date(2024, 5, 14))
    with pytest.raises(ValueError, match="no window 'toi'"):
        day.only("toi")


def test_a_window_label_is_its_title_or_else_its_name(day):
    assert [w.label for w in day.windows] == ["Buổi sáng", "chieu"]
    assert at(5, 30) == day.window("sang").start
