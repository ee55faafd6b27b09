"""Which voice reads a station's or an area's scripts: region, speed and pause, inherited.

Each of the three is chosen on its own: a station's unset one is its area's, an area's unset
one is the nearest area's above, and with none chosen anywhere the configuration's (the
northern voice, TTS_ESPEAK_SPEED_WPM, TTS_ESPEAK_PAUSE_MS).

An episode is one recording aired by every station of its plan, so it is voiced once: in
the voice all the stations at and below the plan's issuing area agree on, or else (they
differ) in the issuing area's own voice.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .area_tree import subtree_ids
from .models import Area, Station

DEFAULT_REGION = "north"
FIELDS = ("voice_region", "voice_speed_wpm", "voice_pause_ms")


@dataclass(frozen=True)
class Voice:
    region: str  # one of audio_library.text_vi.REGIONS
    speed_wpm: int
    pause_ms: int


def voice_of(holder: Station | Area | None, config: Mapping) -> Voice:
    """The voice of a station or an area (None: the configuration's)."""
    chain: list = []
    if isinstance(holder, Station):
        chain = [holder, *holder.area.ancestors_and_self()]
    elif holder is not None:
        chain = holder.ancestors_and_self()
    region, speed, pause = (next((getattr(node, name) for node in chain if getattr(node, name) is not None), None)
                            for name in FIELDS)
    return Voice(region=region or DEFAULT_REGION,
                 speed_wpm=speed if speed is not None else int(config["TTS_ESPEAK_SPEED_WPM"]),
                 pause_ms=pause if pause is not None else int(config["TTS_ESPEAK_PAUSE_MS"]))


def plan_voice(session: Session, issued_by: Area, config: Mapping) -> Voice:
    """The voice of a plan's episodes: its stations' if they agree, else its issuing area's."""
    stations = session.scalars(select(Station).where(Station.area_id.in_(subtree_ids(session, [issued_by.id])))).all()
    voices = {voice_of(station, config) for station in stations}
    return voices.pop() if len(voices) == 1 else voice_of(issued_by, config)
