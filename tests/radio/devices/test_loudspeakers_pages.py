"""The loudspeakers pages over real HTTP: who may see which, what a receiver's row says, the map
only with a tile URL, and the availability export (CSV, XLSX)."""
from __future__ import annotations

import csv
import html
import io
import re

import openpyxl
import pytest
from sqlalchemy import select

from radio.devices.jobs import check_devices
from radio.models import Device
from tests.radio.api_kit import api, tones  # noqa: F401 (fixtures)

pytestmark = pytest.mark.db
HEARTBEAT = {"volume": 65, "free_disk_bytes": 3_500_000_000, "cached_items": 12, "firmware": "1.4.2",
             "now_playing": {"id": "x", "title": "Bản tin sáng", "position_s": 12}, "uptime_s": 200_000,
             "player_running": True, "network": {"type": "cellular", "signal_dbm": -85},
             "last_error": {"at": "2026-11-24T04:30:00+07:00", "message": "Không mở được tệp âm thanh"}}
NEWER = ("uptime_s", "player_running", "network", "last_error")


@pytest.fixture
def seen(api):
    """loa-01 reports (with what a newer receiver adds), loa-02 polled then fell silent; loa-xa never called."""
    api.get("/devices/loa-02/schedule", device="loa-02")
    api.clock.advance(minutes=10)
    with api.app.app_context():
        check_devices()
    api.post("/devices/loa-01/heartbeat", device="loa-01", json=HEARTBEAT)
    with api.session() as session:  # what newer receivers add, as their heartbeat keeps it
        device = session.scalar(select(Device).where(Device.code == "loa-01"))
        device.heartbeat = {**device.heartbeat, **{key: HEARTBEAT[key] for key in NEWER}}
        session.commit()
    return api


def test_the_station_page_shows_each_receiver_and_the_summary(seen):
    browser = seen.login("dai-tk")
    page = browser.get(f"{seen.base}/loudspeakers/station/st-tk")
    assert page.status_code == 200
    html = page.text
    assert "Đang hoạt động: 1" in html and "Mất liên lạc: 1" in html
    assert "Bản tin sáng" in html and "Âm lượng 65%" in html and "3,5 GB" in html and "12 tệp đã tải về" in html
    assert "1.4.2" in html and "2 ngày 7 giờ" in html and "Trình phát đang chạy" in html
    assert "mạng di động, sóng -85 dBm" in html and "Không mở được tệp âm thanh" in html
    assert "vẫn chưa liên lạc lại" in html  # loa-02's open period
    assert 'id="silent-villages"' in html and "Khu TH-NT-TK-02" in html.split('id="silent-villages"')[1][:400]


def test_a_receiver_that_reports_only_the_old_fields_shows_them_alone(api):
    api.post("/devices/loa-01/heartbeat", device="loa-01", json={"volume": 40})
    html = api.login("dai-tk").get(f"{api.base}/loudspeakers/station/st-tk").text
    assert "Âm lượng 40%" in html and "Trình phát" not in html and "Kết nối:" not in html


def test_scope_another_stations_operator_is_refused_and_unknown_codes_are_404(seen):
    other = seen.login("dai-xa")
    assert other.get(f"{seen.base}/loudspeakers/station/st-tk").status_code == 403
    assert other.get(f"{seen.base}/loudspeakers/area/TH-NT").status_code == 403
    assert other.get(f"{seen.base}/loudspeakers/area/TH-NT/availability.csv").status_code == 403
    assert other.get(f"{seen.base}/loudspeakers/station/no-such").status_code == 404
    assert other.get(f"{seen.base}/loudspeakers/area/NO-SUCH").status_code == 404
    assert other.get(f"{seen.base}/loudspeakers/area/TH-NT/availability.pdf").status_code == 404
    office = seen.login("vanhoa")
    assert office.get(f"{seen.base}/loudspeakers/area/TH-NT").status_code == 200
    landing = office.get(f"{seen.base}/loudspeakers/")
    assert landing.url.endswith("/loudspeakers/area/TH-NT")


def test_the_map_is_drawn_only_with_a_tile_url(seen):
    with seen.session() as session:
        session.scalar(select(Device).where(Device.code == "loa-01")).lat = 19.85
        session.scalar(select(Device).where(Device.code == "loa-01")).lon = 105.77
        session.commit()
    office = seen.login("vanhoa")
    html = office.get(f"{seen.base}/loudspeakers/area/TH-NT").text
    assert "loudspeaker-map" not in html and "leaflet" not in html
    seen.app.config["MAP_TILE_URL"] = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"
    try:
        html = office.get(f"{seen.base}/loudspeakers/area/TH-NT").text
    finally:
        seen.app.config["MAP_TILE_URL"] = None
    assert 'id="loudspeaker-map"' in html and "vendor/leaflet/leaflet.js" in html
    assert '"lat": 19.85' in html and html.count('"lat"') == 1  # devices without coordinates are left off


