"""Availability arithmetic: offline time against the time in service within a span."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from radio.devices.availability import availability

T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)
END = T0 + timedelta(days=30)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


@pytest.mark.parametrize("periods, kwargs, ratio, count", [
    ([], {}, 1.0, 0),
    ([(at(1), at(4))], {}, 0.9, 1),
    ([(at(-5), at(3))], {}, 0.9, 1),                                  # began before the span
    ([(at(27), at(40))], {}, 0.9, 1),                                 # ends after the span
    ([(at(-5), at(-1))], {}, 1.0, 0),                                 # wholly before
    ([(at(27), None)], {}, 0.9, 1),                                   # still open: up to the span's end
    ([(at(1), at(4)), (at(3), at(7))], {}, 0.8, 2),                   # overlapping periods count once
    ([(at(2), at(4)), (at(2.5), at(3))], {}, 1 - 2 / 30, 2),          # one inside another
    ([(at(25), at(27))], {"added_at": at(20)}, 0.8, 1),               # added 10 days before the end
    ([(at(15), None)], {"retired_at": at(20)}, 0.75, 1),              # not offline after retirement
    ([(at(2), at(3))], {"added_at": at(-10)}, 1 - 1 / 30, 1),         # added before the span
])
def test_availability_over_a_span(periods, kwargs, ratio, count):
    found = availability(periods, T0, END, **kwargs)
    assert found.ratio == pytest.approx(ratio)
    assert found.periods == count


def test_offline_time_is_the_time_silent_within_the_span():
    found = availability([(at(-1), at(1)), (at(29), None)], T0, END)
    assert found.offline == timedelta(days=2) and found.measured == timedelta(days=30)


def test_a_device_never_seen_has_no_availability():
    assert availability([], T0, END, is_seen=False) is None


@pytest.mark.parametrize("kwargs", [{"added_at": END}, {"retired_at": T0}, {"added_at": at(10), "retired_at": at(5)}])
def test_a_device_not_in_service_within_the_span_is_not_measured(kwargs):
    found = availability([(at(1), None)], T0, END, **kwargs)
    assert found.ratio is None and found.periods == 0
