"""The audit log page reads as Vietnamese sentences: who by name, when in the stations' zone,
what in words, on which record by its name, and the changed fields as "field: old → new"."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from radio.accounts.audit_words import ACTIONS
from radio.audit import record
from radio.auth.operations import add_user, grant_role, revoke_role, set_password
from radio.plans.operations import import_plan
from radio.scripts.voicing import set_glossary_entry
from tests.factories import MADE
from tests.radio.office_kit import client_as
from tests.radio.plan_text import write_plan

AT = datetime(2026, 11, 23, 23, 5, tzinfo=timezone.utc)  # 06:05 on 24/11 in Hà Nội


@pytest.fixture
def admin(db, tmp_path):
    import_plan(db, write_plan(tmp_path), None, now=MADE)  # areas, a station, a plan… with their rows
    user = add_user(db, None, "quantri", "mat-khau-123", "admin", "TH", "Quản trị tỉnh", now=MADE)
    lan = add_user(db, user, "lan", "mat-khau-123", "operator", "TH-NT-TK", "Nguyễn Thị Lan", now=AT)
    grant_role(db, user, lan, "approver", "TH-NT-TK", now=AT)
    revoke_role(db, user, lan, "approver", "TH-NT-TK", now=AT)
    set_password(db, user, lan, "dat-lai-123", now=AT)
    set_glossary_entry(db, user, lan.grants[0].area, "BCĐ", "ban chỉ đạo", now=AT)
    set_glossary_entry(db, user, lan.grants[0].area, "BCĐ", "ban chỉ đạo xã", now=AT)
    record(db, user, "mystery.thing", "mystery", "x-1", at=AT, after={"ghi_chu": "Tiếng Việt có dấu"})
    db.flush()
    return user


def page_text(client, **query) -> str:
    html = client.get("/office/audit", query_string=query).get_data(as_text=True)
    return html.split('id="audit-rows"')[1].split("</ol>")[0]


def test_each_row_reads_in_words(app, db, admin):
    rows = page_text(client_as(app, admin), user="quantri")
    assert "24/11/2026 06:05" in rows
    assert "Người thực hiện: Quản trị tỉnh" in rows
    assert "Thêm người dùng: Nguyễn Thị Lan" in rows and "Họ tên: Nguyễn Thị Lan" in rows
    assert "Cấp vai trò: Nguyễn Thị Lan" in rows and "Vai trò: Người duyệt" in rows
    assert "Địa bàn: xã Thanh Kỳ" in rows  # the area by its name, not TH-NT-TK
    assert "Thu hồi vai trò: Nguyễn Thị Lan" in rows and "Vai trò: Người duyệt → —" in rows
    assert "Đặt lại mật khẩu: Nguyễn Thị Lan" in rows and "Phải đổi mật khẩu khi đăng nhập: có" in rows
    assert "Đặt cách đọc từ viết tắt: BCĐ" in rows and "Cách đọc: ban chỉ đạo → ban chỉ đạo xã" in rows
    assert "Thay đổi khác" in rows and "ghi chu: Tiếng Việt có dấu" in rows


def test_no_escapes_and_no_action_codes_show(app, db, admin):
    rows = page_text(client_as(app, admin))
    assert "Thêm kế hoạch: Kế hoạch tuyên truyền về chuyển đổi số xã Thanh Kỳ năm 2026" in rows
    assert "Người thực hiện: Hệ thống" in rows  # the import ran without --as
    assert "Thêm đài: Đài truyền thanh xã Thanh Kỳ" in rows and "Thêm khung giờ phát: sang — Đài truyền thanh" in rows
    assert "Thêm ngày nghỉ phát: 16/02/2027 — Đài truyền thanh xã Thanh Kỳ" in rows
    assert "Thêm yêu cầu phát: Chuyên mục Chuyển đổi số" in rows
    assert "Chuyên mục: Chuyên mục Chuyển đổi số" in rows and "Thời lượng tối thiểu: 2 phút" in rows
    assert "Ngày trong tuần: Thứ 3, Thứ 5" in rows and "Hiệu lực đến: 30/09/2026" in rows
    assert "\\u" not in rows and "{" not in rows
    shown = [code for code in [*ACTIONS, "mystery.thing"] if code in rows]
    assert shown == []
