"""The problems of a refused plan file on the page: in the reader's language, each by its line and
field (the CLI and the API keep the plan reader's English)."""
from __future__ import annotations

import io

import pytest

from sqlalchemy import select

from radio.models import Area
from tests.factories import create_area, create_user
from tests.radio.office_kit import client_as, csrf_from
from tests.radio.plan_text import PLAN


def upload(client, text: str, name: str = "plan.yaml"):
    token = csrf_from(client, "/office/plans")
    return client.post("/office/plans/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "plan_file": (io.BytesIO(text.encode()), name)})


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


def _line_of(text: str, marker: str) -> int:
    return text[:text.index(marker)].count("\n") + 1


SYNTAX_ERRORS = [  # a plan file broken the common ways: what the page says, in each language, and where
    (PLAN.replace("code: tk-2026", "code: tk\x002026"), "code: tk", 11,
     "có ký tự đặc biệt U+0000, không được có trong tệp văn bản",
     "there is a special character U+0000, which a text file may not hold"),
    (PLAN.replace("  code: tk-2026", "\tcode: tk-2026"), "\tcode", 1,
     "có dấu Tab: YAML chỉ nhận dấu cách để thụt lề và ngăn cách",
     "there is a Tab: YAML takes only spaces for indenting and separating"),
    (PLAN + '  - {code: x, title: "Chuyên mục}\n', '  - {code: x, title: "', 22,
     "dấu nháy (&#34; hoặc &#39;) mở ở đây chưa được đóng", "the quote (&#34; or &#39;) opened here is never closed"),
    (PLAN.replace('  title: "Kế', ' title: "Kế'), ' title: "Kế', 2,
     "thụt lề sai: dòng này không thẳng hàng với các dòng cùng cấp phía trên",
     "wrong indentation: this line does not line up with the lines of the same level above it"),
    (PLAN.replace('  document: "12/KH-UBND"', '  document "12/KH-UBND"'), '  document "', 3,
     "thiếu dấu hai chấm (:) sau tên khoá", "the colon (:) after the key is missing"),
    (PLAN.replace('  document: "12/KH-UBND"', "  document: Số: 12/KH-UBND"), "  document: Số:", 15,
     "dấu hai chấm (:) ở chỗ không được có", "a colon (:) where none may be"),
    (PLAN.replace("  - {code: TH-NT,", "   - {code: TH-NT,"), "   - {code: TH-NT,", 4,
     "thụt lề sai", "wrong indentation"),
]
PYYAML_WORDS = ("found", "character", "expected", "mapping", "scanning", "parsing", "stream", "allowed",
                "token", "block", "scalar", "unacceptable", "special characters")


@pytest.mark.parametrize(("text", "marker", "column", "vietnamese", "english"), SYNTAX_ERRORS,
                         ids=["nul", "tab", "unclosed quote", "indentation", "missing colon", "colon in a value",
                              "list indentation"])
def test_a_syntax_error_is_said_in_plain_words_at_its_line_and_column(app, db, text, marker, column, vietnamese,
                                                                       english):
    office = client_as(app, create_user(db, "vanhoa-nt", "oversight", create_area(db, "TH-NT", "district")))
    problems = upload(office, text).get_data(as_text=True).split('id="import-problems"')[1].split("</table>")[0]
    row = problems.split('<tr class="problem">')[1]
    assert f"<td>{_line_of(text, marker)}</td>" in row
    assert vietnamese in row and f"(cột {column})" in row
    assert not [word for word in PYYAML_WORDS if word in row.lower()], row
    office.set_cookie("lang", "en")
    row = upload(office, text).get_data(as_text=True).split('id="import-problems"')[1].split('<tr class="problem">')[1]
    assert english in row and f"(column {column})" in row and "cột" not in row


JSON_ERRORS = [  # a JSON plan file broken the common ways: line, column, and the words in each language
    ('{"version": 1,\n "plan": {"code": "tk",}\n}', 2, 24,
     "tên khoá phải nằm trong dấu nháy kép", "a key must be in double quotes"),
    ('{"version": 1,\n "plan" {"code": "tk"}\n}', 2, 9, "thiếu dấu hai chấm (:) sau tên khoá",
     "the colon (:) after the key is missing"),
    ('{"version": 1\n "plan": {}}', 2, 2, "thiếu dấu phẩy giữa các mục", "a comma between the items is missing"),
    ('{"version": 1, "plan": {"code": "tk}}', 1, 33, "dấu nháy kép (&#34;) mở ở đây chưa được đóng",
     "the double quote (&#34;) opened here is never closed"),
    ('{"version": tru}', 1, 13, "thiếu một giá trị", "a value is missing"),
    ('{"version": 1}}', 1, 15, "có chữ thừa sau giá trị ngoài cùng", "there is text left over after the outermost value"),
]
PYTHON_JSON_WORDS = ("expecting", "delimiter", "property name", "unterminated", "extra data")


@pytest.mark.parametrize(("text", "line", "column", "vietnamese", "english"), JSON_ERRORS,
                         ids=["trailing comma", "missing colon", "missing comma", "unclosed string", "bad value",
                              "extra data"])
def test_a_json_syntax_error_is_said_in_plain_words_at_its_line_and_column(app, db, text, line, column, vietnamese,
                                                                           english):
    office = client_as(app, create_user(db, "vanhoa-nt", "oversight", create_area(db, "TH-NT", "district")))
    row = upload(office, text, "plan.json").get_data(as_text=True).split('<tr class="problem">')[1].split("</tr>")[0]
    assert f"<td>{line}</td>" in row and vietnamese in row and f"(cột {column})" in row
    assert not [word for word in PYTHON_JSON_WORDS if word in row.lower()], row
    office.set_cookie("lang", "en")
    row = upload(office, text, "plan.json").get_data(as_text=True).split('<tr class="problem">')[1].split("</tr>")[0]
    assert english in row and f"(column {column})" in row and "cột" not in row
