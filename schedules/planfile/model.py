"""The records of a plan file (docs/plan-format.md, version 1) as immutable values.

Every record keeps ``line``, the line of its mapping in the file, so that the database
layer can point back at the file; it is left out of equality, so a record read from a
re-formatted file still equals the original. Text is NFC-normalised by the reader.
"""

from __future__ import annotations

import pathlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time

FORMAT_VERSION = 1
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
LEVELS = ("province", "district", "commune", "village")  # from the top of the tree down
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index == date.weekday()
PERIODS = ("day", "week", "month", "quarter", "year", "campaign")
PRIORITIES = ("normal", "priority")
BLOCK_KINDS = ("relay", "live")


def _line() -> int:
    """A record's line in its file: informative only, so outside equality."""
    return field(default=0, compare=False)  # type: ignore[return-value]


@dataclass(frozen=True)
class PlanSpec:
    """The official plan ("Kế hoạch số …") that the file encodes."""

    code: str
    title: str
    document: str | None
    issued_by: str
    report_due: date | None
    line: int = _line()


@dataclass(frozen=True)
class VoiceSpec:
    """The voice of an area or a station, each part optional (unset: the area's above).

    ``region`` is one of audio_library.text_vi.REGIONS (its word choices and espeak-ng voice),
    ``speed_wpm`` words per minute, ``pause_ms`` the silence after each sentence (0: espeak-ng's own).
    """

    region: str | None = None
    speed_wpm: int | None = None
    pause_ms: int | None = None


@dataclass(frozen=True)
class AreaSpec:
    """A node of the area tree; ``parent`` is a code, in the file or already stored.

    ``ended``: the day the area stopped being served (a village merged away); it is kept for
    the history that refers to it. ``voice``: how its stations' scripts are read, unless a
    station or an area below chooses. ``admin_code``: the official administrative-unit code
    (mã đơn vị hành chính), which emergency alerts (CAP ``<geocode>``) name areas by.
    """

    code: str
    name: str
    level: str
    parent: str | None
    ended: date | None = None
    voice: VoiceSpec = VoiceSpec()
    admin_code: str | None = None
    line: int = _line()


@dataclass(frozen=True)
class WindowSpec:
    """When a station is on air: local times on some weekdays, maybe only seasonally.

    ``name`` is the code that requirements and blocks refer to; ``title``, optional, is how
    people read it ("Buổi sáng"), shown wherever the window reaches a person.
    """

    name: str
    days: tuple[str, ...]
    start: time
    end: time
    valid_from: date | None
    valid_to: date | None
    title: str | None = None
    line: int = _line()


@dataclass(frozen=True)
class BlockSpec:
    """A fixed item inside a window (relay of provincial radio, live reading)."""

    window: str
    at: time
    kind: str
    title: str
    source: str | None
    duration_s: int
    line: int = _line()


@dataclass(frozen=True)
class StationSpec:
    """The radio station of an area, with its windows, closed dates and fixed blocks."""

    code: str
    name: str
    area: str
    windows: tuple[WindowSpec, ...]
    closed: tuple[date, ...]
    blocks: tuple[BlockSpec, ...]
    voice: VoiceSpec = VoiceSpec()
    line: int = _line()


@dataclass(frozen=True)
class DeviceSpec:
    """A village loudspeaker receiver (its secret token is never in a plan file).

    ``retired``: the day it was taken out of use; it is kept for the play logs it sent.
    ``lat``, ``lon``: where it stands, in WGS 84 degrees (the loudspeakers map), if known.
    """

    code: str
    area: str
    station: str
    retired: date | None = None
    lat: float | None = None
    lon: float | None = None
    line: int = _line()


@dataclass(frozen=True)
class SeriesSpec:
    """A recurring column (chuyên mục) whose episodes requirements ask for."""

    code: str
    title: str
    line: int = _line()


@dataclass(frozen=True)
class ScriptSpec:
    """Text to be read out or voiced; it arrives as ``submitted``, never approved."""

    text: str
    line: int = _line()


@dataclass(frozen=True)
class EpisodeSpec:
    """An airable item: audio (an absolute path), a script, or neither yet.

    With both, the audio is the script read out (voiced or recorded): it airs, and counts as
    the voicing of the script's approved version when that version has the same text.
    """

    code: str
    series: str
    title: str
    audio: pathlib.Path | None
    script: ScriptSpec | None
    available_from: date | None
    expires: date | None
    line: int = _line()
    # Meant for its series' requirements (the planner fills their slots with it); `no` for a
    # one-off notice filed in the series.
    for_requirements: bool = True


@dataclass(frozen=True)
class RequirementSpec:
    """What must be aired, where and how often; see "Meaning of a requirement".

    ``days`` is in week order and all seven when the file omits it; an empty
    ``windows`` allows every window; ``min``/``max`` come from ``airings``.
    """

    code: str
    series: str
    stations: tuple[str, ...]
    areas: tuple[str, ...]
    levels: tuple[str, ...]
    period: str
    min: int
    max: int | None
    new_episodes: int
    days: tuple[str, ...]
    windows: tuple[str, ...]
    duration_min: int | None
    duration_max: int | None
    min_gap_days: int
    date_from: date
    date_to: date
    priority: str
    report_due: date | None
    line: int = _line()


@dataclass(frozen=True)
class PlanDocument:
    """A whole plan file; sections keep file order.

    ``source`` (the file name) and ``base_dir`` (where relative audio paths were
    resolved) say where the document came from and are outside equality. ``lines`` maps
    the path of every field (``areas[2].parent``: its key's line) and list item
    (``requirements[0].stations[1]``) read from the file to its line, so that a problem
    found later points at the field rather than at its record; a document built in code
    has none.
    """

    version: int
    timezone: str
    plan: PlanSpec
    areas: tuple[AreaSpec, ...]
    stations: tuple[StationSpec, ...]
    devices: tuple[DeviceSpec, ...]
    series: tuple[SeriesSpec, ...]
    episodes: tuple[EpisodeSpec, ...]
    requirements: tuple[RequirementSpec, ...]
    source: str = field(default="", compare=False)
    base_dir: pathlib.Path | None = field(default=None, compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class KnownRecords:
    """Records already in the database, which a file may refer to by code.

    ``areas`` maps code -> (level, parent code); ``stations`` maps code -> (area code,
    window names). A record in the file replaces a known one with the same code.
    """

    areas: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)
    stations: Mapping[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    series: frozenset[str] = frozenset()
