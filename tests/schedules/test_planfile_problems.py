"""Invalid plan files: every problem is found, with its line, field and message.

Each case edits a small valid file (BASE) and lists the problems expected, locating
each by a piece of text that starts or sits on its line, so the table stays readable
when BASE changes.
"""

from __future__ import annotations

import pathlib
import pickle

import pytest

from schedules.planfile import limits
from schedules.planfile import values as planfile_values
from schedules.planfile import KnownRecords, PlanFileError, Problem, load_plan, parse_plan

BASE = """\
version: 1
timezone: Asia/Ho_Chi_Minh
plan: {code: p1, title: Plan, issued_by: C}
areas:
  - {code: P, name: Province, level: province}
  - {code: C, name: Commune, level: commune, parent: P}
  - {code: V, name: Village, level: village, parent: C}
stations:
  - code: s1
    name: Station
    area: C
    windows:
      - {name: sang, days: [MO, TU], start: "05:30", end: "06:00"}
    closed: ["2027-02-16"]
    blocks:
      - {window: sang, at: "05:30", kind: relay, title: Relay, duration: 600}
devices:
  - {code: d1, area: V, station: s1}
series:
  - {code: cds, title: Series}
episodes:
  - {code: e1, series: cds, title: Episode, audio: media/e1.mp3}
requirements:
  - code: r1
    series: cds
    stations: [s1]
    period: week
    airings: {min: 1, max: 2}
    from: "2026-01-05"
    to: "2026-03-29"
"""

REQ = "requirements[0]"
BLOCK = "stations[0].blocks[0]"
WINDOW = "stations[0].windows[0]"

