"""Reading valid plan files: values, line numbers, text handling, JSON, stored records."""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys
import unicodedata
from datetime import date, time

import pytest
import yaml

from schedules.planfile import (
    WEEKDAYS,
    AreaSpec,
    BlockSpec,
    DeviceSpec,
    EpisodeSpec,
    KnownRecords,
    PlanDocument,
    PlanFileError,
    PlanSpec,
    Problem,
    RequirementSpec,
    ScriptSpec,
    SeriesSpec,
    StationSpec,
    WindowSpec,
    load_plan,
    parse_plan,
)

EXAMPLE = pathlib.Path(__file__).parent / "data" / "planfile_example.yaml"
FORMAT_PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "plan-format.md"
SIX_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA")


@pytest.fixture
def example_path(tmp_path: pathlib.Path) -> pathlib.Path:
    """docs/plan-format.md's example beside the (dummy) audio file it names."""
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "cds-w48.mp3").write_bytes(b"ID3")
    return pathlib.Path(shutil.copy(EXAMPLE, tmp_path / "plan.yaml"))


def test_the_format_page_shows_this_example():
    """The example of docs/plan-format.md is the file these tests read, so it stays valid."""
    shown = FORMAT_PAGE.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    assert yaml.load(shown, Loader=yaml.BaseLoader) == yaml.load(EXAMPLE.read_text(encoding="utf-8"),
                                                                 Loader=yaml.BaseLoader)


def expected_example(base_dir: pathlib.Path) -> PlanDocument:
    return PlanDocument(
        version=1,
        timezone="Asia/Ho_Chi_Minh",
        plan=PlanSpec("tk-2026", "Kế hoạch tuyên truyền về chuyển đổi số xã Thanh Kỳ năm 2026",
                      "12/KH-UBND", "TH-NT-TK", date(2026, 12, 15)),
        areas=(
            AreaSpec("TH", "Thanh Hóa", "province", None),
            AreaSpec("TH-NT", "huyện Như Thanh", "district", "TH"),
            AreaSpec("TH-NT-TK", "xã Thanh Kỳ", "commune", "TH-NT"),
            AreaSpec("TH-NT-TK-01", "Thôn 1", "village", "TH-NT-TK"),
        ),
        stations=(StationSpec(
            "thanhky", "Đài truyền thanh xã Thanh Kỳ", "TH-NT-TK",
            windows=(
                WindowSpec("sang", SIX_DAYS, time(5, 30), time(6, 0), None, None),
                WindowSpec("chieu", SIX_DAYS, time(17, 0), time(17, 30),
                           date(2026, 4, 1), date(2026, 9, 30), title="Buổi chiều mùa hè"),
            ),
            closed=(date(2027, 2, 16), date(2027, 2, 17)),
            blocks=(BlockSpec("sang", time(5, 30), "relay", "Tiếp sóng Đài tỉnh",
                              "http://example.invalid/stream", 600),),
        ),),
        devices=(DeviceSpec("loa-tk-01", "TH-NT-TK-01", "thanhky", lat=21.0285, lon=105.8542),),
        series=(SeriesSpec("cds", "Chuyên mục Chuyển đổi số"),
                SeriesSpec("khau-hieu", "Khẩu hiệu")),
        episodes=(
            EpisodeSpec("cds-w48", "cds", "Bản tin chuyển đổi số tuần 48",
                        base_dir / "media" / "cds-w48.mp3", None,
                        date(2026, 11, 23), date(2027, 1, 31)),
            EpisodeSpec("slogan-1", "khau-hieu", "Khẩu hiệu 1", None,
                        ScriptSpec("Chào mừng Ngày Chuyển đổi số quốc gia 10/10."), None, None),
        ),
        requirements=(RequirementSpec(
            code="tk-cds-weekly", series="cds", stations=("thanhky",), areas=(), levels=(),
            period="week", min=2, max=2, new_episodes=1, days=("TU", "TH"),
            windows=("sang", "chieu"), duration_min=120, duration_max=180, min_gap_days=1,
            date_from=date(2026, 11, 23), date_to=date(2026, 12, 31), priority="normal",
            report_due=date(2027, 1, 5)),),
    )


