"""Downloads that cannot be made answer 404 (400 for an MP3 of a whole day) with a page that says
why in the reader's language; never 500. Every format is asked for every kind of day and window."""
from __future__ import annotations

import subprocess
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from radio.media.library import add_episode_audio
from radio.models import BroadcastWindow, ClosedDate
from radio.schedule.operations import build_schedule
from tests.factories import (
    MADE, create_area, create_plan, create_requirement, create_series, create_station, create_user,
)
from tests.radio.web_kit import log_in, web  # noqa: F401  (fixture)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)  # the Sunday before the week built
DAY = "2026-11-24"  # Tuesday: the morning has an episode, the afternoon a reservation nobody filled
CLOSED = "2026-11-26"  # a Thursday the station does not broadcast
SUNDAY = "2026-11-29"  # no window is open on Sundays
UNBUILT = "2026-12-01"  # a Tuesday after the week built: windows open, nothing scheduled
FORMATS = ("m3u8", "xspf", "pls", "json", "ics", "mp3", "zip", "pdf")
PLAYERS = ("m3u8", "xspf", "pls", "mp3", "zip")  # what needs something a player can play


def every(status: int, **but: int) -> dict[str, int]:
    return {fmt: but.get(fmt, status) for fmt in FORMATS}


# (what is asked, URL without its extension, query, expected status per format)
CASES = [
    ("unknown station", "/stations/khong-co/days/" + DAY, "", every(404)),
    ("a code no database holds", "/stations/a%00b/days/" + DAY, "", every(400)),  # a NUL: refused at the door
    ("bad date", "/stations/thanhky/days/2026-02-30", "", every(404)),
    ("not a date", "/stations/thanhky/days/hom-nay", "", every(404)),
    ("closed day", "/stations/thanhky/days/" + CLOSED, "", every(404)),
    ("closed day, one window", "/stations/thanhky/days/" + CLOSED, "?window=sang", every(404)),
    ("no window open that day", "/stations/thanhky/days/" + SUNDAY, "", every(404)),
    ("window off air that day", "/stations/thanhky/days/" + SUNDAY, "?window=sang", every(404)),
    ("empty day", "/stations/thanhky/days/" + UNBUILT, "", every(404, mp3=400)),
    ("empty day, one window", "/stations/thanhky/days/" + UNBUILT, "?window=sang", every(404)),
    ("year one", "/stations/thanhky/days/0001-01-01", "", every(400)),  # outside the years a date may be
    ("window with nothing to play", "/stations/thanhky/days/" + DAY, "?window=chieu",
     every(200, **{fmt: 404 for fmt in PLAYERS})),
    ("unknown window", "/stations/thanhky/days/" + DAY, "?window=toi", every(404)),
    ("a window no name could be", "/stations/thanhky/days/" + DAY, '?window=a"b%00', every(400)),  # a NUL
    ("window with content", "/stations/thanhky/days/" + DAY, "?window=sang", every(200)),
    ("day with content", "/stations/thanhky/days/" + DAY, "", every(200, mp3=400)),
]


@pytest.fixture
def world(app, db, tmp_path, monkeypatch):
    """Thanh Kỳ: a morning with one real episode, an afternoon whose series has none yet, closed
    one Thursday; built for the week of DAY."""
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    commune = create_area(db, "TK", "commune")
    station = create_station(db, commune, "thanhky")
    station.windows.append(BroadcastWindow(name="chieu", days=("MO", "TU", "WE", "TH", "FR", "SA"),
                                           start_time=time(17), end_time=time(17, 30)))
    station.closed_dates.append(ClosedDate(day=date.fromisoformat(CLOSED)))
    plan = create_plan(db, commune, "tk")
    news, empty = create_series(db, plan, "cds"), create_series(db, plan, "khac")
    week = {"date_from": date(2026, 11, 24), "date_to": date(2026, 11, 30), "min_airings": 1, "max_airings": 1}
    create_requirement(db, plan, news, [station], windows=("sang",), **week)
    create_requirement(db, plan, empty, [station], windows=("chieu",), days=("TU",), **week)
    operator = create_user(db, "op", "operator", commune)
    tone = tmp_path / "tone.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-y", str(tone)],
                   check=True)
    add_episode_audio(db, operator, news, tone, title="Bản tin số 1", code="w1", available_from=date(2026, 11, 24),
                      now=MADE)
    build_schedule(db, None, date(2026, 11, 24), date(2026, 11, 30), now=NOW, tz=TZ)
    db.commit()
    return station