# (id, text to replace in BASE, replacement, [(text on the line, field, message), ...])
CASES = [
    # the file as a whole
    ("version", "version: 1", "version: 2",
     [("version: 2", "version", "unsupported version '2' (this reader knows 1)")]),
    ("version missing", "version: 1\n", "",
     [("timezone", "version", "is required")]),
    ("time zone", "Asia/Ho_Chi_Minh", "Asia/Hanoi",
     [("timezone", "timezone", "unknown time zone 'Asia/Hanoi'")]),
    ("unknown top-level key", "devices:", "device:",
     [("device:", "", "unknown key 'device'")]),
    ("duplicate key", "timezone: Asia/Ho_Chi_Minh", "version: 1",
     [("version: 1\nplan", "", "duplicate key 'version'")]),
    ("section not a list", "devices:\n  - {code: d1, area: V, station: s1}",
     "devices: {code: d1, area: V, station: s1}",
     [("devices:", "devices", "must be a list")]),
    ("record not a mapping", "  - {code: d1, area: V, station: s1}", "  - d1",
     [("- d1", "devices[0]", "must be a mapping of keys to values")]),
    # plan
    ("plan key missing", "title: Plan, ", "",
     [("plan:", "plan.title", "is required")]),
    ("plan key null", "title: Plan", "title: ~",
     [("plan:", "plan.title", "is required")]),
    ("plan issued by unknown area", "issued_by: C", "issued_by: X",
     [("plan:", "plan.issued_by", "unknown area 'X'")]),
    ("plan report_due", "issued_by: C}", "issued_by: C, report_due: 15/12/2026}",
     [("plan:", "plan.report_due", "must be a date YYYY-MM-DD, got '15/12/2026'")]),
    # areas
    ("unknown level", "level: village", "level: thon",
     [("code: V", "areas[2].level",
       "unknown level 'thon' (one of: province, district, commune, village)")]),
    ("unknown parent", "parent: C}", "parent: X}",
     [("code: V", "areas[2].parent", "unknown parent area 'X'")]),
    ("level above parent", "level: village, parent: C", "level: district, parent: C",
     [("code: V", "areas[2].level", "a district cannot sit under the commune 'C'")]),
    ("level equal to parent", "level: village, parent: C", "level: commune, parent: C",
     [("code: V", "areas[2].level", "a commune cannot sit under the commune 'C'")]),
    ("duplicate area", "  - {code: V, name: Village, level: village, parent: C}\n",
     "  - {code: V, name: Village, level: village, parent: C}\n"
     "  - {code: P, name: Again, level: province}\n",
     [("name: Again", "areas[3].code", "duplicate code 'P' (first at line 5)")]),
    ("code with a space", "code: V,", "code: V 1,",
     [("name: Village", "areas[2].code", "must be a code without spaces, got 'V 1'"),
      ("code: d1", "devices[0].area", "unknown area 'V'")]),
    ("blank name", "name: Village", "name: '  '",
     [("code: V", "areas[2].name", "must not be blank")]),
    ("list for a scalar", "name: Village", "name: [Village]",
     [("code: V", "areas[2].name", "must be a single value, not a list or mapping")]),
    # stations and windows
    ("station area", "area: C\n", "area: X\n",
     [("area: X", "stations[0].area", "unknown area 'X'")]),
    ("station without windows",
     '    windows:\n      - {name: sang, days: [MO, TU], start: "05:30", end: "06:00"}\n', "",
     [("- code: s1", "stations[0].windows", "is required"),
      ("{window: sang", f"{BLOCK}.window", "unknown window 'sang'")]),
    ("window end before start", 'end: "06:00"', 'end: "05:00"',
     [("{name: sang", f"{WINDOW}.end", "end 05:00 is not after start 05:30"),
      ("{window: sang", f"{BLOCK}.duration",
       "600 s from 05:30 runs past the end of window 'sang' at 05:00")]),
    ("window end equal to start", 'end: "06:00"', 'end: "05:30"',
     [("{name: sang", f"{WINDOW}.end", "end 05:30 is not after start 05:30"),
      ("{window: sang", f"{BLOCK}.duration",
       "600 s from 05:30 runs past the end of window 'sang' at 05:30")]),
    ("blank window title", "{name: sang,", "{name: sang, title: ' ',",
     [("{name: sang", f"{WINDOW}.title", "must not be blank")]),
    ("window from after to", 'end: "06:00"}', 'end: "06:00", from: "2026-10-01", to: "2026-04-01"}',
     [("{name: sang", f"{WINDOW}.from", "from 2026-10-01 is after to 2026-04-01")]),
    ("time without leading zero", 'start: "05:30"', "start: 5:30",
     [("{name: sang", f"{WINDOW}.start", "must be a time HH:MM, got '5:30'")]),
    ("time past midnight", 'end: "06:00"', 'end: "24:00"',
     [("{name: sang", f"{WINDOW}.end", "'24:00' is not a time of day")]),
    ("weekday", "days: [MO, TU]", "days: [MO, T3]",
     [("{name: sang", f"{WINDOW}.days[1]",
       "unknown weekday 'T3' (one of: MO, TU, WE, TH, FR, SA, SU)")]),
    ("weekday twice", "days: [MO, TU]", "days: [MO, MO]",
     [("{name: sang", f"{WINDOW}.days[1]", "'MO' is listed twice")]),
    ("no weekdays", "days: [MO, TU]", "days: []",
     [("{name: sang", f"{WINDOW}.days", "must not be empty")]),
    ("weekdays missing", "days: [MO, TU], ", "",
     [("{name: sang", f"{WINDOW}.days", "is required")]),
    ("duplicate window", '      - {name: sang, days: [MO, TU], start: "05:30", end: "06:00"}\n',
     '      - {name: sang, days: [MO, TU], start: "05:30", end: "06:00"}\n'
     '      - {name: sang, days: [WE], start: "17:00", end: "18:00"}\n',
     [("{name: sang, days: [WE]", "stations[0].windows[1].name",
       "duplicate name 'sang' (first at line 13)")]),
    ("closed date", '"2027-02-16"', '"2027-02-30"',
     [("closed:", "stations[0].closed[0]", "'2027-02-30' is not a real date")]),
    ("closed twice", '"2027-02-16"]', '"2027-02-16", "2027-02-16"]',
     [("closed:", "stations[0].closed[1]", "'2027-02-16' is listed twice")]),
    # blocks
    ("block unknown window", "window: sang", "window: toi",
     [("{window: toi", f"{BLOCK}.window", "unknown window 'toi'")]),
    ("block before window", 'at: "05:30"', 'at: "05:29"',
     [("{window: sang", f"{BLOCK}.at", "starts at 05:29, before window 'sang' opens at 05:30")]),
    ("block past window", "duration: 600", "duration: 1801",
     [("{window: sang", f"{BLOCK}.duration",
       "1801 s from 05:30 runs past the end of window 'sang' at 06:00")]),
    ("block kind", "kind: relay", "kind: replay",
     [("{window: sang", f"{BLOCK}.kind", "unknown kind 'replay' (one of: relay, live)")]),
    ("block duration zero", "duration: 600", "duration: 0",
     [("{window: sang", f"{BLOCK}.duration", "must be at least 1")]),
    ("block duration negative", "duration: 600", "duration: -600",
     [("{window: sang", f"{BLOCK}.duration", "must be a whole number (0 or more), got '-600'")]),
    ("block duration in minutes", "duration: 600", "duration: 10m",
     [("{window: sang", f"{BLOCK}.duration", "must be a whole number (0 or more), got '10m'")]),
    # devices and series
    ("device station", "station: s1}", "station: s2}",
     [("code: d1", "devices[0].station", "unknown station 's2'")]),
    ("device area", "area: V, station", "area: W, station",
     [("code: d1", "devices[0].area", "unknown area 'W'")]),
    ("device latitude out of range", "station: s1}", "station: s1, lat: 91.5, lon: 105.8}",
     [("code: d1", "devices[0].lat", "must be from -90 to 90 degrees, got 91.5")]),
    ("device longitude out of range", "station: s1}", "station: s1, lat: 21.02, lon: -180.01}",
     [("code: d1", "devices[0].lon", "must be from -180 to 180 degrees, got -180.01")]),
    ("device latitude without its longitude", "station: s1}", "station: s1, lat: 21.02}",
     [("code: d1", "devices[0]", "lat and lon go together: give both or neither")]),
    ("device latitude not a number", "station: s1}", "station: s1, lat: 21°01', lon: 105.8}",
     [("code: d1", "devices[0].lat", "must be a number of degrees such as 21.0285, got '21°01''")]),
    # voices
    ("area voice region unknown", "level: province}", "level: province, voice: western}",
     [("code: P", "areas[0].voice", "unknown voice region 'western' (one of: north, central, south)")]),
    ("station voice too slow", "    area: C\n", "    area: C\n    voice_speed: 50\n",
     [("voice_speed", "stations[0].voice_speed", "must be from 80 to 450, got 50")]),
    ("station pause too long", "    area: C\n", "    area: C\n    voice_pause: 5000\n",
     [("voice_pause", "stations[0].voice_pause", "must be from 0 to 3000, got 5000")]),
    ("station pause not a number", "    area: C\n", "    area: C\n    voice_pause: 1s\n",
     [("voice_pause", "stations[0].voice_pause", "must be a whole number (0 or more), got '1s'")]),
    ("duplicate series", "  - {code: cds, title: Series}\n",
     "  - {code: cds, title: Series}\n  - {code: cds, title: Again}\n",
     [("title: Again", "series[1].code", "duplicate code 'cds' (first at line 20)")]),
    # episodes
    ("episode series", "series: cds, title: Episode", "series: tin, title: Episode",
     [("code: e1", "episodes[0].series", "unknown series 'tin'")]),
    ("episode dates", "audio: media/e1.mp3}",
     'audio: media/e1.mp3, available_from: "2026-02-01", expires: "2026-01-31"}',
     [("code: e1", "episodes[0].available_from",
       "available_from 2026-02-01 is after expires 2026-01-31")]),
    ("audio missing", "media/e1.mp3", "media/e2.mp3",
     [("code: e1", "episodes[0].audio", "audio file not found: 'media/e2.mp3'")]),
    ("audio blank", "media/e1.mp3", "' '",
     [("code: e1", "episodes[0].audio", "must not be blank")]),
    ("audio absolute", "media/e1.mp3", "/etc/passwd",
     [("code: e1", "episodes[0].audio", "'/etc/passwd' must be a path relative to the plan file")]),
    ("audio outside", "media/e1.mp3", "media/../../e1.mp3",
     [("code: e1", "episodes[0].audio",
       "'media/../../e1.mp3' leads outside the plan file's folder")]),
    ("script without text", "audio: media/e1.mp3}", "script: {txt: Hello}}",
     [("code: e1", "episodes[0].script", "unknown key 'txt'"),
      ("code: e1", "episodes[0].script.text", "is required")]),
    # requirements
    ("typo airing", "airings: {min", "airing: {min",
     [("- code: r1", f"{REQ}.airings", "is required"),
      ("airing:", REQ, "unknown key 'airing'")]),
    ("requirement series", "series: cds\n    stations", "series: tin\n    stations",
     [("series: tin", f"{REQ}.series", "unknown series 'tin'")]),
    ("requirement station", "stations: [s1]", "stations: [s1, s9]",
     [("stations: [s1, s9]", f"{REQ}.stations[1]", "unknown station 's9'")]),
    ("neither stations nor areas", "    stations: [s1]\n", "",
     [("- code: r1", REQ, "needs either stations or areas, and has neither")]),
    ("both stations and areas", "stations: [s1]", "stations: [s1]\n    areas: [C]",
     [("- code: r1", REQ, "needs either stations or areas, and has both")]),
    ("levels without areas", "stations: [s1]", "stations: [s1]\n    levels: [commune]",
     [("levels:", f"{REQ}.levels", "levels only narrow an areas selection")]),
    ("unknown selected area", "stations: [s1]", "areas: [X]",
     [("areas: [X]", f"{REQ}.areas[0]", "unknown area 'X'")]),
    ("area below every station", "stations: [s1]", "areas: [V]",
     [("areas: [V]", f"{REQ}.areas[0]", "area 'V' has no station")]),
    ("no station at the levels", "stations: [s1]", "areas: [P]\n    levels: [district, village]",
     [("areas: [P]", f"{REQ}.areas[0]", "area 'P' has no station at level district, village")]),
    ("requirement window", "stations: [s1]", "stations: [s1]\n    windows: [sang, chieu]",
     [("windows: [sang, chieu]", f"{REQ}.windows[1]", "no covered station has a window 'chieu'")]),
    ("min above max", "{min: 1, max: 2}", "{min: 3, max: 2}",
     [("airings:", f"{REQ}.airings", "min 3 is more than max 2")]),
    ("airings min missing", "{min: 1, max: 2}", "{max: 2}",
     [("airings:", f"{REQ}.airings.min", "is required")]),
    ("count not whole", "{min: 1, max: 2}", "{min: 1.5, max: 2}",
     [("airings:", f"{REQ}.airings.min", "must be a whole number (0 or more), got '1.5'")]),
    ("negative new episodes", "period: week", "period: week\n    new_episodes: -1",
     [("new_episodes", f"{REQ}.new_episodes", "must be a whole number (0 or more), got '-1'")]),
    ("duration min above max", "period: week", "period: week\n    duration: {min: 180, max: 120}",
     [("duration: {min: 180", f"{REQ}.duration", "min 180 is more than max 120")]),
    ("duration unit", "period: week", "period: week\n    duration: {min: 2m}",
     [("duration: {min", f"{REQ}.duration.min", "must be a whole number (0 or more), got '2m'")]),
    ("from after to", '"2026-03-29"', '"2026-01-04"',
     [("from:", f"{REQ}.from", "from 2026-01-05 is after to 2026-01-04")]),
    ("to at the end of the calendar", '"2026-03-29"', '"9999-12-31"',
     [("to:", f"{REQ}.to", "'9999-12-31' is outside the years 1900–2200")]),
    ("closed on the first day of the calendar", '"2027-02-16"', '"0001-01-01"',
     [("closed:", "stations[0].closed[0]", "'0001-01-01' is outside the years 1900–2200")]),
    ("to missing", '    to: "2026-03-29"\n', "",
     [("- code: r1", f"{REQ}.to", "is required")]),
    ("period", "period: week", "period: fortnight",
     [("period:", f"{REQ}.period",
       "unknown period 'fortnight' (one of: day, week, month, quarter, year, campaign)")]),
    ("priority", "period: week", "period: week\n    priority: emergency",
     [("priority:", f"{REQ}.priority", "unknown priority 'emergency' (one of: normal, priority)")]),
    ("requirement days", "period: week", "period: week\n    days: [TUE]",
     [("days: [TUE]", f"{REQ}.days[0]",
       "unknown weekday 'TUE' (one of: MO, TU, WE, TH, FR, SA, SU)")]),
    ("duplicate requirement", "requirements:\n", "requirements:\n  - {code: r1, series: cds, "
     'stations: [s1], period: day, airings: {min: 1}, from: "2026-01-01", to: "2026-01-31"}\n',
     [("- code: r1", "requirements[1].code", "duplicate code 'r1' (first at line 24)")]),
]


