"""Writing plan files: dump_plan's text reads back to an equal document."""

from __future__ import annotations

import dataclasses
import pathlib
import shutil
import unicodedata
from datetime import date, time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from schedules.planfile import (
    LEVELS,
    PERIODS,
    PRIORITIES,
    WEEKDAYS,
    AreaSpec,
    BlockSpec,
    DeviceSpec,
    EpisodeSpec,
    PlanDocument,
    PlanSpec,
    RequirementSpec,
    ScriptSpec,
    SeriesSpec,
    StationSpec,
    VoiceSpec,
    WindowSpec,
    dump_plan,
    load_plan,
    parse_plan,
)

EXAMPLE = pathlib.Path(__file__).parent / "data" / "planfile_example.yaml"
AUDIO_NAMES = ("a.mp3", "tin tức/b.mp3")


@pytest.fixture
def example(tmp_path: pathlib.Path) -> PlanDocument:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "cds-w48.mp3").write_bytes(b"ID3")
    return load_plan(pathlib.Path(shutil.copy(EXAMPLE, tmp_path / "plan.yaml")))


def test_the_example_survives_a_round_trip(example: PlanDocument) -> None:
    text = dump_plan(example)
    assert parse_plan(text, "out.yaml", example.base_dir) == example
    assert 'audio: "media/cds-w48.mp3"' in text


def test_every_string_is_quoted(example: PlanDocument) -> None:
    """Even a type-guessing YAML reader gets text back, and numbers only for counts."""
    data = yaml.safe_load(dump_plan(example))
    station = data["stations"][0]
    assert data["version"] == 1 and station["blocks"][0]["duration"] == 600
    assert station["windows"][0]["start"] == "05:30"
    assert station["closed"] == ["2027-02-16", "2027-02-17"]
    assert data["requirements"][0]["from"] == "2026-11-23"


def test_optional_values_at_their_default_are_left_out(example: PlanDocument) -> None:
    data = yaml.safe_load(dump_plan(example))
    assert [set(window) for window in data["stations"][0]["windows"]] == [
        {"name", "days", "start", "end"}, {"name", "title", "days", "start", "end", "from", "to"}]
    assert set(data["requirements"][0]) == {
        "code", "series", "stations", "period", "airings", "new_episodes", "days", "windows",
        "duration", "from", "to", "report_due"}
    assert set(data["episodes"][1]) == {"code", "series", "title", "script"}
    assert data["areas"][0] == {"code": "TH", "name": "Thanh Hóa", "level": "province"}


def test_an_ended_area_and_a_retired_device_are_written_with_their_day(example: PlanDocument) -> None:
    village = dataclasses.replace(example.areas[3], ended=date(2026, 12, 15))
    device = dataclasses.replace(example.devices[0], retired=date(2026, 12, 14))
    doc = dataclasses.replace(example, areas=example.areas[:3] + (village,), devices=(device,))
    data = yaml.safe_load(dump_plan(doc))
    assert data["areas"][3]["ended"] == "2026-12-15" and data["devices"][0]["retired"] == "2026-12-14"
    assert "ended" not in data["areas"][2]
    assert parse_plan(dump_plan(doc), "out.yaml", example.base_dir) == doc


def test_a_chosen_voice_is_written_and_read_back(example: PlanDocument) -> None:
    province = dataclasses.replace(example.areas[0], voice=VoiceSpec(region="central", pause_ms=400))
    station = dataclasses.replace(example.stations[0], voice=VoiceSpec("south", 140, 0))
    doc = dataclasses.replace(example, areas=(province, *example.areas[1:]), stations=(station,))
    data = yaml.safe_load(dump_plan(doc))
    assert (data["areas"][0]["voice"], data["areas"][0]["voice_pause"]) == ("central", 400)
    assert "voice_speed" not in data["areas"][0] and "voice" not in data["areas"][1]
    assert {k: data["stations"][0][k] for k in ("voice", "voice_speed", "voice_pause")} == {
        "voice": "south", "voice_speed": 140, "voice_pause": 0}
    assert parse_plan(dump_plan(doc), "out.yaml", example.base_dir) == doc


def test_media_paths_say_where_the_audio_will_be(example: PlanDocument) -> None:
    text = dump_plan(example, media_paths={"cds-w48": "audio/0001.mp3"})
    assert 'audio: "audio/0001.mp3"' in text


