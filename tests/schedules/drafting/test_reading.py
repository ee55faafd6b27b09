"""The reading rules, as tables of sentences with the records they must give."""
from __future__ import annotations

import pytest

from schedules.drafting import DraftError, Sentence, draft_plan

HEAD = ["KẾ HOẠCH", "Truyền thông về chuyển đổi số trên địa bàn huyện Tân Sơn năm 2024"]
AREAS = [("PT", "Phú Thọ", "province"), ("PT-TS", "huyện Tân Sơn", "district")]


def requirement(*lines: str) -> dict:
    sentences = [Sentence(f"đoạn {n}", text) for n, text in enumerate(HEAD + list(lines), start=1)]
    draft = draft_plan(sentences, AREAS)
    records = [record for record in draft.records if record.section == "requirements"]
    assert len(records) == 1, records
    fields = dict(records[0].fields)
    fields.pop("series")
    return fields | {"asked": sorted(question.field for question in records[0].questions)}


YEAR = {"from": "2024-01-01", "to": "2024-12-31"}
ROWS = [
    (["Duy trì chương trình phát thanh về Chuyển đổi số 1 tin/tuần và phát sóng vào Thứ 3 và Thứ 5 hằng tuần."],
     {"period": "week", "airings": {"min": 2, "max": 2}, "new_episodes": 1, "days": ["TU", "TH"], **YEAR}),
    (["Chuyên mục phát thanh về chuyển đổi số: một bản tin mỗi tuần, phát vào Thứ Ba, T5 và Chủ nhật."],
     {"period": "week", "airings": {"min": 3, "max": 3}, "new_episodes": 1, "days": ["TU", "TH", "SU"], **YEAR}),
    (["- Tần suất: 01 số/chuyên mục/tuần trên Đài Phát thanh và Truyền hình tỉnh."],
     {"period": "week", "airings": {"min": 1}, "new_episodes": 1, **YEAR}),
    (["- Tần suất: mỗi tháng 01 chuyên mục và phát lại 03 lần/tháng trên hệ thống truyền thanh huyện."],
     {"period": "month", "airings": {"min": 4, "max": 4}, "new_episodes": 1, **YEAR}),
    (["Chương trình phát thanh hằng tháng hai chuyên mục trên đài truyền thanh xã."],
     {"period": "month", "airings": {"min": 2}, "new_episodes": 2, **YEAR}),
    (["b) Tiếp tục duy trì Chuyên mục phát thanh về “Chuyển đổi số”, 01 - 02 Chương trình/tuần.", "Quý I Quý IV"],
     {"period": "week", "airings": {"min": 1, "max": 2}, "new_episodes": 1, **YEAR}),
    (["Chương trình phát thanh về chuyển đổi số, tần suất 01- 02 chương trình/tuấn, thời lượng 0-03 phút."],
     {"period": "week", "airings": {"min": 1, "max": 2}, "new_episodes": 1, "duration": {"min": 120, "max": 180},
      **YEAR}),
    (["Chương trình phát thanh 1 đến 2 chương trình/tuần, thời lượng 02-03 phút.", "- Thời gian thực hiện: Quý III/2024."],
     {"period": "week", "airings": {"min": 1, "max": 2}, "new_episodes": 1, "duration": {"min": 120, "max": 180},
      "from": "2024-07-01", "to": "2024-09-30"}),
    (["Phát thanh bản tin 2 lần/ngày, thời lượng tối đa 5 phút.", "+ Thời gian thực hiện: Từ ngày 01/10 đến 10/10/2024."],
     {"period": "day", "airings": {"min": 2}, "duration": {"max": 300}, "from": "2024-10-01", "to": "2024-10-10"}),
    (["Chương trình phát thanh 1 chương trình/tuần, thời lượng từ 02 đến 03 phút."],
     {"period": "week", "airings": {"min": 1}, "new_episodes": 1, "duration": {"min": 120, "max": 180}, **YEAR}),
    (["Phát thanh bản tin 2 lần/ngày.", "+ Thời gian thực hiện: Từ ngày 25/12 đến 05/01/2025."],
     {"period": "day", "airings": {"min": 2}, "from": "2024-12-25", "to": "2025-01-05"}),
    (["Chương trình phát thanh hàng tuần 02 bản tin vào T2, Thứ Tư và thứ 6.", "- Thời gian thực hiện: năm 2025."],
     {"period": "week", "airings": {"min": 3, "max": 3}, "new_episodes": 2, "days": ["MO", "WE", "FR"],
      "from": "2025-01-01", "to": "2025-12-31"}),
    (["Trên sóng phát thanh: Tăng cường thời lượng phát sóng các chương trình phát thanh.",
      "+ Thời gian thực hiện: Từ ngày 01/10/2024 đến 10/10/2024."],
     {"period": "campaign", "from": "2024-10-01", "to": "2024-10-10", "asked_more": ["airings"]}),
    (["- Hệ thống truyền thanh cơ sở đều có chuyên mục riêng về chuyển đổi số đảm bảo tần suất phát sóng."],
     {**YEAR, "asked_more": ["airings", "period"]}),
]