MAPPING = "must be a mapping of keys to values"
SINGLE = "must be a single value, not a list or mapping"

# Every kind of value in the wrong shape: (text to replace, replacement, field, message).
SHAPES = [
    ("plan: {code: p1, title: Plan, issued_by: C}", "plan: p1", "plan", MAPPING),
    ("  - {code: P, name: Province, level: province}", "  - P", "areas[0]", MAPPING),
    ("  - code: s1\n", "  - [s1]\n  - code: s1\n", "stations[0]", MAPPING),
    ('      - {name: sang, days: [MO, TU], start: "05:30", end: "06:00"}',
     "      - sang\n      - {name: sang, days: [MO, TU], start: '05:30', end: '06:00'}",
     "stations[0].windows[0]", MAPPING),
    ("      - {window: sang, at:", "      - relay\n      - {window: sang, at:",
     "stations[0].blocks[0]", MAPPING),
    ("  - {code: cds, title: Series}", "  - cds\n  - {code: cds, title: Series}", "series[0]",
     MAPPING),
    ("  - {code: e1,", "  - e0\n  - {code: e1,", "episodes[0]", MAPPING),
    ("audio: media/e1.mp3}", "script: Hello}", "episodes[0].script", MAPPING),
    ("requirements:\n", "requirements:\n  - r0\n", "requirements[0]", MAPPING),
    ("{min: 1, max: 2}", "1", "requirements[0].airings", MAPPING),
    ("timezone: Asia/Ho_Chi_Minh", "timezone: [Asia/Ho_Chi_Minh]", "timezone", SINGLE),
    ("period: week", "period: {week: 1}", "requirements[0].period", SINGLE),
    ("code: p1", "code: [p1]", "plan.code", SINGLE),
]