def test_the_format_example_reads_to_the_expected_values(example_path: pathlib.Path) -> None:
    doc = load_plan(example_path)
    assert doc == expected_example(example_path.parent)
    assert doc.source == str(example_path)
    assert doc.episodes[0].audio.is_absolute()


def test_without_libyaml_the_result_is_the_same(example_path: pathlib.Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml only speeds reading up; the pure-Python composer gives the same records."""
    fast = load_plan(example_path)
    monkeypatch.delattr(yaml, "CBaseLoader", raising=False)
    slow = load_plan(example_path)
    assert slow == fast
    assert [area.line for area in slow.areas] == [area.line for area in fast.areas] \
        == [11, 12, 13, 14]


def test_records_carry_the_line_of_their_mapping(example_path: pathlib.Path) -> None:
    doc = load_plan(example_path)
    station = doc.stations[0]
    lines = {
        "plan": doc.plan.line, "area TH": doc.areas[0].line, "station": station.line,
        "window chieu": station.windows[1].line, "block": station.blocks[0].line,
        "device": doc.devices[0].line, "episode slogan-1": doc.episodes[1].line,
        "its script": doc.episodes[1].script.line, "requirement": doc.requirements[0].line,
    }
    assert lines == {
        "plan": 4, "area TH": 11, "station": 17, "window chieu": 22, "block": 26,
        "device": 30, "episode slogan-1": 44, "its script": 48, "requirement": 51,
    }


MINIMAL = """\
version: 1
plan: {code: p, title: Plan, issued_by: C}
areas:
  - {code: C, name: Commune, level: commune}
"""


def test_defaults_of_optional_values() -> None:
    text = MINIMAL + """\
stations:
  - {code: s, name: S, area: C, windows: [{name: w, days: [MO], start: "05:00", end: "06:00"}]}
series: [{code: cds, title: Series}]
requirements:
  - {code: r, series: cds, stations: [s], period: week, airings: {min: 1},
     from: "2026-01-01", to: "2026-01-31"}
"""
    doc = parse_plan(text, "p.yaml", pathlib.Path("."))
    req = doc.requirements[0]
    assert doc.timezone == "Asia/Ho_Chi_Minh"
    assert doc.stations[0].closed == () and doc.stations[0].blocks == ()
    assert doc.stations[0].windows[0].title is None  # shown by its name, or the usual words for it
    assert (req.max, req.new_episodes, req.days, req.windows, req.levels) \
        == (None, 0, WEEKDAYS, (), ())
    assert (req.duration_min, req.duration_max, req.min_gap_days, req.priority, req.report_due) \
        == (None, None, 1, "normal", None)


def test_an_area_may_have_ended_and_a_device_may_be_retired() -> None:
    """Both optional: a file written before they existed reads as before (nothing ended)."""
    text = MINIMAL + """\
  - {code: C-01, name: Thôn 1, level: village, parent: C, ended: "2026-12-15"}
  - {code: C-02, name: Thôn 2, level: village, parent: C}
stations:
  - {code: s, name: S, area: C, windows: [{name: w, days: [MO], start: "05:00", end: "06:00"}]}
devices:
  - {code: d1, area: C-01, station: s, retired: "2026-12-14"}
  - {code: d2, area: C-02, station: s}
"""
    doc = parse_plan(text, "p.yaml", pathlib.Path("."))
    assert [a.ended for a in doc.areas] == [None, date(2026, 12, 15), None]
    assert [d.retired for d in doc.devices] == [date(2026, 12, 14), None]
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text.replace('retired: "2026-12-14"', 'retired: "14/12/2026"'), "p.yaml", pathlib.Path("."))
    assert caught.value.problems == [
        Problem("p.yaml", 10, "devices[0].retired", "must be a date YYYY-MM-DD, got '14/12/2026'")]


def test_an_area_may_carry_its_official_code() -> None:
    """What CAP alerts' <geocode> name areas by; a number unquoted reads the same."""
    text = MINIMAL + """\
  - {code: C-01, name: Thôn 1, level: village, parent: C, admin_code: 16279}
  - {code: C-02, name: Thôn 2, level: village, parent: C, admin_code: "09253"}
"""
    doc = parse_plan(text, "p.yaml", pathlib.Path("."))
    assert [a.admin_code for a in doc.areas] == [None, "16279", "09253"]


def test_an_episode_may_have_audio_and_its_script(tmp_path: pathlib.Path) -> None:
    """As a voiced script is exported: the audio is the script read out."""
    (tmp_path / "slogan.mp3").write_bytes(b"ID3")
    text = MINIMAL + """\
series: [{code: cds, title: Series}]
episodes:
  - {code: e, series: cds, title: E, audio: slogan.mp3, script: {text: "Chào mừng."}}
"""
    episode = parse_plan(text, "p.yaml", tmp_path).episodes[0]
    assert (episode.audio, episode.script.text) == (tmp_path / "slogan.mp3", "Chào mừng.")


@pytest.mark.parametrize(("scalar", "expected"), [
    ("01", "01"),        # not the number 1
    ("NO", "NO"),        # not the boolean false (YAML 1.1's Norway problem)
    ("0x1F", "0x1F"),
    ("1e3", "1e3"),
    ("'null'", "null"),  # quoted, so text
])
def test_codes_stay_text(scalar: str, expected: str) -> None:
    text = MINIMAL.replace("code: C,", f"code: {scalar},") \
        .replace("issued_by: C", f"issued_by: {scalar}")
    assert parse_plan(text, "p.yaml", pathlib.Path(".")).areas[0].code == expected


@pytest.mark.parametrize(("start", "end"), [
    ("17:30", "18:00"),      # YAML 1.1 would read 17:30 as the base-60 number 1050
    ("05:30", "06:00"),
    ('"05:30"', "'06:00'"),
])
def test_unquoted_times_are_times(start: str, end: str) -> None:
    text = MINIMAL + (f"stations:\n  - {{code: s, name: S, area: C, windows: "
                      f"[{{name: w, days: [MO], start: {start}, end: {end}}}]}}\n")
    window = parse_plan(text, "p.yaml", pathlib.Path(".")).stations[0].windows[0]
    assert (window.start, window.end) == (time.fromisoformat(start.strip("'\"")),
                                          time.fromisoformat(end.strip("'\"")))


def test_weekdays_come_in_week_order() -> None:
    text = MINIMAL + ("stations:\n  - {code: s, name: S, area: C, windows: "
                      "[{name: w, days: [SU, TH, MO], start: '05:00', end: '06:00'}]}\n")
    window = parse_plan(text, "p.yaml", pathlib.Path(".")).stations[0].windows[0]
    assert window.days == ("MO", "TH", "SU")


def test_decomposed_vietnamese_comes_out_composed() -> None:
    name = "Thôn Đồng Mười"
    text = unicodedata.normalize("NFD", MINIMAL.replace("name: Commune", f"name: {name}"))
    assert text != unicodedata.normalize("NFC", text)
    doc = parse_plan(text, "p.yaml", pathlib.Path("."))
    assert doc.areas[0].name == name == unicodedata.normalize("NFC", doc.areas[0].name)


def test_x_keys_are_ignored_at_any_level() -> None:
    text = MINIMAL.replace("version: 1", "version: 1\nx-author: Phòng VH-TT") \
        .replace("issued_by: C}", "issued_by: C, x-note: {any: [thing]}}") + """\
series:
  - code: cds
    title: Series
    x-comment: reviewed 2026-01-02
"""
    doc = parse_plan(text, "p.yaml", pathlib.Path("."))
    assert doc.series == (SeriesSpec("cds", "Series"),)


def test_unquoted_null_means_absent_but_quoted_null_is_text() -> None:
    text = MINIMAL.replace("issued_by: C}", "issued_by: C, document: ~, report_due: null}") \
        .replace("name: Commune", "name: 'null'")
    doc = parse_plan(text, "p.yaml", pathlib.Path("."))
    assert (doc.plan.document, doc.plan.report_due, doc.areas[0].name) == (None, None, "null")


def test_json_reads_like_yaml_with_line_numbers(example_path: pathlib.Path) -> None:
    data = yaml.load(example_path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    json_path = example_path.with_suffix(".json")
    json_path.write_text(json.dumps(data, indent="\t", ensure_ascii=False), encoding="utf-8")
    doc = load_plan(json_path)
    assert doc == expected_example(example_path.parent)
    lines = json_path.read_text(encoding="utf-8").splitlines()
    assert '"code": "TH-NT"' in lines[doc.areas[1].line]  # the line after the record's "{"
    assert lines[doc.areas[1].line - 1].strip() == "{"
    assert '"code": "tk-cds-weekly"' in lines[doc.requirements[0].line]


def test_json_null_and_unicode_escapes() -> None:
    plan = {"code": "p", "title": "K\u1ebf ho\u1ea1ch \U0001F4FB", "issued_by": "C",
            "document": None}
    text = json.dumps({"version": "1", "plan": plan,
                       "areas": [{"code": "C", "name": "Commune", "level": "commune"}]})
    doc = parse_plan(text, "p.json", pathlib.Path("."))
    assert (doc.plan.title, doc.plan.document) == ("Kế hoạch \U0001F4FB", None)


def test_json_numbers_are_read_as_the_format_says() -> None:
    text = json.dumps({"version": 1, "plan": {"code": "p", "title": "P", "issued_by": "C"},
                       "areas": [{"code": "C", "name": "C", "level": "commune"}],
                       "series": [{"code": 1, "title": "One"}]})
    assert parse_plan(text, "p.json", pathlib.Path(".")).series[0].code == "1"


def test_references_may_resolve_to_stored_records() -> None:
    known = KnownRecords(
        areas={"TH": ("province", None), "TH-TK": ("commune", "TH")},
        stations={"tk": ("TH-TK", frozenset({"sang"}))},
        series=frozenset({"cds"}),
    )
    text = """\
version: 1
plan: {code: p, title: Plan, issued_by: TH-TK}
areas:
  - {code: TH-TK-01, name: Thôn 1, level: village, parent: TH-TK}
devices:
  - {code: d, area: TH-TK-01, station: tk}
episodes:
  - {code: e, series: cds, title: E}
requirements:
  - {code: r, series: cds, areas: [TH], levels: [commune], windows: [sang], period: month,
     airings: {min: 1}, from: "2026-01-01", to: "2026-12-31"}
"""
    doc = parse_plan(text, "p.yaml", pathlib.Path("."), known)
    assert doc.requirements[0].areas == ("TH",)
    with pytest.raises(PlanFileError):
        parse_plan(text, "p.yaml", pathlib.Path("."))


def test_a_file_record_replaces_a_stored_one_with_the_same_code() -> None:
    """The stored station had window 'sang'; the file's version of it has only 'toi'."""
    known = KnownRecords(areas={"C": ("commune", None)},
                         stations={"s": ("C", frozenset({"sang"}))}, series=frozenset({"cds"}))
    text = """\
version: 1
plan: {code: p, title: Plan, issued_by: C}
stations:
  - {code: s, name: S, area: C, windows: [{name: toi, days: [MO], start: "19:00", end: "19:30"}]}
requirements:
  - {code: r, series: cds, stations: [s], windows: [sang], period: week, airings: {min: 1},
     from: "2026-01-01", to: "2026-12-31"}
"""
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text, "p.yaml", pathlib.Path("."), known)
    assert caught.value.problems == [
        Problem("p.yaml", 6, "requirements[0].windows[0]",
                "no covered station has a window 'sang'"),
    ]


def test_an_areas_selection_covers_stations_below_the_area(example_path: pathlib.Path) -> None:
    text = example_path.read_text(encoding="utf-8").replace(
        "stations: [thanhky]", "areas: [TH]\n    levels: [commune]")
    doc = parse_plan(text, "p.yaml", example_path.parent)
    assert (doc.requirements[0].areas, doc.requirements[0].levels) == (("TH",), ("commune",))


def test_the_core_stays_pure() -> None:
    """schedules.planfile must not pull in the web or database layers."""
    code = ("import sys, schedules.planfile; print(sorted("
            "{m.split('.')[0] for m in sys.modules} & {'flask', 'sqlalchemy', 'radio'}))")
    root = pathlib.Path(__file__).parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"
