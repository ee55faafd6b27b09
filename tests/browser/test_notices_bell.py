"""The notices' bell and list in a real browser at phone width: the unread count on every page,
the list in words, reading one and then all.

A commune of its own (Xã Tin Báo) and an operator of it, so that no other test's bell changes.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from radio import db, notices
from radio.auth.operations import add_user
from radio.models import Area
from radio.notices import kinds

from .conftest import PHONE, horizontal_overflow, shoot
from .seed import NOW, PASSWORD

USERNAME = "tinbao-op"


@pytest.fixture
def told(site):
    """The operator of Xã Tin Báo, told of a silent loudspeaker and a report due (once per session)."""
    app = site[2]
    with app.app_context():
        session = db.session()
        if session.query(Area).filter_by(code="TH-TB").one_or_none() is None:
            province = session.query(Area).filter_by(code="TH").one()
            session.add(Area(code="TH-TB", name="Xã Tin Báo", level="commune", parent=province))
            session.flush()
            user = add_user(session, None, USERNAME, PASSWORD, "operator", "TH-TB", "Trần Thị Tin", now=NOW)
            notices.emit(session, kinds.DEVICE_OFFLINE, [user], about="device-offline:tb:1", link="/today", now=NOW,
                         values={"device": "Loa thôn Đông", "village": "Thôn Đông", "station": "Đài xã Tin Báo",
                                 "since_at": "2026-11-23T23:00:00+00:00"})
            notices.emit(session, kinds.REPORT_DUE, [user], about="report-due:tb:11", link=None, now=NOW,
                         values={"plan": "Kế hoạch tuyên truyền 2026", "area": "huyện Nông Cống", "due_date": "2026-11-27"})
            session.commit()
    return USERNAME


def test_the_bell_and_the_notices_on_a_phone(page, log_in, told):
    page.set_viewport_size(PHONE)
    log_in(told)
    bell = page.locator("a.bell")
    expect(bell.locator(".bell__count")).to_have_text("2")
    bell.click()
    expect(page.get_by_role("heading", name="Thông báo", exact=True)).to_be_visible()
    expect(page.get_by_text("“Loa thôn Đông” (Thôn Đông, Đài xã Tin Báo) không liên lạc từ 06:00 24/11/2026.")) \
        .to_be_visible()
    expect(page.get_by_text("Báo cáo kế hoạch “Kế hoạch tuyên truyền 2026” (huyện Nông Cống) đến hạn ngày 27/11/2026 "
                             "mà chưa chốt.")) \
        .to_be_visible()
    assert horizontal_overflow(page) == 0
    shoot(page, "notices")
    page.locator("article", has_text="Sắp đến hạn báo cáo").get_by_role("button", name="Đã đọc").click()
    expect(bell.locator(".bell__count")).to_have_text("1")
    page.get_by_role("button", name="Đánh dấu đã đọc tất cả").click()
    expect(bell.locator(".bell__count")).to_have_count(0)
    expect(page.locator(".notice--unread")).to_have_count(0)
    page.get_by_role("link", name="Loa mất liên lạc").click()
    expect(page.locator("a.bell")).to_be_visible()  # the bell is on every page