@pytest.mark.parametrize(("old", "new", "field", "message"), SHAPES, ids=[s[2] for s in SHAPES])
def test_values_in_the_wrong_shape(plan_dir: pathlib.Path, old: str, new: str, field: str,
                                   message: str) -> None:
    assert BASE.count(old) == 1, f"ambiguous edit: {old!r}"
    problems = problems_of(BASE.replace(old, new), plan_dir)
    assert (field, message) in [(p.field, p.message) for p in problems]

@pytest.fixture
def plan_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    """A folder with the audio file BASE names (and one outside media/ for escape tests)."""
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "e1.mp3").write_bytes(b"ID3")
    return tmp_path


def problems_of(text: str, base_dir: pathlib.Path,
                known: KnownRecords | None = None) -> list[Problem]:
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text, "plan.yaml", base_dir, known)
    return caught.value.problems


def line_of(text: str, anchor: str) -> int:
    """The 1-based line where ``anchor`` first occurs in ``text``."""
    assert anchor in text, anchor
    return text[:text.index(anchor)].count("\n") + 1


def test_the_base_file_is_valid(plan_dir: pathlib.Path) -> None:
    assert parse_plan(BASE, "plan.yaml", plan_dir).requirements[0].code == "r1"


@pytest.mark.parametrize(("old", "new", "expected"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_each_problem_is_reported_where_it_is(plan_dir: pathlib.Path, old: str, new: str,
                                              expected: list[tuple[str, str, str]]) -> None:
    assert BASE.count(old) == 1, f"ambiguous edit: {old!r}"
    text = BASE.replace(old, new)
    found = [(p.line, p.field, p.message) for p in problems_of(text, plan_dir)]
    assert found == [(line_of(text, anchor), field, message) for anchor, field, message in expected]


def test_all_problems_are_reported_sorted_by_line(plan_dir: pathlib.Path) -> None:
    text = (BASE.replace("area: C\n", "area: X\n")
            .replace("version: 1", "version: 3")
            .replace("{min: 1, max: 2}", "{min: 3, max: 2}")
            .replace("level: village", "level: thon"))
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text, "plan.yaml", plan_dir)
    assert str(caught.value) == "\n".join([
        "plan.yaml:1: version: unsupported version '3' (this reader knows 1)",
        "plan.yaml:7: areas[2].level: unknown level 'thon' "
        "(one of: province, district, commune, village)",
        "plan.yaml:11: stations[0].area: unknown area 'X'",
        "plan.yaml:28: requirements[0].airings: min 3 is more than max 2",
    ])


def test_problem_text() -> None:
    assert str(Problem("a.yaml", 3, "areas[0].level", "unknown level 'x'")) \
        == "a.yaml:3: areas[0].level: unknown level 'x'"
    assert str(Problem("a.yaml", 1, "", "the file is empty")) == "a.yaml:1: the file is empty"
    error = PlanFileError([Problem("a", 1, "f", "m"), Problem("a", 2, "g", "n")])
    assert isinstance(error, ValueError) and str(error) == "a:1: f: m\na:2: g: n"
    assert pickle.loads(pickle.dumps(error)).problems == error.problems


@pytest.mark.parametrize(("filename", "text", "line", "message"), [
    ("p.yaml", "version: 1\nplan:\n  code: p\n title: x\n", 4,
     "invalid YAML: while parsing a block mapping: expected <block end>, but found "
     "'<block mapping start>'"),
    ("p.yaml", "version: 1\nplan: x: y\n", 2, "invalid YAML: mapping values are not allowed here"),
    ("p.yaml", "version: 1\n\tplan: {}\n", 2,
     "invalid YAML: while scanning for the next token: "
     "found character '\\t' that cannot start any token"),
    ("p.yaml", "version: 1\n---\nversion: 1\n", 2,
     "invalid YAML: expected a single document in the stream: but found another document"),
    ("p.yaml", "version: 1\nplan: \x07\n", 2,
     "invalid YAML: unacceptable character #x0007: special characters are not allowed"),
    ("p.yaml", "version: 1\nplan: \ud800\n", 2,
     "invalid YAML: unacceptable character #xd800: special characters are not allowed"),
    ("p.yaml", "# nothing but a comment\n", 1, "the file is empty"),
    ("p.yaml", "- version: 1\n", 1, "the top level must be a mapping of keys to values"),
    ("p.json", '{\n  "version": "1",\n  "plan": {"code": "p",}\n}\n', 3,
     "invalid JSON: Expecting property name enclosed in double quotes (column 24)"),
    ("p.json", "", 1, "invalid JSON: Expecting value (column 1)"),
])
def test_syntax_errors_have_a_line(filename: str, text: str, line: int, message: str) -> None:
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text, filename, pathlib.Path("."))
    assert caught.value.problems == [Problem(filename, line, "", message)]