def test_the_availability_export_as_csv_and_xlsx(seen):
    office = seen.login("vanhoa")
    response = office.get(f"{seen.base}/loudspeakers/area/TH-NT/availability.csv",
                          params={"date_from": "24/11/2026", "date_to": "24/11/2026"})
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Đài", "Thôn", "Mã thiết bị"]
    by_code = {row[2]: row for row in rows[1:]}
    assert set(by_code) == {"loa-01", "loa-02"}
    assert by_code["loa-02"][3] == "Mất liên lạc" and by_code["loa-02"][5] == "1"
    assert float(by_code["loa-02"][7]) < 100 and float(by_code["loa-02"][6]) > 0
    response = office.get(f"{seen.base}/loudspeakers/area/TH-NT/availability.xlsx")
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][7] == "Tỷ lệ hoạt động (%)" and len(values) == 3
    bad = office.get(f"{seen.base}/loudspeakers/area/TH-NT/availability.csv", params={"date_from": "31/02/2026"})
    assert bad.status_code == 400


def test_the_export_speaks_english_when_switched(seen):
    office = seen.login("vanhoa")
    page = office.get(f"{seen.base}/loudspeakers/area/TH-NT").text
    import re
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    office.post(f"{seen.base}/language", data={"language": "en", "csrf_token": token, "next": "/"})
    rows = list(csv.reader(io.StringIO(office.get(f"{seen.base}/loudspeakers/area/TH-NT/availability.csv")
                                       .content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Station", "Village", "Device code"]


def test_an_export_over_any_dates_is_a_file_and_a_wrong_date_says_why(seen):
    office = seen.login("vanhoa")
    response = office.get(f"{seen.base}/loudspeakers/area/TH-NT/availability.csv",
                          params={"date_from": "01/01/1900", "date_to": "31/12/2200"})  # the widest dates may be
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row[2] for row in rows[1:]} == {"loa-01", "loa-02"}  # measured from when each was added until now
    for params in ({"date_from": "31/02/2026"}, {"date_from": "25/11/2026", "date_to": "24/11/2026"}):
        refused = office.get(f"{seen.base}/loudspeakers/area/TH-NT/availability.xlsx", params=params)
        assert refused.status_code == 400
        assert "Ngày không hợp lệ: viết theo dạng ngày/tháng/năm" in refused.text
    for params in ({"date_from": "01/01/0001"}, {"date_to": "31/12/9999"}):  # no local midnight in UTC
        refused = office.get(f"{seen.base}/loudspeakers/area/TH-NT/availability.csv", params=params)
        assert refused.status_code == 400
        assert "ngày: chỉ nhận ngày từ năm 1900 đến năm 2200." in refused.text


def _switch_to_english(browser, base: str) -> None:
    page = browser.get(f"{base}/loudspeakers/station/st-tk").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    browser.post(f"{base}/language", data={"language": "en", "csrf_token": token, "next": "/"})


def _error_cell(html: str, device: str) -> str:
    row = html.split(f'data-device="{device}"')[1].split("</tr>")[0]
    return row.split('data-label="Lỗi gần nhất"' if 'data-label="Lỗi gần nhất"' in row
                     else 'data-label="Last error"')[1].split("</td>")[0]


def _worded(cell: str) -> tuple[str, str]:
    """The message in the title and the words shown of a worded error."""
    found = re.search(r'<span class="error-words" title="([^"]*)">([^<]*)</span>', cell)
    return html.unescape(found.group(1)), html.unescape(found.group(2))


def test_a_known_error_code_is_worded_for_the_reader_with_the_message_as_its_detail(api):
    message = "Bản tin sáng: the cached audio no longer matched its sha256 (deleted, to be fetched again)"
    error = {"at": "2026-11-24T04:30:00+07:00", "code": "cache_mismatch", "message": message}
    assert api.post("/devices/loa-01/heartbeat", device="loa-01", json={"last_error": error}).status_code == 200
    browser = api.login("dai-tk")
    cell = _error_cell(browser.get(f"{api.base}/loudspeakers/station/st-tk").text, "loa-01")
    title, words = _worded(cell)
    assert words == "Tệp âm thanh lưu trong máy bị hỏng, đang tải lại" and title == message
    assert "Chi tiết kỹ thuật" in cell.split("<details", 1)[1] and message in cell.split("<details", 1)[1]
    _switch_to_english(browser, api.base)
    cell = _error_cell(browser.get(f"{api.base}/loudspeakers/station/st-tk").text, "loa-01")
    title, words = _worded(cell)
    assert words == "The audio file stored on the receiver was damaged; it is being downloaded again"
    assert title == message and "Tệp âm thanh" not in cell
    assert "Technical details" in cell.split("<details", 1)[1] and message in cell.split("<details", 1)[1]


def test_an_unknown_code_or_none_shows_the_receivers_own_message(api):
    for device, error in (("loa-01", {"at": "2026-11-24T04:30:00+07:00", "code": "amplifier_hot",
                                      "message": "amplifier at 85 °C"}),
                          ("loa-02", {"at": "2026-11-24T04:30:00+07:00", "message": "mpv exited with 2"})):
        assert api.post(f"/devices/{device}/heartbeat", device=device, json={"last_error": error}).status_code == 200
    browser = api.login("dai-tk")
    for _ in range(2):  # in Vietnamese, then in English: the message is the receiver's, as it said it
        html = browser.get(f"{api.base}/loudspeakers/station/st-tk").text
        assert "amplifier at 85 °C" in _error_cell(html, "loa-01") and "<details" not in _error_cell(html, "loa-01")
        assert "mpv exited with 2" in _error_cell(html, "loa-02") and "<details" not in _error_cell(html, "loa-02")
        _switch_to_english(browser, api.base)
    assert 'data-label="Last error"' in html
