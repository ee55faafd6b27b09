"""Export shell: every format of a built day, played and parsed by real tools; HTTP downloads."""
from __future__ import annotations

import json
import re
import subprocess
import zipfile
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select

from radio.media.library import add_episode_audio
from radio.models import ScheduleEntry
from radio.schedule.operations import build_schedule
from tests.factories import MADE, create_area, create_plan, create_requirement, create_series, create_station, create_user

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2026, 11, 24)  # a Tuesday
NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)  # the Sunday before, when the schedule is built
MPV = ["mpv", "--no-config", "--ao=null", "--ao-null-untimed", "--vo=null", "--untimed"]


@pytest.fixture(autouse=True)
def clock(app, monkeypatch):
    """Requests and commands read NOW (feeds show the weeks around it)."""
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)


@pytest.fixture
def built(db, tmp_path):
    commune = create_area(db, "TK", "commune")
    station = create_station(db, commune, "thanhky")
    series = create_series(db, create_plan(db, commune, "tk"), "cds")
    create_requirement(db, series.plan, series, [station], code="tk-weekly", date_from=DAY, date_to=date(2026, 11, 30))
    operator = create_user(db, "op", "operator", commune)
    for n, freq in enumerate((440, 660)):
        tone = tmp_path / f"tone{n}.wav"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency={freq}:duration=4",
                        "-y", str(tone)], check=True)
        add_episode_audio(db, operator, series, tone, title=f"Bản tin số {n + 1}", code=f"w{n}",
                          available_from=DAY, now=MADE)
    build_schedule(db, None, DAY, date(2026, 11, 30), now=NOW, tz=TZ)
    db.commit()
    entries = db.scalars(select(ScheduleEntry).where(ScheduleEntry.local_date == DAY,
                                                     ScheduleEntry.status == "planned")).all()
    assert entries, "the fixture must schedule something on the day"
    return {"station": station, "entries": entries, "operator": operator}


def export(runner, fmt, out, *extra):
    result = runner.invoke(args=["export", "day", "--station", "thanhky", "--date", str(DAY), "--format", fmt,
                                 "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def test_playlists_play_in_mpv(runner, built, tmp_path):
    for fmt in ("m3u8", "pls"):
        path = export(runner, fmt, tmp_path / f"day.{fmt}")
        done = subprocess.run([*MPV, f"--playlist={path}"], capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert "#EXTINF:" in (tmp_path / "day.m3u8").read_text(encoding="utf-8")


def test_a_playlist_with_a_missing_file_fails_in_mpv(runner, built, tmp_path):
    path = export(runner, "m3u8", tmp_path / "day.m3u8")
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"file://\S+\.mp3", "file:///nonexistent/missing.mp3", text, count=1), encoding="utf-8")
    assert subprocess.run([*MPV, f"--playlist={path}"], capture_output=True, timeout=120).returncode != 0


def test_window_mp3_lasts_as_the_running_order_says(runner, built, tmp_path):
    mp3 = export(runner, "mp3", tmp_path / "sang.mp3", "--window", "sang")
    order = json.loads(export(runner, "json", tmp_path / "day.json").read_text(encoding="utf-8"))
    items = [i for i in order["items"] if i["window"] == "sang"]
    expected = (datetime.fromisoformat(items[-1]["start"]) - datetime(2026, 11, 24, 5, 30, tzinfo=TZ)).total_seconds()
    expected += items[-1]["duration_s"]
    probed = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                   str(mp3)], capture_output=True, text=True, check=True).stdout)
    assert abs(probed - expected) <= 0.5