def test_json_problems_have_lines(plan_dir: pathlib.Path) -> None:
    text = ('{\n  "version": 1,\n  "plan": {"code": "p", "title": "P", "issued_by": "C"},\n'
            '  "areas": [\n    {"code": "C", "name": "C", "level": "xa"}\n  ]\n}\n')
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text, "p.json", plan_dir)
    assert [str(p) for p in caught.value.problems] == [
        "p.json:5: areas[0].level: unknown level 'xa' "
        "(one of: province, district, commune, village)",
    ]


def test_stored_parents_are_checked_too(plan_dir: pathlib.Path) -> None:
    known = KnownRecords(areas={"TH-TK": ("commune", None)})
    text = BASE.replace("parent: C}", "parent: TH-TK}").replace("level: village", "level: district")
    assert [(p.field, p.message) for p in problems_of(text, plan_dir, known)] == [
        ("areas[2].level", "a district cannot sit under the commune 'TH-TK'"),
    ]


@pytest.mark.parametrize(("name", "data", "line", "message"), [
    ("plan.txt", b"version: 1\n", 1, "a plan file ends in .yaml, .yml, .json"),
    ("plan.yaml", b"version: 1\nplan: {title: K\xe1 hoach}\n", 2, "the file is not UTF-8 text"),
])
def test_load_plan_refuses_other_files(tmp_path: pathlib.Path, name: str, data: bytes,
                                       line: int, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PlanFileError) as caught:
        load_plan(path)
    assert caught.value.problems == [Problem(str(path), line, "", message)]