@pytest.mark.parametrize(("lines", "expected"), ROWS, ids=[str(n) for n in range(len(ROWS))])
def test_a_task_gives_its_requirement(lines: list[str], expected: dict) -> None:
    expected = dict(expected)
    asked = sorted(["levels", *expected.pop("asked_more", [])])
    assert requirement(*lines) == expected | {"asked": asked}


def test_who_airs_is_asked_with_the_levels_found_first() -> None:
    sentences = [Sentence("đoạn 1", HEAD[0]), Sentence("đoạn 2", HEAD[1]),
                 Sentence("đoạn 3", "Phát trên loa truyền thanh của thôn 1 tin/tuần vào Thứ 2.")]
    record = next(r for r in draft_plan(sentences, AREAS).records if r.section == "requirements")
    question = next(q for q in record.questions if q.field == "levels")
    assert question.choices[0] == "village" and set(question.choices) == {"village", "commune", "district", "province"}
    assert question.values == {"who": "loa truyền thanh của thôn"}


def test_the_header_gives_the_plan_and_its_area() -> None:
    sentences = [Sentence(f"đoạn {n}", text) for n, text in enumerate([
        "ỦY BAN NHÂN DÂN HUYỆN TÂN SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 182/KH-UBND Tân Sơn, ngày 27 tháng 9 năm 2024", *HEAD,
        "1 tin/tuần trên đài truyền thanh xã.",
        "- Báo cáo kết quả thực hiện trước ngày 15/11/2024."], start=1)]
    plan = draft_plan(sentences, AREAS).record("plan")
    assert dict(plan.fields) == {
        "code": "tan-son-2024", "title": "Kế hoạch truyền thông về chuyển đổi số trên địa bàn huyện Tân Sơn năm 2024",
        "document": "182/KH-UBND", "x-issued": "2024-09-27", "x-issued-by": "Ủy ban nhân dân huyện Tân Sơn",
        "issued_by": "PT-TS", "report_due": "2024-11-15"}
    assert plan.questions == ()


def test_the_committee_that_issues_the_plan_in_its_first_paragraph_gives_the_area() -> None:
    """Seed 000 names its issuer only in the opening paragraph, after the province it cites."""
    sentences = [Sentence(f"đoạn {n}", text) for n, text in enumerate([
        *HEAD[:1], "Truyền thông về chuyển đổi số đến năm 2025",
        "Thực hiện Văn bản số 3412/UBND-KGVX ngày 31/8/2022 của UBND tỉnh Phú Thọ về việc truyền thông trên địa "
        "bàn tỉnh Phú Thọ đến năm 2025; Ủy ban nhân dân huyện Tân Sơn ban hành Kế hoạch truyền thông về chuyển "
        "đổi số đến năm 2025 trên địa bàn huyện Tân Sơn, như sau:",
        "1 tin/tuần trên đài truyền thanh xã."], start=1)]
    plan = draft_plan(sentences, AREAS).record("plan")
    assert (plan.fields["issued_by"], plan.fields["x-issued-by"], plan.fields["code"]) == (
        "PT-TS", "Ủy ban nhân dân huyện Tân Sơn", "tan-son-2025")
    assert plan.questions == () and plan.source.where == "đoạn 3"


