"""What the script pages say when an operation refuses: in the reader's language, never the
English of the CLI."""
from __future__ import annotations

from radio.scripts import operations as ops
from tests.factories import MADE
from tests.radio.web_kit import csrf_token, log_in, web  # noqa: F401  (fixture)
from tests.radio.web_scene import scene  # noqa: F401  (fixture)


def _approve_refused(web, script) -> str:
    page = web.get(f"/scripts/{script.id}").get_data(as_text=True)
    return web.post(f"/scripts/{script.id}/approve", data={"csrf_token": csrf_token(page)},
                    follow_redirects=True).get_data(as_text=True)


def test_an_operator_approving_is_told_why_not_in_vietnamese_then_english(web, db, scene):
    script = ops.add_script(db, scene["operator"], scene["series"], "Họp dân", "Họp dân sáng Chủ nhật.", now=MADE)
    ops.submit_script(db, scene["operator"], script, now=MADE)
    log_in(web, "op-tk")
    page = _approve_refused(web, script)
    assert "Không thực hiện được: bạn không có quyền làm việc này với kịch bản của Khu TK" in page
    assert "may not approve" not in page and "rights there are needed" not in page
    web.set_cookie("lang", "en")
    assert "you may not do this with scripts of Khu TK" in _approve_refused(web, script)


def test_approving_a_draft_says_it_is_no_longer_waiting(web, db, scene):
    script = ops.add_script(db, scene["operator"], scene["series"], "Họp dân", "Họp dân sáng Chủ nhật.", now=MADE)
    log_in(web, "duyet-tk")
    page = _approve_refused(web, script)
    assert "bản 1 không còn chờ duyệt" in page and "not submitted" not in page
