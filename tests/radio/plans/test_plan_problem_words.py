"""The problems of a refused plan file on the page: in the reader's language, each by its line and
field (the CLI and the API keep the plan reader's English)."""
from __future__ import annotations

import io

from sqlalchemy import select

from radio.models import Area
from tests.factories import create_area, create_user
from tests.radio.office_kit import client_as, csrf_from
from tests.radio.plan_text import PLAN


def upload(client, text: str):
    token = csrf_from(client, "/office/plans")
    return client.post("/office/plans/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "plan_file": (io.BytesIO(text.encode()), "plan.yaml")})


def test_a_refused_plans_problems_are_in_the_readers_language(app, db):
    province = create_area(db, "TH", "province")
    office = client_as(app, create_user(db, "vanhoa-nt", "oversight", create_area(db, "TH-NT", "district", province)))
    bad = PLAN.replace("parent: TH-NT}", "parent: TH-XX}").replace("level: village", "level: thon")
    html = upload(office, bad).get_data(as_text=True)
    problems = html.split('id="import-problems"')[1].split("</table>")[0]
    assert "không có địa bàn cấp trên mã “TH-XX”" in problems
    assert "giá trị lạ “thon” (chọn một trong: province, district, commune, village)" in problems
    assert "unknown" not in problems and "<code>areas[2].parent</code>" in problems
    office.set_cookie("lang", "en")
    english = upload(office, bad).get_data(as_text=True).split('id="import-problems"')[1].split("</table>")[0]
    assert "unknown parent area “TH-XX”" in english and "không có" not in english
    assert db.scalar(select(Area).where(Area.code == "TH-NT-TK")) is None  # nothing imported
