"""`radio plan draft`: a seed plan drafted against the stored areas, its questions answered,
imported with the ordinary import, and its schedules built."""
from __future__ import annotations

import logging
import pathlib
from datetime import datetime, timezone

from sqlalchemy import select

from radio.models import Requirement, ScheduleEntry
from schedules.drafting import draft_plan, plan_text, read_document
from tests.schedules.drafting.test_documents import make_pdf

ROOT = pathlib.Path(__file__).resolve().parents[3]
SEED = ROOT / "tests" / "schedules" / "drafting" / "seeds" / "002-thanh-ky.txt"


def test_draft_answer_import_and_build(app, runner, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2023, 3, 1, 8, 0, tzinfo=timezone.utc))  # the plan's year
    assert runner.invoke(args=["import", str(ROOT / "examples" / "002-thanh-ky.yaml")]).exit_code == 0
    out = tmp_path / "draft.yaml"
    result = runner.invoke(args=["plan", "draft", str(SEED), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 requirements; 1 open question(s)" in result.output and "which_stations" in result.output
    assert runner.invoke(args=["import", str(out)]).exit_code == 1  # the open question is refused

    draft = draft_plan(read_document(SEED.read_bytes(), SEED.name), [("TH-NT-TK", "xã Thanh Kỳ", "commune")])
    key = next(record.key for record in draft.records if record.section == "requirements")
    out.write_text(plan_text(draft, {(key, "levels"): "commune"}), encoding="utf-8")
    imported = runner.invoke(args=["import", str(out)])
    assert imported.exit_code == 0, imported.output
    requirement = db.scalar(select(Requirement).where(Requirement.code == key))
    assert (requirement.min_airings, requirement.max_airings, requirement.days) == (2, 2, ("TU", "TH"))

    built = runner.invoke(args=["schedule", "build", "--from", "2023-03-06", "--to", "2023-03-12"])
    assert built.exit_code == 0, built.output
    days = db.scalars(select(ScheduleEntry.local_date).where(ScheduleEntry.requirement_id == requirement.id)).all()
    assert sorted(day.isoformat() for day in days) == ["2023-03-07", "2023-03-09"]


def test_the_area_option_names_the_issuing_area(runner, db, tmp_path):
    assert runner.invoke(args=["import", str(ROOT / "examples" / "003-binh-son.yaml")]).exit_code == 0
    text = "KẾ HOẠCH\nTruyền thông về chuyển đổi số năm 2024\n- Tần suất: 01 chương trình/tuần trên đài truyền thanh xã.\n"
    document = tmp_path / "kh.txt"
    document.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["plan", "draft", str(document), "--area", "QNG-BS"])
    assert result.exit_code == 0, result.output
    assert "issued_by: QNG-BS" in result.output and "areas: [QNG-BS]" in result.output


def test_a_document_that_is_no_plan_is_refused(runner, db, tmp_path):
    document = tmp_path / "tin.txt"
    document.write_text("Sáng nay bà con ra đồng gặt lúa.\n", encoding="utf-8")
    result = runner.invoke(args=["plan", "draft", str(document)])
    assert result.exit_code == 1 and "no plan heading" in result.output


def test_a_truncated_pdf_is_refused_in_our_words_alone(runner, db, tmp_path, caplog):
    """pypdf's notes on the damage it met (English, on stderr when nothing takes its log) are not shown."""
    document = tmp_path / "kế hoạch.pdf"
    whole = make_pdf("KẾ HOẠCH\nTruyền thông về chuyển đổi số năm 2024\n")
    document.write_bytes(whole[:len(whole) // 2])
    with caplog.at_level(logging.DEBUG):
        result = runner.invoke(args=["plan", "draft", str(document)])
    assert result.exit_code == 1 and "kế hoạch.pdf: not a readable PDF file" in result.output
    assert [record.getMessage() for record in caplog.records if record.name.startswith("pypdf")] == []
    assert "EOF marker" not in result.output and "startxref" not in result.output
