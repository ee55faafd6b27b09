"""Compliance on the other seed plans (a month with replays, a campaign, a duration rule),
unscheduled airings, the report files, the API, and frozen reports that later logs never alter."""
from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from radio.models import Area, Episode, FrozenReport, MediaFile
from tests.factories import MADE, create_user
from tests.radio.compliance_kit import TZ, at, seed
from tests.radio.web_kit import post_login

NOVEMBER, DECEMBER = date(2026, 11, 1), date(2026, 12, 1)


@pytest.fixture
def clock(app, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", None)


def user(db, name: str, role: str, area: str):
    create_user(db, name, role, db.scalar(select(Area).where(Area.code == area)))
    db.commit()


def test_a_month_with_replays(app, client, runner, db, clock):
    """Seed 003, district radio: one new program a month and three replays (4 airings, 5 days apart)."""
    seeded = seed(app, client, runner, db, "003-binh-son.yaml", date(2026, 12, 31))
    seeded.set_now(at(date(2027, 1, 2)))
    november = seeded.entries("binhson-huyen", "bs-cds", NOVEMBER, date(2026, 11, 30))
    december = seeded.entries("binhson-huyen", "bs-cds", DECEMBER, date(2026, 12, 31))
    assert len(november) == 4 and len({e.episode_id for e in november}) == 1
    user(db, "dai-bs", "operator", "QNG-BS")  # the district station has no devices: its operator confirms
    seeded.confirm("binhson-huyen", november + december[1:], "dai-bs")  # December's first airing missed
    rows = {r["period_start"]: r for r in seeded.report("QNG-BS", NOVEMBER, date(2026, 12, 31))
            if r["station"] == "binhson-huyen"}
    assert (rows["2026-11-01"]["status"], rows["2026-11-01"]["aired"], rows["2026-11-01"]["new_aired"]) == ("met", 4, 1)
    december_row = rows["2026-12-01"]
    assert december_row["status"] == "short" and december_row["aired"] == 3
    assert december_row["new_aired"] == 1  # the first airing that happened is new, whichever date it was
    assert december_row["missing_dates"] == [december[0].local_date.isoformat()]


def test_the_campaign(app, client, runner, db, clock):
    """Seed 001: two airings a day 23/11–02/12 and ten slogans over the campaign, at every commune."""
    seeded = seed(app, client, runner, db, "001-son-duong.yaml", date(2026, 12, 2), default_s=60)
    seeded.set_now(at(date(2026, 12, 3)))
    entries = seeded.entries("phuluong", None, date(2026, 11, 23), date(2026, 12, 2))
    device = next(code for code in seeded.db.scalars(text("SELECT d.code FROM devices d JOIN stations s "
                                                          "ON s.id = d.station_id WHERE s.code = 'phuluong'")))
    seeded.post_logs(device, entries)
    rows = [r for r in seeded.report("TQ-SD", date(2026, 11, 23), date(2026, 12, 2)) if r["station"] == "phuluong"]
    campaign = [r for r in rows if r["requirement"].endswith("khau-hieu-dot-cao-diem")]
    daily = [r for r in rows if r["requirement"].endswith("sd-ngay-cds-dot-cao-diem")]
    assert len(campaign) == 1
    assert (campaign[0]["period_start"], campaign[0]["period_end"]) == ("2026-11-23", "2026-12-02")
    assert campaign[0]["status"] == "met" and campaign[0]["aired"] >= 10
    sunday = [r for r in daily if r["period_start"] == "2026-11-29"]
    assert sunday and sunday[0]["required_min"] == 0  # phuluong is off air on Sundays
    assert {r["status"] for r in daily} == {"met"} and len(daily) == 10


def test_a_too_long_episode_is_a_duration_violation(app, client, runner, db, clock):
    """Seed 004, commune radio: 1–2 programs a week of 2–3 minutes. An item re-voiced after
    scheduling runs 200 s: its airing is reported, and does not count."""
    seeded = seed(app, client, runner, db, "004-vinh-bao.yaml", date(2026, 11, 22))
    seeded.set_now(at(date(2026, 11, 23)))
    week = seeded.entries("coam", "vb-cds-xa", date(2026, 11, 16), date(2026, 11, 22))
    assert week
    long = db.get(Episode, week[0].episode_id)
    long.media = MediaFile(sha256="f" * 64, suffix="mp3", bytes=1, duration_s=200.0, codec="mp3",
                           sample_rate=44100, channels=1, created_at=MADE)
    db.commit()
    seeded.post_logs("loa-ca-01", week)
    row = [r for r in seeded.report("HP-VB-CA", date(2026, 11, 16), date(2026, 11, 22))
           if r["requirement"].endswith("vb-cds-xa-tuan")][0]
    too_long = sum(1 for e in week if e.episode_id == long.id)
    assert row["duration_violations"] == too_long and row["aired"] == len(week) - too_long
    assert any("outside the duration 120–180 s" in r for r in row["reasons"])


@pytest.fixture
def thanh_ky(app, client, runner, db, clock):
    seeded = seed(app, client, runner, db, "002-thanh-ky.yaml", date(2026, 11, 29))
    seeded.set_now(at(date(2026, 11, 30)))
    user(db, "dai-tk", "operator", "TH-NT-TK")
    user(db, "vanhoa", "oversight", "TH-NT")
    return seeded


def test_unscheduled_airings_count_and_are_listed(thanh_ky):
    week = date(2026, 11, 16)
    tuesday = thanh_ky.entries("thanhky", "tk-cds", week, week + timedelta(days=1))
    thanh_ky.post_logs("loa-tk-01", tuesday)  # Thursday's airing was not on the schedule as it ran:
    thursday = datetime(2026, 11, 19, 17, 5, tzinfo=TZ)
    result = thanh_ky.cli("playlog", "add", "--station", "thanhky", "--episode", "tk-cds/tk-cds-2026-w46",
                          "--at", "2026-11-19 17:05", "--as", "dai-tk")
    assert result.exit_code == 0, result.output
    body = thanh_ky.post_unscheduled("loa-tk-02", "thanh-ky-cds/tk-cds/tk-cds-2026-w46", thursday)
    assert len(body["stored"]) == 1  # the same airing reported by a device too: still one
    thanh_ky.post_unscheduled("loa-tk-03", "thanh-ky-cds/tk-cds/tk-cds-2026-w46",
                              datetime(2026, 11, 22, 9, 0, tzinfo=TZ))  # a Sunday, off air: no count
    rows = {r["period_start"]: r for r in thanh_ky.report("TH-NT-TK", week, week)}
    row = rows["2026-11-16"]
    assert (row["aired"], row["unscheduled"], row["status"]) == (3 - 1, 1, "met")  # Thu's entry: not aired
    table = thanh_ky.cli("compliance", "--area", "TH-NT-TK", "--from", week, "--to", week)
    assert table.exit_code == 0 and table.output.count("unscheduled:") == 2, table.output
    assert table.output.count("unscheduled: thanhky thanh-ky-cds/tk-cds/tk-cds-2026-w46 ") == 2, table.output


def test_report_files_csv_xlsx_pdf(thanh_ky, tmp_path):
    thanh_ky.post_logs("loa-tk-01", thanh_ky.entries("thanhky", "tk-cds", date(2026, 11, 2), date(2026, 11, 15)))
    args = ("compliance", "--area", "TH-NT", "--from", "2026-11-02", "--to", "2026-11-22")
    csv_text = thanh_ky.cli(*args, "--format", "csv").output
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("requirement,station,period_start") and len(lines) == 4
    assert "short" in lines[3] and "2026-11-17 2026-11-19" in lines[3]
    for fmt in ("xlsx", "pdf"):
        result = thanh_ky.cli(*args, "--format", fmt, "--out", tmp_path / f"r.{fmt}")
        assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Tổng hợp theo đài", "Chi tiết theo yêu cầu", "Các kỳ không đạt", "Phát ngoài lịch"]
    summary = [[c.value for c in row] for row in book["Tổng hợp theo đài"].iter_rows()]
    assert summary[0][0].startswith("BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH")
    assert summary[-1][:3] == ["Đài truyền thanh xã Thanh Kỳ", 2, 1]
    shortfalls = [[c.value for c in row] for row in book["Các kỳ không đạt"].iter_rows()]
    assert shortfalls[1][-1] == "17/11/2026, 19/11/2026"
    pdf = "".join(page.extract_text() for page in PdfReader(tmp_path / "r.pdf").pages)
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH" in pdf and "17/11/2026, 19/11/2026" in pdf and "Không đạt" in pdf


def own_context_client(app) -> FlaskClient:
    """Each request in an app context of its own (as in production), so the signed-in user is
    the session cookie's and not one cached in the test's context."""

    class Client(FlaskClient):
        def open(self, *args, **kwargs):
            with app.app_context():
                return super().open(*args, **kwargs)

    return Client(app, app.response_class, use_cookies=True)


def test_the_api_serves_oversight_users_of_the_area(thanh_ky, app):
    thanh_ky.post_logs("loa-tk-01", thanh_ky.entries("thanhky", "tk-cds", date(2026, 11, 2), date(2026, 11, 8)))
    query = "?area=TH-NT-TK&from=2026-11-02&to=2026-11-08"
    assert own_context_client(app).get("/api/v1/compliance" + query).status_code == 401
    operator, office = own_context_client(app), own_context_client(app)
    post_login(operator, "dai-tk", "mat-khau-123")
    assert operator.get("/api/v1/compliance" + query).status_code == 403
    post_login(office, "vanhoa", "mat-khau-123")
    response = office.get("/api/v1/compliance" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert [(r["period_start"], r["status"], r["aired"]) for r in body["rows"]] == [("2026-11-02", "met", 2)]
    assert office.get("/api/v1/compliance?area=TH-NT-TK&from=2026-11-08&to=2026-11-02").status_code == 400
    assert office.get("/api/v1/compliance?area=NOPE&from=2026-11-02&to=2026-11-08").status_code == 404
    xlsx = office.get("/api/v1/compliance.xlsx" + query)
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(xlsx.data)).sheetnames[0] == "Tổng hợp theo đài"
    assert office.get("/api/v1/compliance.pdf" + query).data.startswith(b"%PDF")
    csv_file = office.get("/api/v1/compliance.csv" + query)
    assert csv_file.data.decode("utf-8-sig").startswith("requirement,")
    assert csv_file.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_frozen_report_is_not_changed_by_later_logs(thanh_ky, db, tmp_path):
    week = date(2026, 11, 16)
    entries = thanh_ky.entries("thanhky", "tk-cds", date(2026, 11, 2), date(2026, 11, 29))
    late = [e for e in entries if week <= e.local_date]
    thanh_ky.post_logs("loa-tk-01", [e for e in entries if e not in late])
    refused = thanh_ky.cli("compliance", "freeze", "--plan", "thanh-ky-cds", "--area", "TH-NT-TK", "--as", "dai-tk")
    assert refused.exit_code == 1 and "oversight rights" in refused.output
    result = thanh_ky.cli("compliance", "freeze", "--plan", "thanh-ky-cds", "--area", "TH-NT-TK", "--as", "vanhoa")
    assert result.exit_code == 0, result.output
    frozen = db.scalar(select(FrozenReport))
    before = json.dumps(frozen.document, sort_keys=True)
    assert len(frozen.document["shortfalls"]) == 2  # weeks 47 and 48 had no logs yet
    thanh_ky.post_logs("loa-tk-01", late)  # the logs arrive after the report was handed in
    live = {r["period_start"]: r["status"] for r in thanh_ky.report("TH-NT-TK", week, week + timedelta(days=7))}
    assert live == {"2026-11-16": "met", "2026-11-23": "met"}
    db.expire_all()
    assert json.dumps(db.scalar(select(FrozenReport)).document, sort_keys=True) == before
    with pytest.raises(DatabaseError, match="cannot be changed"):
        with db.begin_nested():
            db.execute(text("UPDATE frozen_reports SET period_to = period_from"))
    out = tmp_path / "nop.xlsx"
    written = thanh_ky.cli("compliance", "frozen", "--area", "TH-NT-TK", "--id", frozen.uuid, "--out", out)
    assert written.exit_code == 0, written.output
    shortfalls = [[c.value for c in row] for row in load_workbook(out)["Các kỳ không đạt"].iter_rows()]
    assert len(shortfalls) == 3  # still the two weeks that were short when it was handed in
    deadlines = thanh_ky.cli("compliance", "deadlines", "--area", "TH-NT-TK")
    assert deadlines.exit_code == 0 and "05/02/2027  thanh-ky-cds" in deadlines.output
    assert "frozen 30/11/2026" in deadlines.output
