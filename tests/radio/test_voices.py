"""radio/voices.py: a station's voice, each part inherited on its own (area → station → defaults)."""
from __future__ import annotations

from radio.voices import Voice, plan_voice, voice_of
from tests.factories import create_area, create_station

CONFIG = {"TTS_ESPEAK_SPEED_WPM": 150, "TTS_ESPEAK_PAUSE_MS": 0}


def test_with_nothing_chosen_the_configuration_speaks(db):
    station = create_station(db, create_area(db, "C", "commune", create_area(db, "P")))
    assert voice_of(station, CONFIG) == voice_of(None, CONFIG) == Voice("north", 150, 0)


def test_each_part_comes_from_the_nearest_that_chose_it(db):
    province = create_area(db, "P")
    province.voice_region, province.voice_speed_wpm, province.voice_pause_ms = "central", 130, 500
    commune = create_area(db, "C", "commune", province)
    commune.voice_region = "south"
    station = create_station(db, commune)
    station.voice_speed_wpm = 170
    assert voice_of(province, CONFIG) == Voice("central", 130, 500)
    assert voice_of(commune, CONFIG) == Voice("south", 130, 500)
    assert voice_of(station, CONFIG) == Voice("south", 170, 500)
    station.voice_pause_ms = 0  # chosen: no pause of its own, though the province has one
    assert voice_of(station, CONFIG).pause_ms == 0


def test_a_plan_speaks_in_its_stations_voice_when_they_agree_else_in_its_areas(db):
    province = create_area(db, "P")
    north_commune = create_area(db, "C1", "commune", province)
    south_commune = create_area(db, "C2", "commune", province)
    south_commune.voice_region = "south"
    one, two = create_station(db, north_commune), create_station(db, south_commune)
    assert plan_voice(db, south_commune, CONFIG).region == "south"  # its one station's
    assert plan_voice(db, province, CONFIG).region == "north"  # they differ: the province's own
    one.voice_region = "south"
    db.flush()
    assert plan_voice(db, province, CONFIG).region == "south"  # all its stations read southern
    assert two.voice_region is None