def test_the_day_pack_plays_from_a_usb_stick(runner, built, tmp_path):
    pack = export(runner, "zip", tmp_path / "day.zip")
    folder = tmp_path / "usb"
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(folder)
        names = archive.namelist()
    assert {"playlist.m3u8", "running-order.pdf", "running-order.html", "running-order.json"} <= set(names)
    assert not re.search(r"^/|file:", (folder / "playlist.m3u8").read_text(encoding="utf-8"), re.M)
    done = subprocess.run([*MPV, "--playlist=playlist.m3u8"], cwd=folder, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_log_book_pdf_has_the_vietnamese_text(runner, built, tmp_path):
    pdf = export(runner, "pdf", tmp_path / "day.pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Bản tin số" in text and "24/11/2026" in text


def test_the_day_calendar_has_one_event_per_entry(runner, built, tmp_path):
    ics = export(runner, "ics", tmp_path / "day.ics")
    calendar = Calendar.from_ical(ics.read_bytes())
    events = recurring_ical_events.of(calendar).between(datetime(2026, 11, 24, tzinfo=TZ), datetime(2026, 11, 25, tzinfo=TZ))
    assert sorted(str(e["UID"]) for e in events) == sorted(str(e.uuid) for e in built["entries"])


def test_json_matches_the_schedule_listing(runner, built, tmp_path):
    order = json.loads(export(runner, "json", tmp_path / "day.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in order["items"]] == [str(e.uuid) for e in sorted(built["entries"], key=lambda e: e.start_at)]


def test_an_unknown_window_is_refused_and_writes_nothing(runner, built, tmp_path):
    result = runner.invoke(args=["export", "day", "--station", "thanhky", "--date", str(DAY), "--format", "mp3",
                                 "--window", "toi", "--out", str(tmp_path / "x.mp3")])
    assert result.exit_code == 1 and "no window 'toi'" in result.output
    assert list(tmp_path.glob("x.mp3*")) == []


def _login(client, username):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"username": username, "password": "mat-khau-123",
                                       "csrf_token": token}).status_code == 302


def test_download_over_http_with_etag_and_a_vietnamese_file_name(app, built, db):
    client = app.test_client()
    _login(client, "op")
    response = client.get(f"/stations/thanhky/days/{DAY}.m3u8")
    assert response.status_code == 200 and response.mimetype == "audio/mpegurl"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert "/api/v1/media/" in response.get_data(as_text=True)
    again = client.get(f"/stations/thanhky/days/{DAY}.m3u8", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("ext, content_type", [
    ("ics", "text/calendar; charset=utf-8"), ("m3u8", "audio/mpegurl; charset=utf-8"),
    ("xspf", "application/xspf+xml; charset=utf-8"), ("pls", "audio/x-scpls; charset=utf-8"),
    ("json", "application/json; charset=utf-8")])
def test_downloads_name_their_charset_once(app, built, db, ext, content_type):
    client = app.test_client()
    _login(client, "op")
    response = client.get(f"/stations/thanhky/days/{DAY}.{ext}")
    assert response.status_code == 200 and response.headers["Content-Type"] == content_type


def test_download_refused_outside_the_users_area(app, built, db):
    create_user(db, "other", "operator", create_area(db, "XX", "commune"))
    db.commit()
    client = app.test_client()
    assert client.get(f"/stations/thanhky/days/{DAY}.json").status_code == 302  # not logged in yet
    _login(client, "other")
    assert client.get(f"/stations/thanhky/days/{DAY}.json").status_code == 403


def test_a_station_feed_works_with_its_token_until_revoked(app, runner, built, db):
    issued = runner.invoke(args=["feed", "issue", "--station", "thanhky", "--as", "op"])
    assert issued.exit_code == 0, issued.output
    url = issued.output.strip()
    client = app.test_client()
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    uids = {str(e["UID"]) for e in Calendar.from_ical(response.data).walk("VEVENT")}
    assert {str(e.uuid) for e in built["entries"]} <= uids
    assert client.get(url.replace("thanhky", "other")).status_code == 403
    assert client.get(url[:-3] + "xyz").status_code == 403
    feed_id = runner.invoke(args=["feed", "list"]).output.split()[0]
    assert runner.invoke(args=["feed", "revoke", feed_id, "--as", "op"]).exit_code == 0
    assert client.get(url).status_code == 403


def test_feed_tokens_are_stored_hashed_and_need_rights(runner, built, db):
    from radio.models import FeedToken

    create_user(db, "other", "operator", create_area(db, "XX", "commune"))
    db.commit()
    refused = runner.invoke(args=["feed", "issue", "--station", "thanhky", "--as", "other"])
    assert refused.exit_code == 1
    token = runner.invoke(args=["feed", "issue", "--station", "thanhky", "--as", "op"]).output.strip().split("token=")[1]
    stored = db.scalar(select(FeedToken.token_hash))
    assert token not in stored and len(stored) == 64


def test_the_requirement_calendar_recurs_on_the_allowed_days(runner, built, tmp_path):
    out = tmp_path / "req.ics"
    result = runner.invoke(args=["export", "calendar", "--station", "thanhky", "--requirements", "--out", str(out)])
    assert result.exit_code == 0, result.output
    calendar = Calendar.from_ical(out.read_bytes())
    occurrences = recurring_ical_events.of(calendar).between(datetime(2026, 11, 23, tzinfo=TZ), datetime(2026, 12, 1, tzinfo=TZ))
    assert sorted(e["DTSTART"].dt.date() for e in occurrences) == [date(2026, 11, 24), date(2026, 11, 26)]
    assert "RRULE" in out.read_text()


def test_a_feed_token_also_opens_the_stations_day_files(app, runner, built):
    url = runner.invoke(args=["feed", "issue", "--station", "thanhky", "--as", "op"]).output.strip()
    token = url.split("token=")[1]
    client = app.test_client()
    assert client.get(f"/stations/thanhky/days/{DAY}.json?token={token}").status_code == 200
    assert client.get(f"/stations/thanhky/days/{DAY}.json?token=wrong").status_code == 302


def _add_entry(db, station, start, end, **values):
    db.add(ScheduleEntry(station=station, start_at=start, end_at=end, local_date=DAY, window_name="sang",
                         created_at=NOW, origin="manual", **values))


@pytest.fixture
def relayed(db, built):
    """The morning window 05:30–06:00 with a ten-minute relay at 05:40 and an item closing the window."""
    station, (first, *_) = built["station"], built["entries"]
    _add_entry(db, station, datetime(2026, 11, 24, 5, 40, tzinfo=TZ), datetime(2026, 11, 24, 5, 50, tzinfo=TZ),
               kind="relay", title="Tiếp sóng VOV1", source="http://vov.invalid/vov1.mp3")
    length = first.episode.media.duration_s
    close = datetime(2026, 11, 24, 6, 0, tzinfo=TZ)
    _add_entry(db, station, close - timedelta(seconds=length), close, kind="episode", episode=first.episode,
               series=first.series)
    db.commit()
    return built


def _probe(path) -> float:
    return float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                 str(path)], capture_output=True, text=True, check=True).stdout)


