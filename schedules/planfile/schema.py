"""The keys of each record of the plan format and how their values are read.

While problems are being collected, a value that failed to convert is None (a failed
list item too, so that later checks still name records by their index in the file).
Such a document is never handed out: any None where the format wants a value comes
with a logged problem.
"""

from __future__ import annotations

from functools import partial

from audio_library.speech import MAX_PAUSE_MS, MAX_SPEED_WPM, MIN_SPEED_WPM
from audio_library.text_vi import REGIONS

from .model import (
    BLOCK_KINDS,
    DEFAULT_TIMEZONE,
    FORMAT_VERSION,
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
)
from .nodes import MappingNode, Node
from .values import Keys, ValueReader

_SECTIONS = ("areas", "stations", "devices", "series", "episodes", "requirements")
_VOICE_KEYS = ("voice", "voice_speed", "voice_pause")


def read_document(r: ValueReader, root: Node, source: str) -> PlanDocument | None:
    """The document in ``root``, or None when the top level is not even a mapping."""
    if not isinstance(root, MappingNode):
        r.problem(root, "", "the top level must be a mapping of keys to values", "top_not_mapping")
        return None
    keys = r.mapping(root, "", ("version", "plan"), ("timezone", *_SECTIONS))
    sections = {name: _records(r, keys, name) for name in _SECTIONS}
    return PlanDocument(
        version=keys.get("version", partial(_version, r)),
        timezone=keys.get("timezone", r.timezone, DEFAULT_TIMEZONE),
        plan=keys.get("plan", partial(_plan, r)),
        **sections,
        source=source,
        base_dir=r.base_dir,
        lines=r.lines,
    )


def _records(r: ValueReader, keys: Keys, name: str) -> tuple:
    """One section of records; absent or not a list, it is empty."""
    return keys.get(name, r.list_of(partial(_READERS[name], r)), ())


def _version(r: ValueReader, node: Node, path: str) -> int | None:
    value = r.scalar(node, path)
    if value is not None and value != str(FORMAT_VERSION):
        r.problem(node, path, f"unsupported version '{value}' (this reader knows {FORMAT_VERSION})",
                  "unsupported_version", value=value, known=FORMAT_VERSION)
        return None
    return None if value is None else FORMAT_VERSION


def _plan(r: ValueReader, node: Node, path: str) -> PlanSpec | None:
    keys = r.mapping(node, path, ("code", "title", "issued_by"), ("document", "report_due"))
    if keys is None:
        return None
    return PlanSpec(
        code=keys.get("code", r.code),
        title=keys.get("title", r.text),
        document=keys.get("document", r.text),
        issued_by=keys.get("issued_by", r.code),
        report_due=keys.get("report_due", r.date),
        line=keys.line,
    )


def _area(r: ValueReader, node: Node, path: str) -> AreaSpec | None:
    keys = r.mapping(node, path, ("code", "name", "level"), ("parent", "ended", "admin_code", *_VOICE_KEYS))
    if keys is None:
        return None
    return AreaSpec(
        code=keys.get("code", r.code),
        name=keys.get("name", r.text),
        level=keys.get("level", r.choice(LEVELS, "level")),
        parent=keys.get("parent", r.code),
        ended=keys.get("ended", r.date),
        voice=_voice(r, keys),
        admin_code=keys.get("admin_code", r.code),
        line=keys.line,
    )


def _voice(r: ValueReader, keys: Keys) -> VoiceSpec:
    """The optional voice of an area or a station: region, words per minute, pause in ms."""
    return VoiceSpec(
        region=keys.get("voice", r.choice(REGIONS, "voice region")),
        speed_wpm=keys.get("voice_speed", r.between(MIN_SPEED_WPM, MAX_SPEED_WPM)),
        pause_ms=keys.get("voice_pause", r.between(0, MAX_PAUSE_MS)),
    )


def _station(r: ValueReader, node: Node, path: str) -> StationSpec | None:
    keys = r.mapping(node, path, ("code", "name", "area", "windows"), ("closed", "blocks", *_VOICE_KEYS))
    if keys is None:
        return None
    return StationSpec(
        code=keys.get("code", r.code),
        name=keys.get("name", r.text),
        area=keys.get("area", r.code),
        windows=keys.get("windows", r.list_of(partial(_window, r)), ()),
        closed=keys.get("closed", r.list_of(r.date, unique=True), ()),
        blocks=keys.get("blocks", r.list_of(partial(_block, r)), ()),
        voice=_voice(r, keys),
        line=keys.line,
    )


def _window(r: ValueReader, node: Node, path: str) -> WindowSpec | None:
    keys = r.mapping(node, path, ("name", "days", "start", "end"), ("title", "from", "to"))
    if keys is None:
        return None
    return WindowSpec(
        name=keys.get("name", r.code),
        title=keys.get("title", r.text),
        days=_weekdays(r, keys, ()),
        start=keys.get("start", r.time),
        end=keys.get("end", r.time),
        valid_from=keys.get("from", r.date),
        valid_to=keys.get("to", r.date),
        line=keys.line,
    )