def test_load_plan_accepts_a_byte_order_mark(plan_dir: pathlib.Path) -> None:
    path = plan_dir / "plan.yml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode("utf-8"))
    assert load_plan(path).plan.code == "p1"


def test_aliases_are_refused_so_a_billion_laughs_file_cannot_blow_up(tmp_path):
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    with pytest.raises(PlanFileError) as caught:
        parse_plan("version: 1\n" + lol, "lol.yaml", tmp_path)
    assert any("aliases" in p.message for p in caught.value.problems)


@pytest.mark.parametrize(("filename", "text", "line"), [
    ("nested.yaml", "[" * 5000 + "]" * 5000, 1),
    ("nested.json", "[" * 5000 + "]" * 5000, 1),
    ("nested.yaml", "version: 1\nplan: " + "{a: " * 5000 + "b" + "}" * 5000, 2),
    ("nested.yaml", "version: 1\nplan: " + "{a: " * 5000, 2),
    ("nested.yaml", "version: 1\nplan:\n  " + "- " * 5000 + "x\n", 3),
    ("nested.json", '{"version": 1,\n "x-a": "[[[[",\n "plan": ' + "[" * 40 + "]" * 40 + "}", 3),
    # within libyaml's own limit, so read by it and the tree it gives walked: the first too deep
    ("nested.yaml", "version: 1\nx-a: [[[[]]]]\nplan:\n  x: " + "[" * 40 + "]" * 40 + "\n", 4),
    ("nested.yaml", "version: 1\nplan:\n" + "".join(f"{' ' * i}k{i}:\n" for i in range(1, 40)) + " " * 40 + "v\n",
     34),
    ("nested.yaml", "version: 1\nplan: &p\n  x: " + "[" * 40 + "]" * 40 + "\nagain: *p\n", 3),
])
def test_deep_nesting_is_refused_at_its_line(filename: str, text: str, line: int) -> None:
    """The composers recurse once per level; 5,000 levels once ended in a RecursionError."""
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text, filename, pathlib.Path("."))
    assert caught.value.problems == [Problem(filename, line, "", "nested more than 32 levels deep")]
    assert caught.value.problems[0].code == "too_deep"