def test_every_format_answers_the_right_status_to_every_case(web, world):
    """One world for all the cases (building it is the slow part); the assertion shows them all."""
    log_in(web, "op")
    answered = {label: {fmt: web.get(f"{url}.{fmt}{query}").status_code for fmt in FORMATS}
                for label, url, query, _ in CASES}
    assert answered == {label: expected for label, _, _, expected in CASES}


def refusal(web, path: str) -> str:
    response = web.get(path)
    assert response.status_code == 404 and response.mimetype == "text/html"
    return response.get_data(as_text=True)


REASONS = [
    (f"/stations/thanhky/days/{CLOSED}.m3u8", "Đài Khu TK nghỉ ngày 26/11/2026: không có gì để tải về."),
    (f"/stations/thanhky/days/{SUNDAY}.pdf", "Đài Khu TK không phát sóng ngày 29/11/2026: không có gì để tải về."),
    (f"/stations/thanhky/days/{DAY}.mp3?window=toi", "Đài Khu TK không có buổi phát “Buổi tối”."),
    (f"/stations/thanhky/days/{DAY}.mp3?window=chieu",
     "Buổi chiều ngày 24/11/2026 chưa có gì để phát: các mục chưa có nội dung."),
    (f"/stations/thanhky/days/{UNBUILT}.json?window=sang",
     "Buổi sáng ngày 01/12/2026 chưa có mục nào trong lịch phát."),
    (f"/stations/thanhky/days/{UNBUILT}.zip", "Ngày 01/12/2026 chưa có mục nào trong lịch phát."),
    (f"/stations/thanhky/days/{SUNDAY}.zip?window=sang", "Buổi sáng không phát sóng ngày 29/11/2026."),
    ("/stations/khong-co/days/2026-11-24.pdf", "Không có đài này."),
    ("/stations/thanhky/days/2026-02-30.pdf", "Đường dẫn không ghi một ngày có thật."),
    ("/stations/thanhky/days/2026-11-24.docx", "Không có kiểu tệp “.docx” để tải về."),
]


def test_a_refusal_is_a_page_of_the_site_saying_why(web, world):
    log_in(web, "op")
    pages = {path: refusal(web, path) for path, _ in REASONS}
    assert {path: page.split('<p role="alert">')[1].split("</p>")[0] for path, page in pages.items()} == dict(REASONS)
    assert all('class="topbar"' in page and "<h1 id=\"error-title\">Không tải được</h1>" in page for page in pages.values())


def test_an_mp3_of_a_whole_day_asks_for_a_window(web, world):
    log_in(web, "op")
    response = web.get(f"/stations/thanhky/days/{DAY}.mp3")
    assert response.status_code == 400
    assert "Tệp MP3 được làm cho từng buổi phát" in response.get_data(as_text=True)


def test_reasons_are_in_english_when_chosen(web, world):
    log_in(web, "op")
    web.set_cookie("lang", "en")
    page = refusal(web, f"/stations/thanhky/days/{DAY}.m3u8?window=chieu")
    assert "Afternoon on 24/11/2026 has nothing to play yet: its items have no content." in page
    assert "<h1 id=\"error-title\">Cannot download</h1>" in page and "Buổi" not in page


def test_the_command_line_says_it_in_english_and_writes_nothing(runner, world, tmp_path):
    out = tmp_path / "chieu.mp3"
    result = runner.invoke(args=["export", "day", "--station", "thanhky", "--date", DAY, "--format", "mp3",
                                 "--window", "chieu", "--out", str(out)])
    assert result.exit_code == 1
    assert "thanhky: nothing to play on 24/11/2026 in window 'chieu'" in result.output
    assert list(tmp_path.glob("chieu.mp3*")) == []


def test_a_feed_token_of_another_station_is_refused_in_the_readers_language(app, web, world, db):
    from radio.exports.feeds import issue_feed_token

    elsewhere = create_area(db, "XA", "commune")
    other = create_station(db, elsewhere, "xuanan")
    token = issue_feed_token(db, create_user(db, "op-xa", "operator", elsewhere), station=other, now=NOW)
    db.commit()
    response = web.get(f"/stations/thanhky/days/{DAY}.json?token={token}")
    assert response.status_code == 403 and "Không có quyền" in response.get_data(as_text=True)