def _weekdays(r: ValueReader, keys: Keys, default: tuple[str, ...]) -> tuple[str, ...]:
    """The ``days`` of a record in week order: they are a set, whatever order they came in."""
    read = r.list_of(r.choice(WEEKDAYS, "weekday"), allow_empty=False, unique=True)
    days = keys.get("days", read, default)
    return tuple(sorted((day for day in days if day is not None), key=WEEKDAYS.index))


def _block(r: ValueReader, node: Node, path: str) -> BlockSpec | None:
    keys = r.mapping(node, path, ("window", "at", "kind", "title", "duration"), ("source",))
    if keys is None:
        return None
    return BlockSpec(
        window=keys.get("window", r.code),
        at=keys.get("at", r.time),
        kind=keys.get("kind", r.choice(BLOCK_KINDS, "kind")),
        title=keys.get("title", r.text),
        source=keys.get("source", r.text),
        duration_s=keys.get("duration", r.positive),
        line=keys.line,
    )


def _device(r: ValueReader, node: Node, path: str) -> DeviceSpec | None:
    keys = r.mapping(node, path, ("code", "area", "station"), ("retired", "lat", "lon"))
    if keys is None:
        return None
    lat, lon = keys.get("lat", r.degrees(-90, 90)), keys.get("lon", r.degrees(-180, 180))
    if ("lat" in keys.fields) != ("lon" in keys.fields):
        r.problem(node, path, "lat and lon go together: give both or neither", "lat_lon_alone")
    return DeviceSpec(
        code=keys.get("code", r.code),
        area=keys.get("area", r.code),
        station=keys.get("station", r.code),
        retired=keys.get("retired", r.date),
        lat=lat,
        lon=lon,
        line=keys.line,
    )


def _series(r: ValueReader, node: Node, path: str) -> SeriesSpec | None:
    keys = r.mapping(node, path, ("code", "title"))
    if keys is None:
        return None
    return SeriesSpec(code=keys.get("code", r.code), title=keys.get("title", r.text),
                      line=keys.line)


def _episode(r: ValueReader, node: Node, path: str) -> EpisodeSpec | None:
    keys = r.mapping(node, path, ("code", "series", "title"),
                     ("audio", "script", "available_from", "expires", "for_requirements"))
    if keys is None:
        return None
    return EpisodeSpec(
        code=keys.get("code", r.code),
        series=keys.get("series", r.code),
        title=keys.get("title", r.text),
        audio=keys.get("audio", r.audio),
        script=keys.get("script", partial(_script, r)),
        available_from=keys.get("available_from", r.date),
        expires=keys.get("expires", r.date),
        line=keys.line,
        for_requirements=keys.get("for_requirements", r.choice(("yes", "no"), "value"), "yes") == "yes",
    )


def _script(r: ValueReader, node: Node, path: str) -> ScriptSpec | None:
    keys = r.mapping(node, path, ("text",))
    if keys is None:
        return None
    return ScriptSpec(text=keys.get("text", r.text), line=keys.line)


def _requirement(r: ValueReader, node: Node, path: str) -> RequirementSpec | None:
    keys = r.mapping(node, path, ("code", "series", "period", "airings", "from", "to"),
                     ("stations", "areas", "levels", "new_episodes", "days", "windows",
                      "duration", "min_gap_days", "priority", "report_due"))
    if keys is None:
        return None
    codes = r.list_of(r.code, allow_empty=False, unique=True)
    levels = r.list_of(r.choice(LEVELS, "level"), allow_empty=False, unique=True)
    airings = keys.get("airings", partial(_bounds, r, ("min",))) or (None, None)
    duration = keys.get("duration", partial(_bounds, r, ())) or (None, None)
    return RequirementSpec(
        code=keys.get("code", r.code),
        series=keys.get("series", r.code),
        stations=keys.get("stations", codes, ()),
        areas=keys.get("areas", codes, ()),
        levels=keys.get("levels", levels, ()),
        period=keys.get("period", r.choice(PERIODS, "period")),
        min=airings[0],
        max=airings[1],
        new_episodes=keys.get("new_episodes", r.count, 0),
        days=_weekdays(r, keys, WEEKDAYS),
        windows=keys.get("windows", r.list_of(r.code, unique=True), ()),
        duration_min=duration[0],
        duration_max=duration[1],
        min_gap_days=keys.get("min_gap_days", r.count, 1),
        date_from=keys.get("from", r.date),
        date_to=keys.get("to", r.date),
        priority=keys.get("priority", r.choice(PRIORITIES, "priority"), "normal"),
        report_due=keys.get("report_due", r.date),
        line=keys.line,
    )


def _bounds(r: ValueReader, required: tuple[str, ...], node: Node,
            path: str) -> tuple[int | None, int | None] | None:
    """A ``{min, max}`` pair of counts, as ``airings`` and ``duration`` are written."""
    keys = r.mapping(node, path, required, [key for key in ("min", "max") if key not in required])
    if keys is None:
        return None
    return keys.get("min", r.count), keys.get("max", r.count)


_READERS = {
    "areas": _area,
    "stations": _station,
    "devices": _device,
    "series": _series,
    "episodes": _episode,
    "requirements": _requirement,
}
