"""Make-good proposals: the free allowed slots still ahead, one a day before doubling up."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from schedules.compliance import MakeGood, evaluate, propose_makegoods
from tests.schedules.compliance.test_compliance_engine import STATION, THU, TUE, WEEK, count, weekly

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def row_for(counts, today, req):
    return evaluate([req], {"tk": STATION}, counts, start=WEEK, end=WEEK, today=today)[0]


def test_a_missed_tuesday_is_made_good_in_thursdays_free_window():
    req = weekly()
    now = datetime(2026, 11, 18, 10, 0, tzinfo=TZ)  # Wednesday
    row = row_for([count(TUE, aired=0), count(THU, aired=0)], now.date(), req)
    assert (row.status, row.needed) == ("at_risk", 1)
    assert propose_makegoods(req, STATION, row, now=now, tz=TZ) == [MakeGood(THU, "chieu")]


def test_free_days_come_before_a_second_slot_on_a_used_day():
    req = weekly(days=("MO", "TU", "WE", "TH", "FR", "SA"), min=4, max=4)
    now = datetime(2026, 11, 17, 12, 0, tzinfo=TZ)  # Tuesday noon: Tuesday's morning window is over
    row = row_for([count(TUE), count(WEEK + timedelta(days=3), "e1", aired=0)], now.date(), req)
    assert row.needed == 2
    assert propose_makegoods(req, STATION, row, now=now, tz=TZ) == [
        MakeGood(WEEK + timedelta(days=2), "sang"), MakeGood(WEEK + timedelta(days=4), "sang")]


def test_nothing_left_means_fewer_proposals():
    req = weekly()
    now = datetime(2026, 11, 19, 18, 0, tzinfo=TZ)  # Thursday evening: the week's slots are over
    row = row_for([count(TUE, aired=0), count(THU, aired=0)], now.date(), req)
    assert propose_makegoods(req, STATION, row, now=now, tz=TZ) == []


def test_a_row_of_another_requirement_is_refused():
    row = row_for([], date(2026, 11, 18), weekly())
    with pytest.raises(ValueError, match="is not of"):
        propose_makegoods(weekly(code="p/other"), STATION, row, now=datetime(2026, 11, 18, tzinfo=TZ), tz=TZ)
