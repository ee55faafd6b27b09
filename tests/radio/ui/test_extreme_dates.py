"""Every page and API parameter that reads a date refuses the first and last days Python knows
(01/01/0001, 31/12/9999) with a 400 or 422 that names the field: such a day has no local
midnight in UTC and no day after or before it, and once overflowed into a 500."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from radio.models import ScheduleEntry
from tests.factories import create_user
from tests.radio.office_kit import client_as
from tests.radio.web_scene import scene  # noqa: F401  (fixture)

REFUSED = "chỉ nhận ngày từ năm 1900 đến năm 2200."
CELL = "station=thanhky&requirement=kh-tk/daily"
EXTREMES = [("01/01/0001", "0001-01-01"), ("31/12/9999", "9999-12-31")]

# (who asks, the address with {dmy} or {iso} for the date, the field the refusal names); None for
# the API, whose refusals are JSON in English.
ADDRESSES = [
    ("vanhoa", "/office/compliance?date_from={dmy}", "Từ ngày"),
    ("vanhoa", "/office/compliance?date_to={dmy}", "Đến ngày"),
    ("vanhoa", "/office/compliance?date_from={iso}", "Từ ngày"),
    ("vanhoa", "/office/compliance?date_to={iso}", "Đến ngày"),
    ("vanhoa", "/office/compliance/report.xlsx?area=TH&date_from={dmy}", "Từ ngày"),
    ("vanhoa", "/office/compliance/report.pdf?area=TH&date_to={dmy}", "Đến ngày"),
    ("vanhoa", "/office/compliance/report.csv?area=TH&date_from={iso}&date_to={iso}", "Từ ngày"),
    ("vanhoa", f"/office/compliance/cell?{CELL}&date_from={{dmy}}", "Từ ngày"),
    ("vanhoa", f"/office/compliance/cell?{CELL}&date_to={{iso}}", "Đến ngày"),
    ("vanhoa", "/api/v1/compliance?area=TH&from={iso}&to=2026-11-30", "from"),
    ("vanhoa", "/api/v1/compliance.csv?area=TH&from=2026-11-01&to={iso}", "to"),
    ("quantri", "/loudspeakers/area/TH/availability.csv?date_from={dmy}", "Từ ngày"),
    ("quantri", "/loudspeakers/area/TH/availability.xlsx?date_to={iso}", "Đến ngày"),
    ("quantri", "/office/audit?date_from={dmy}", "Từ ngày"),
    ("quantri", "/office/audit?date_to={iso}", "Đến ngày"),
    ("op-tk", "/stations/thanhky/on/{iso}", "Ngày"),
    ("op-tk", "/stations/thanhky/on/{iso}/add", "Ngày"),
    ("op-tk", "/stations/thanhky/on/{iso}/unscheduled", "Ngày"),
    ("op-tk", "/stations/thanhky/calendar?day={iso}", "Ngày"),
    ("op-tk", "/stations/thanhky/calendar?view=month&day={iso}", "Ngày"),
    ("op-tk", "/stations/thanhky/entries/{entry}?day={iso}", "Ngày"),
    ("op-tk", "/stations/thanhky/days/{iso}.pdf", "Ngày"),
    ("op-tk", "/stations/thanhky/days/{iso}.m3u8", "Ngày"),
]


@pytest.mark.parametrize(("dmy", "iso"), EXTREMES, ids=["first-day", "last-day"])
@pytest.mark.parametrize(("who", "address", "field"), ADDRESSES, ids=[a[1].split("?")[0] + "?" + a[1].partition("?")[2][:24]
                                                                      for a in ADDRESSES])
def test_a_date_at_the_ends_of_the_calendar_is_refused_by_name(app, db, scene, who, address, field, dmy, iso):
    create_user(db, "vanhoa", "oversight", scene["ours"].area.parent)
    create_user(db, "quantri", "admin", scene["ours"].area.parent)
    url = address.format(dmy=dmy, iso=iso, entry=db.scalar(select(ScheduleEntry.uuid).limit(1)))
    response = client_as(app, who).get(url)
    assert response.status_code in (400, 422), (url, response.status_code)
    if url.startswith("/api/"):
        assert response.get_json()["message"] == f"{field}: {iso} is outside the years 1900–2200"
    else:
        assert response.mimetype == "text/html"
        assert f"{field}: {REFUSED}" in response.get_data(as_text=True)


def test_the_years_at_the_edges_of_the_range_are_still_dates(app, db, scene):
    """1900 and 2200 are read (and shown): only what lies beyond is refused."""
    create_user(db, "vanhoa", "oversight", scene["ours"].area.parent)
    office = client_as(app, "vanhoa")
    assert office.get("/api/v1/compliance?area=TH&from=1900-01-01&to=1900-01-31").status_code == 200
    page = office.get("/office/compliance?date_from=01/01/2200&date_to=31/12/2200")
    assert page.status_code == 200 and REFUSED not in page.get_data(as_text=True)
    late = office.get("/office/compliance?date_from=01/01/2201")
    assert late.status_code == 422 and f"Từ ngày: {REFUSED}" in late.get_data(as_text=True)
    assert client_as(app, "op-tk").get("/stations/thanhky/on/1900-01-01").status_code == 200


@pytest.mark.parametrize("args", [
    ["compliance", "--area", "TH", "--from", "0001-01-01", "--to", "2026-11-30"],
    ["compliance", "--area", "TH", "--from", "2026-11-01", "--to", "9999-12-31"],
    ["playlog", "confirm", "--station", "thanhky", "--date", "9999-12-31", "--as", "op-tk"],
    ["playlog", "add", "--station", "thanhky", "--episode", "tin-1", "--at", "0001-01-01 07:00", "--as", "op-tk"],
], ids=["compliance-from", "compliance-to", "playlog-date", "playlog-at"])
def test_the_commands_refuse_those_dates_by_option(db, scene, runner, args):
    result = runner.invoke(args=args)
    option = next(arg for arg in args if arg.startswith("--") and args[args.index(arg) + 1][:4] in ("0001", "9999"))
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}'" in result.output and "is outside the years 1900–2200" in result.output