def test_a_window_with_a_relay_is_mp3_parts_that_fill_it_with_the_relay(runner, relayed, tmp_path):
    refused = runner.invoke(args=["export", "day", "--station", "thanhky", "--date", str(DAY), "--format", "mp3",
                                  "--window", "sang", "--out", str(tmp_path / "sang.mp3")])
    assert refused.exit_code == 1 and "2 MP3 parts around its relay or live blocks: add --part (1–2)" in refused.output
    parts = [export(runner, "mp3", tmp_path / f"sang-{n}.mp3", "--window", "sang", "--part", str(n)) for n in (1, 2)]
    lengths = [_probe(path) for path in parts]
    assert lengths[0] == pytest.approx(600, abs=0.06)  # 05:30 until the relay starts at 05:40
    assert sum(lengths) + 600 == pytest.approx(30 * 60, abs=0.1)  # with the relay: the whole window
    assert "no part 3 (1–2)" in runner.invoke(args=[
        "export", "day", "--station", "thanhky", "--date", str(DAY), "--format", "mp3", "--window", "sang",
        "--part", "3", "--out", str(tmp_path / "x.mp3")]).output
    playlist = export(runner, "m3u8", tmp_path / "day.m3u8").read_text(encoding="utf-8")
    assert ("# Tiếp sóng VOV1: 05:40–05:50 (10 phút), chuyển sang nguồn tiếp sóng http://vov.invalid/vov1.mp3"
            in playlist.splitlines())
    with zipfile.ZipFile(export(runner, "zip", tmp_path / "day.zip")) as archive:
        assert {"windows/sang-1.mp3", "windows/sang-2.mp3"} <= set(archive.namelist())
        book = archive.read("running-order.html").decode("utf-8")
    assert "05:30–05:40: phát tệp sang-1.mp3 (phần 1/2)" in book and "05:50–06:00: phát tệp sang-2.mp3" in book


def test_the_parts_are_downloaded_one_by_one_over_http(app, relayed, db):
    client = app.test_client()
    _login(client, "op")
    url = f"/stations/thanhky/days/{DAY}.mp3?window=sang"
    whole = client.get(url)
    assert whole.status_code == 400 and "có 2 tệp MP3 quanh phần tiếp sóng" in whole.get_data(as_text=True)
    second = client.get(url + "&part=2")
    assert second.status_code == 200 and second.mimetype == "audio/mpeg"
    assert client.get(url + "&part=3").status_code == 404
    assert client.get(url + "&part=x").status_code == 404
    page = client.get("/stations/thanhky/on/2026-11-24").get_data(as_text=True)
    assert "window=sang&amp;part=1" in page and "window=sang&amp;part=2" in page
    assert "Chuyển sang tiếp sóng:" in page and "nguồn http://vov.invalid/vov1.mp3" in page
