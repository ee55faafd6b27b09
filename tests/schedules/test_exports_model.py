"""The exports' input values refuse what the writers could not handle, and the shared
wording (Vietnamese dates, titles, ASCII file names) is right."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

import pytest

from schedules.exports.model import DayPlaylist, RequirementRule, WindowInfo
from schedules.exports.text import day_text, duration_words, item_title, slugify
from tests.exports_kit import DAY, TZ, at, item

SANG = WindowInfo("sang", at(5, 30), at(6, 0))


@pytest.mark.parametrize(("fields", "message"), [
    ({"kind": "podcast"}, "kind 'podcast' is not one of"),
    ({"status": "deleted"}, "status 'deleted' is not one of"),
    ({"end": datetime(2024, 5, 14, 5, 30)}, "end 2024-05-14 05:30:00 has no time zone"),
    ({"end": at(5, 0)}, "end .* is before start"),
    ({"duration_s": -1}, "duration_s is negative"),
])
def test_play_item_refusals(fields, message):
    with pytest.raises(ValueError, match=f"entry 00000000-0000-4000-8000-000000000001: {message}"):
        item(1, at(5, 30), 60, **fields)


@pytest.mark.parametrize(("kind", "fields", "has_content"), [
    ("episode", {}, False),
    ("episode", {"media_url": "https://x/a.mp3"}, True),
    ("reservation", {}, False),
    ("relay", {}, False),
    ("relay", {"source": "http://vov.invalid/1"}, True),
    ("live", {"media_url": "https://x/a.mp3"}, False),
])
def test_what_counts_as_content(kind, fields, has_content):
    assert item(1, at(5, 30), 60, kind=kind, **fields).has_content is has_content


def playlist(**fields) -> DayPlaylist:
    values = dict(station_code="thanhky", station_name="Đài", day=DAY, timezone=TZ,
                  windows=(SANG,), items=(item(1, at(5, 30), 60),), schedule_version=1)
    return DayPlaylist(**(values | fields))


@pytest.mark.parametrize(("fields", "message"), [
    ({"timezone": "Asia/Hanoi_Nowhere"}, "unknown time zone"),
    ({"windows": (SANG, SANG)}, "duplicate window names"),
    ({"items": (item(1, at(5, 30), 60, window="trua"),)}, r"items name unknown windows \['trua'\]"),
    ({"items": (item(2, at(5, 40), 60), item(1, at(5, 30), 60))}, "items are not in time order"),
])
def test_day_playlist_refusals(fields, message):
    with pytest.raises(ValueError, match=f"playlist thanhky 2024-05-14: {message}"):
        playlist(**fields)


def test_window_refusals():
    with pytest.raises(ValueError, match="window sang: end .* is not after start"):
        WindowInfo("sang", at(6, 0), at(5, 30))
    with pytest.raises(ValueError, match="no window 'trua'"):
        playlist().live_items("trua")


def test_live_items_leave_out_cancelled_entries():
    kept, dropped = item(1, at(5, 30), 60), item(2, at(5, 31), 60, status="cancelled")
    assert playlist(items=(kept, dropped)).live_items("sang") == (kept,)


@pytest.mark.parametrize(("fields", "message"), [
    ({"days": ("TU", "XX")}, r"unknown weekdays \['XX'\]"),
    ({"period": "fortnight"}, "period 'fortnight' is not one of"),
    ({"date_from": date(2024, 6, 1)}, "from is after to"),
    ({"min": 3, "max": 2}, "min is more than max"),
    ({"windows": (("sang", time(6), time(5, 30)),)}, "a window ends before it starts"),
])
def test_requirement_rule_refusals(fields, message):
    values = dict(code="CDS-TUAN", title="Chuyển đổi số", station_code="thanhky",
                  period="week", days=("TU", "TH"), windows=(("sang", time(5, 30), time(6)),),
                  date_from=date(2024, 5, 1), date_to=date(2024, 5, 31), min=1)
    with pytest.raises(ValueError, match=f"requirement CDS-TUAN: {message}"):
        RequirementRule(**(values | fields))


@pytest.mark.parametrize(("day", "text"), [
    (date(2024, 5, 13), "Thứ 2, 13/05/2024"),
    (date(2024, 5, 14), "Thứ 3, 14/05/2024"),
    (date(2024, 5, 18), "Thứ 7, 18/05/2024"),
    (date(2024, 5, 19), "Chủ nhật, 19/05/2024"),
])
def test_day_text(day, text):
    assert day_text(day) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (600, "10 phút"), (23.4, "23 giây"), (185, "3 phút 5 giây"), (3720, "1 giờ 2 phút"),
    (3601, "1 giờ 1 giây"), (0.2, "0 giây"),
])
def test_duration_words_cannot_be_read_as_a_clock_time(seconds, text):
    assert duration_words(seconds) == text


@pytest.mark.parametrize(("text", "slug"), [
    ("Chuyển đổi số", "chuyen-doi-so"),
    ("ĐÀI TRUYỀN THANH", "dai-truyen-thanh"),
    ("Chuyê\u0309n đô\u0309i", "chuyen-doi"),  # decomposed input
    ('Bản tin "Thứ 3" <số 20>', "ban-tin-thu-3-so-20"),
    ("…", "item"),
    ("a" * 60, "a" * 48),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_item_title_leaves_out_a_series_the_title_repeats():
    episode = item(1, at(5, 30), 60, title="Chuyển đổi số")
    assert item_title(episode) == "Chuyển đổi số"
    assert item_title(replace(episode, title="Tin\nsố 4"), dash="-") == "Chuyển đổi số - Tin số 4"
    assert item_title(replace(episode, kind="live", title="Phát biểu")) == "Trực tiếp – Phát biểu"