def test_audio_outside_the_plan_folder_needs_a_media_path(example: PlanDocument) -> None:
    elsewhere = dataclasses.replace(example, base_dir=pathlib.Path("/nowhere"))
    with pytest.raises(ValueError, match="cds-w48"):
        dump_plan(elsewhere)


# -- property: any valid document survives dump_plan then parse_plan ------------------

CODES = st.one_of(
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,5}", fullmatch=True),
    st.sampled_from(["01", "NO", "yes", "null", "~", "1e3", "17:30", "[x]", "#1"]),
)
TEXT = st.text(alphabet="aăâbcdđeêhiklmnoôơpqrstuưvxyÀÁẢÃẠàáảãạệộ TK-'\"\\:#,{}[]\n\t",
               min_size=1, max_size=20).map(lambda s: unicodedata.normalize("NFC", s)) \
    .filter(lambda s: s.strip())
DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
MAYBE_DATE = st.none() | DATES


def DEGREES(limit: int) -> st.SearchStrategy[float]:  # noqa: N802 (a strategy, named like the others)
    return st.floats(-limit, limit, allow_nan=False).map(lambda value: round(value, 7) + 0.0)


@st.composite
def weekdays(draw: st.DrawFn) -> tuple[str, ...]:
    days = draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1))
    return tuple(day for day in WEEKDAYS if day in days)


@st.composite
def date_range(draw: st.DrawFn, optional: bool) -> tuple[date | None, date | None]:
    first, last = sorted(draw(st.lists(DATES, min_size=2, max_size=2)))
    if optional:
        return draw(st.sampled_from([(first, last), (first, None), (None, last), (None, None)]))
    return first, last


@st.composite
def windows(draw: st.DrawFn) -> tuple[WindowSpec, ...]:
    names = draw(st.lists(CODES, min_size=1, max_size=3, unique=True))
    result = []
    for name in names:
        start, end = sorted(draw(st.lists(st.integers(0, 24 * 60 - 1), min_size=2, max_size=2,
                                          unique=True)))
        valid_from, valid_to = draw(date_range(optional=True))
        result.append(WindowSpec(name, draw(weekdays()), time(*divmod(start, 60)),
                                 time(*divmod(end, 60)), valid_from, valid_to, draw(st.none() | TEXT)))
    return tuple(result)


@st.composite
def blocks(draw: st.DrawFn, window: WindowSpec) -> tuple[BlockSpec, ...]:
    length = 60 * ((window.end.hour - window.start.hour) * 60
                   + window.end.minute - window.start.minute)
    block = BlockSpec(window.name, window.start, draw(st.sampled_from(["relay", "live"])),
                      draw(TEXT), draw(st.none() | TEXT), draw(st.integers(1, length)))
    return draw(st.sampled_from([(), (block,)]))


@st.composite
def episodes(draw: st.DrawFn, series: list[str], media: pathlib.Path) -> tuple[EpisodeSpec, ...]:
    codes = draw(st.lists(CODES, max_size=3, unique=True))
    result = []
    for code in codes:
        audio = draw(st.none() | st.sampled_from(AUDIO_NAMES).map(lambda name: media / name))
        script = None if audio else draw(st.none() | TEXT.map(ScriptSpec))
        available_from, expires = draw(date_range(optional=True))
        result.append(EpisodeSpec(code, draw(st.sampled_from(series)), draw(TEXT), audio, script,
                                  available_from, expires, for_requirements=draw(st.booleans())))
    return tuple(result)


@st.composite
def requirements(draw: st.DrawFn, series: list[str], station: StationSpec,
                 province: str) -> tuple[RequirementSpec, ...]:
    low = draw(st.integers(0, 5))
    duration = sorted(draw(st.lists(st.integers(0, 600), min_size=2, max_size=2)))
    by_area = draw(st.booleans())
    date_from, date_to = draw(date_range(optional=False))
    window_names = [window.name for window in station.windows]
    return (RequirementSpec(
        code=draw(CODES), series=draw(st.sampled_from(series)),
        stations=() if by_area else (station.code,), areas=(province,) if by_area else (),
        levels=draw(st.sampled_from([(), ("commune",), ("district", "commune")]))
        if by_area else (),
        period=draw(st.sampled_from(PERIODS)), min=low, max=draw(st.none() | st.integers(low, 9)),
        new_episodes=draw(st.integers(0, 3)), days=draw(weekdays()),
        windows=tuple(draw(st.lists(st.sampled_from(window_names), unique=True))),
        duration_min=draw(st.sampled_from([duration[0], None])),
        duration_max=draw(st.sampled_from([duration[1], None])),
        min_gap_days=draw(st.integers(0, 7)), date_from=date_from, date_to=date_to,
        priority=draw(st.sampled_from(PRIORITIES)), report_due=draw(MAYBE_DATE)),)


