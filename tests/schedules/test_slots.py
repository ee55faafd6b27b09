"""Free airtime and bulletin placement: literal instants, Circular 39 order."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from schedules.periods import Block, StationInput, Window
from schedules.slots import Pending, Span, free_spans, open_spans, place

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SIX = ("MO", "TU", "WE", "TH", "FR", "SA")
STATION = StationInput("tk", (Window("chieu", SIX, time(17), time(17, 30)), Window("sang", SIX, time(5, 30), time(6))),
                       closed=frozenset({date(2026, 11, 25)}))


def at(day, hh, mm, ss=0):
    return datetime(2026, 11, day, hh, mm, ss, tzinfo=HCM)


def pending(key, priority="normal", minutes=3, earliest=None, latest=None, issued=None):
    return Pending(key=key, priority=priority, issued=issued or at(23, 0, 0), duration_s=minutes * 60,
                   earliest=earliest or at(23, 0, 0), latest=latest or at(28, 0, 0))


def test_open_spans_follow_weekdays_windows_and_closed_dates():
    # 23/11/2026 is a Monday, 25/11 is closed, 29/11 is a Sunday (no window).
    spans = open_spans(STATION, date(2026, 11, 24), date(2026, 11, 29), HCM)
    assert [(s.start, s.window) for s in spans[:4]] == [
        (at(24, 5, 30), "sang"), (at(24, 17, 0), "chieu"), (at(26, 5, 30), "sang"), (at(26, 17, 0), "chieu")]
    assert len(spans) == 2 * 4  # Tue, Thu, Fri, Sat
    assert spans[-1].end == at(28, 17, 30)


def test_open_spans_leave_the_blocks_time_out_on_every_day_they_air():
    relay = Block("sang", time(5, 30), "relay", "VOV", None, 600)
    station = StationInput("tk", STATION.windows, STATION.closed, (relay,))
    spans = open_spans(station, date(2026, 11, 24), date(2026, 11, 26), HCM)  # 25/11 is closed
    assert [(s.start, s.end, s.window) for s in spans] == [
        (at(24, 5, 40), at(24, 6, 0), "sang"), (at(24, 17, 0), at(24, 17, 30), "chieu"),
        (at(26, 5, 40), at(26, 6, 0), "sang"), (at(26, 17, 0), at(26, 17, 30), "chieu")]


def test_free_spans_take_busy_intervals_out():
    spans = [Span(at(24, 5, 30), at(24, 6, 0), "sang")]
    free = free_spans(spans, [(at(24, 5, 30), at(24, 5, 40)), (at(24, 5, 45), at(24, 5, 50)),
                              (at(24, 17, 0), at(24, 17, 5))])
    assert [(s.start, s.end) for s in free] == [(at(24, 5, 40), at(24, 5, 45)), (at(24, 5, 50), at(24, 6, 0))]


def test_a_bulletin_goes_into_the_first_gap_that_holds_it():
    free = [Span(at(24, 5, 40), at(24, 5, 42), "sang"), Span(at(24, 5, 50), at(24, 6, 0), "sang")]
    assert place([pending("b")], free) == {"b": Span(at(24, 5, 50), at(24, 5, 53), "sang")}


def test_priority_bulletins_go_first_whatever_the_issue_order():
    free = [Span(at(24, 5, 30), at(24, 5, 36), "sang"), Span(at(24, 17, 0), at(24, 17, 30), "chieu")]
    slots = place([pending("old-normal", issued=at(23, 1, 0)), pending("new-priority", "priority", issued=at(23, 2, 0)),
                   pending("newer-normal", issued=at(23, 3, 0))], free)
    assert slots["new-priority"].start == at(24, 5, 30)
    assert slots["old-normal"].start == at(24, 5, 33)
    assert slots["newer-normal"].start == at(24, 17, 0)


def test_earliest_start_is_rounded_up_to_a_whole_second():
    free = [Span(at(24, 5, 30), at(24, 6, 0), "sang")]
    slot = place([pending("b", earliest=datetime(2026, 11, 24, 5, 31, 0, 200, tzinfo=HCM))], free)["b"]
    assert slot.start == at(24, 5, 31, 1)


@pytest.mark.parametrize("latest, expected", [(at(24, 5, 33), at(24, 5, 30)), (at(24, 5, 32, 59), None)])
def test_a_bulletin_must_end_within_its_validity(latest, expected):
    slot = place([pending("b", latest=latest)], [Span(at(24, 5, 30), at(24, 6, 0), "sang")])["b"]
    assert (slot.start if slot else None) == expected


def test_nothing_fits_gives_none():
    assert place([pending("b", minutes=40)], [Span(at(24, 5, 30), at(24, 6, 0), "sang")]) == {"b": None}


@pytest.mark.parametrize("fields, message", [
    ({"priority": "emergency"}, "emergency bulletins play at once"),
    ({"duration_s": 0}, "duration must be positive"),
    ({"issued": datetime(2026, 11, 23)}, "has no time zone"),
])
def test_pending_bulletins_are_checked(fields, message):
    values = dict(key="b", priority="normal", issued=at(23, 0, 0), duration_s=60, earliest=at(23, 0, 0), latest=at(24, 0, 0))
    with pytest.raises(ValueError, match=message):
        Pending(**(values | fields))