def test_an_area_not_in_the_tree_is_asked() -> None:
    plan = draft_plan([Sentence("đoạn 1", HEAD[0]), Sentence("đoạn 2", HEAD[1]),
                       Sentence("đoạn 3", "1 tin/tuần trên đài truyền thanh xã.")], ()).record("plan")
    assert [(q.field, q.code, dict(q.values)) for q in plan.questions] == [
        ("issued_by", "unknown_area", {"name": "huyện Tân Sơn"})]


def test_slogans_in_capitals_become_episodes_with_scripts() -> None:
    sentences = [Sentence(f"đoạn {n}", text) for n, text in enumerate([
        *HEAD, "+ Thời gian thực hiện: Từ ngày 01/10 đến 10/10/2024.", "- Nội dung khẩu hiệu:",
        "+ CHÀO MỪNG NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA 10/10.", "+ CHUYỂN ĐỔI SỐ VÌ NGƯỜI DÂN.",
        "Phát thanh 1 tin/tuần trên đài truyền thanh xã."], start=1)]
    draft = draft_plan(sentences, AREAS)
    episodes = [dict(r.fields) for r in draft.records if r.section == "episodes"]
    assert [(e["title"], e["script"]) for e in episodes] == [
        ("CHÀO MỪNG NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA 10/10", {"text": "Chào mừng ngày chuyển đổi số quốc gia 10/10."}),
        ("CHUYỂN ĐỔI SỐ VÌ NGƯỜI DÂN", {"text": "Chuyển đổi số vì người dân."})]
    spots = draft.record("tan-son-2024-khau-hieu-phat")
    assert {k: spots.fields[k] for k in ("period", "from", "to")} == {
        "period": "campaign", "from": "2024-10-01", "to": "2024-10-10"}


@pytest.mark.parametrize("lines", [
    ["Hôm nay trời đẹp, bà con ra đồng gặt lúa sớm.", "Giá lúa năm nay cao hơn năm ngoái."],
    ["KẾ HOẠCH", "Tổ chức hội nghị tổng kết năm 2024", "Hội nghị họp vào ngày 20/12/2024."],
])
def test_a_text_that_is_no_plan_is_refused(lines: list[str]) -> None:
    with pytest.raises(DraftError) as refused:
        draft_plan([Sentence(f"đoạn {n}", text) for n, text in enumerate(lines, start=1)])
    assert refused.value.code == "not_a_plan" and refused.value.message_id


def test_a_series_the_document_does_not_name_is_asked_not_made_up(tmp_path) -> None:
    """A task naming no column and a title with no "về …": the series' name is a question for the
    reviewer, not "Chuyên mục Kế hoạch"; left open, the plan file's checks refuse it."""
    from schedules.drafting import plan_text
    from schedules.planfile import PlanFileError, parse_plan

    sentences = [Sentence(f"đoạn {n}", text) for n, text in enumerate([
        "KẾ HOẠCH", "Truyền thông trên địa bàn huyện Tân Sơn năm 2024",
        "Đài truyền thanh xã phát 1 tin/tuần vào Thứ 2."], start=1)]
    draft = draft_plan(sentences, AREAS)
    series = [record for record in draft.records if record.section == "series"]
    assert len(series) == 1 and "title" not in series[0].fields
    assert [(q.field, q.code) for q in series[0].questions] == [("title", "no_series_title")]
    requirement = next(record for record in draft.records if record.section == "requirements")
    assert requirement.fields["series"] == series[0].key
    text = plan_text(draft)
    assert "# CÂU HỎI title: Văn bản không nêu tên chuyên mục" in text and "Chuyên mục Kế hoạch" not in text
    with pytest.raises(PlanFileError) as refused:
        parse_plan(text, "draft.yaml", tmp_path)
    assert "series[0].title" in {problem.field for problem in refused.value.problems}
    answered = plan_text(draft, {(series[0].key, "title"): "Chuyên mục Văn hóa"})
    assert "title: Chuyên mục Văn hóa" in answered and "# CÂU HỎI title" not in answered