VOICES = st.builds(VoiceSpec, st.none() | st.sampled_from(["north", "central", "south"]),
                   st.none() | st.integers(80, 450), st.none() | st.integers(0, 3000))


@st.composite
def documents(draw: st.DrawFn, media: pathlib.Path) -> PlanDocument:
    """A small valid document: province > commune > village, one station, its requirement."""
    province, commune, village, station_code = draw(st.lists(CODES, min_size=4, max_size=4,
                                                             unique=True))
    areas = (AreaSpec(province, draw(TEXT), "province", None, voice=draw(VOICES)),
             AreaSpec(commune, draw(TEXT), "commune", province),
             AreaSpec(village, draw(TEXT), LEVELS[3], commune, draw(MAYBE_DATE)))
    station_windows = draw(windows())
    station = StationSpec(station_code, draw(TEXT), commune, station_windows,
                          tuple(draw(st.lists(DATES, max_size=3, unique=True))),
                          draw(blocks(station_windows[0])), draw(VOICES))
    series = draw(st.lists(CODES, min_size=1, max_size=3, unique=True))
    return PlanDocument(
        version=1,
        timezone=draw(st.sampled_from(["Asia/Ho_Chi_Minh", "Asia/Bangkok", "UTC"])),
        plan=PlanSpec(draw(CODES), draw(TEXT), draw(st.none() | TEXT), commune, draw(MAYBE_DATE)),
        areas=areas,
        stations=(station,),
        devices=draw(st.sampled_from([(), (DeviceSpec(draw(CODES), village, station_code, draw(MAYBE_DATE),
                                                      *draw(st.none() | st.tuples(DEGREES(90), DEGREES(180)))
                                                      or (None, None)),)])),
        series=tuple(SeriesSpec(code, draw(TEXT)) for code in series),
        episodes=draw(episodes(series, media)),
        requirements=draw(requirements(series, station, province)),
        base_dir=media.parent,
    )


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    media = tmp_path_factory.mktemp("plan") / "media"
    for name in AUDIO_NAMES:
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(b"ID3")
    return media


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_any_valid_document_survives_a_round_trip(media_dir: pathlib.Path,
                                                  data: st.DataObject) -> None:
    doc = data.draw(documents(media_dir))
    assert parse_plan(dump_plan(doc), "out.yaml", media_dir.parent) == doc


def test_an_areas_official_code_is_written_and_read_back(example: PlanDocument) -> None:
    commune = dataclasses.replace(example.areas[2], admin_code="16279")
    doc = dataclasses.replace(example, areas=(*example.areas[:2], commune, *example.areas[3:]))
    data = yaml.safe_load(dump_plan(doc))
    assert data["areas"][2]["admin_code"] == "16279" and "admin_code" not in data["areas"][1]
    assert parse_plan(dump_plan(doc), "out.yaml", example.base_dir) == doc


def test_an_episode_not_meant_for_the_requirements_keeps_its_marking(example: PlanDocument) -> None:
    notice = dataclasses.replace(example.episodes[0], for_requirements=False)
    doc = dataclasses.replace(example, episodes=(notice, *example.episodes[1:]))
    data = yaml.safe_load(dump_plan(doc))
    assert data["episodes"][0]["for_requirements"] == "no" and "for_requirements" not in data["episodes"][1]
    assert parse_plan(dump_plan(doc), "out.yaml", example.base_dir) == doc
    assert example.episodes[1].for_requirements  # the default: meant for them


def test_for_requirements_takes_yes_or_no(example: PlanDocument) -> None:
    from schedules.planfile import PlanFileError

    text = dump_plan(example).replace('title: "Khẩu hiệu 1"', 'title: "Khẩu hiệu 1"\n    for_requirements: maybe')
    with pytest.raises(PlanFileError, match="for_requirements"):
        parse_plan(text, "out.yaml", example.base_dir)