def test_nesting_up_to_the_limit_is_read(plan_dir: pathlib.Path) -> None:
    text = BASE + "x-deep: " + "[" * 31 + "]" * 31 + "\n"
    assert parse_plan(text, "p.yaml", plan_dir).plan.code == "p1"


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as file:
        file.truncate(limits.MAX_BYTES + 1)
    with pytest.raises(PlanFileError) as caught:
        load_plan(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.code, problem.values["limit"]) == (1, "file_too_large", limits.MAX_BYTES)


def test_over_long_values_and_lists_are_refused(plan_dir: pathlib.Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_ITEMS", 1)
    monkeypatch.setattr(planfile_values, "MAX_ITEMS", 1)
    monkeypatch.setattr(planfile_values, "MAX_TEXT", 10)
    text = BASE.replace("title: ", "title: " + "x" * 11, 1)
    found = [(p.field, p.code) for p in problems_of(text, plan_dir)]
    assert ("plan.title", "too_long") in found
    assert ("areas", "too_many_items") in found


# A problem about a field is reported at that field's own line, not at its record's first line:
# the same records written in block style and in flow style, each field on a line of its own.
KNOWN = KnownRecords(areas={"C": ("commune", None)}, stations={"s0": ("C", frozenset({"sang"}))},
                     series=frozenset({"cds"}))

BLOCK_STYLE = """\
version: 1
plan: {code: p1, title: Plan, issued_by: C}
areas:
  - code: V
    name: Village
    level: commune
    parent: C
  - code: W
    name: Other
    level: village
    parent: X
stations:
  - code: s1
    name: Station
    area: Y
    windows:
      - name: sang
        days: [MO]
        start: "06:00"
        end: "05:30"
    blocks:
      - window: toi
        at: "05:30"
        kind: relay
        title: Relay
        duration: 60
devices:
  - code: d1
    area: C
    station: s2
episodes:
  - code: e1
    series: tin
    title: Episode
    available_from: "2026-02-01"
    expires: "2026-01-31"
requirements:
  - code: r1
    series: cds
    stations:
      - s0
      - s9
    period: week
    airings:
      min: 3
      max: 2
    from: "2026-03-01"
    to: "2026-01-01"
    levels: [commune]
    windows:
      - sang
      - chieu
    colour: red
  - code: r1
    series: cds
    areas:
      - W
    period: day
    airings: {min: 1}
    from: "2026-01-01"
    to: "2026-01-31"
"""

FLOW_STYLE = """\
version: 1
plan: {code: p1, title: Plan, issued_by: C}
areas:
  - {code: V, name: Village,
     level: commune,
     parent: C}
  - {code: W, name: Other, level: village,
     parent: X}
stations:
  - {code: s1, name: Station,
     area: Y,
     windows: [{name: sang, days: [MO], start: "06:00",
                end: "05:30"}],
     blocks: [{window: sang, at: "06:00", kind: relay, title: Relay,
               duration: 60},
              {window: toi, at: "05:30", kind: live, title: Live, duration: 60}]}
devices:
  - {code: d1, area: C,
     station: s2}
episodes:
  - {code: e1,
     series: tin, title: Episode,
     available_from: "2026-02-01", expires: "2026-01-31"}
requirements:
  - {code: r1, series: cds, stations: [s0,
       s9], period: week,
     airings: {min: 3,
               max: 2},
     from: "2026-03-01", to: "2026-01-01",
     levels: [commune], windows: [sang,
       chieu],
     colour: red}
  - {code: r1, series: cds, period: day, airings: {min: 1}, from: "2026-01-01", to: "2026-01-31",
     areas: [
       W]}
"""

FIELD_LINES = [
    # (style, text, [(line, field, message), ...]) in the order reported
    ("block", BLOCK_STYLE, [
        (6, "areas[0].level", "a commune cannot sit under the commune 'C'"),
        (11, "areas[1].parent", "unknown parent area 'X'"),
        (15, "stations[0].area", "unknown area 'Y'"),
        (20, "stations[0].windows[0].end", "end 05:30 is not after start 06:00"),
        (22, "stations[0].blocks[0].window", "unknown window 'toi'"),
        (30, "devices[0].station", "unknown station 's2'"),
        (33, "episodes[0].series", "unknown series 'tin'"),
        (35, "episodes[0].available_from", "available_from 2026-02-01 is after expires 2026-01-31"),
        (42, "requirements[0].stations[1]", "unknown station 's9'"),
        (44, "requirements[0].airings", "min 3 is more than max 2"),
        (47, "requirements[0].from", "from 2026-03-01 is after to 2026-01-01"),
        (49, "requirements[0].levels", "levels only narrow an areas selection"),
        (52, "requirements[0].windows[1]", "no covered station has a window 'chieu'"),
        (53, "requirements[0]", "unknown key 'colour'"),
        (54, "requirements[1].code", "duplicate code 'r1' (first at line 38)"),
        (57, "requirements[1].areas[0]", "area 'W' has no station"),
    ]),
    ("flow", FLOW_STYLE, [
        (5, "areas[0].level", "a commune cannot sit under the commune 'C'"),
        (8, "areas[1].parent", "unknown parent area 'X'"),
        (11, "stations[0].area", "unknown area 'Y'"),
        (13, "stations[0].windows[0].end", "end 05:30 is not after start 06:00"),
        (15, "stations[0].blocks[0].duration",
         "60 s from 06:00 runs past the end of window 'sang' at 05:30"),
        (16, "stations[0].blocks[1].window", "unknown window 'toi'"),
        (19, "devices[0].station", "unknown station 's2'"),
        (22, "episodes[0].series", "unknown series 'tin'"),
        (23, "episodes[0].available_from", "available_from 2026-02-01 is after expires 2026-01-31"),
        (26, "requirements[0].stations[1]", "unknown station 's9'"),
        (27, "requirements[0].airings", "min 3 is more than max 2"),
        (29, "requirements[0].from", "from 2026-03-01 is after to 2026-01-01"),
        (30, "requirements[0].levels", "levels only narrow an areas selection"),
        (31, "requirements[0].windows[1]", "no covered station has a window 'chieu'"),
        (32, "requirements[0]", "unknown key 'colour'"),
        (33, "requirements[1].code", "duplicate code 'r1' (first at line 25)"),
        (35, "requirements[1].areas[0]", "area 'W' has no station"),
    ]),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in FIELD_LINES],
                         ids=[case[0] for case in FIELD_LINES])
def test_problems_point_at_the_field_not_the_record(text: str,
                                                   expected: list[tuple[int, str, str]]) -> None:
    found = [(p.line, p.field, p.message) for p in problems_of(text, pathlib.Path("."), KNOWN)]
    assert found == expected


def test_json_problems_point_at_the_field(plan_dir: pathlib.Path) -> None:
    text = ('{\n  "version": 1,\n  "plan": {"code": "p", "title": "P", "issued_by": "C"},\n'
            '  "areas": [\n    {\n      "code": "V",\n      "name": "V",\n      "level": "village",\n'
            '      "parent": "X"\n    }\n  ]\n}\n')
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text, "p.json", plan_dir, KNOWN)
    assert [str(p) for p in caught.value.problems] == ["p.json:9: areas[0].parent: unknown parent area 'X'"]
