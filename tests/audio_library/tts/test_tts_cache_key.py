"""synthesis_cache_key(): equal inputs, equal keys; any difference, a different key, the
settings of the engine that shape the audio included (espeak-ng's speed, gTTS's domain)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from audio_library.tts import EspeakEngine, GttsEngine, synthesis_cache_key

INTRO, OUTRO = "a" * 64, "b" * 64
GTTS, ESPEAK = GttsEngine(), EspeakEngine()
BASE = ("Xin chào bà con", GTTS, "vi", (INTRO, OUTRO))


def test_key_is_sha256_hex_and_stable() -> None:
    key = synthesis_cache_key(*BASE)

    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert synthesis_cache_key(*BASE) == key


@pytest.mark.parametrize(
    ("args", "settings"),
    [
        (("Xin chào bà con!", GTTS, "vi", (INTRO, OUTRO)), {}),
        (("Xin chào bà con", ESPEAK, "vi", (INTRO, OUTRO)), {}),
        (("Xin chào bà con", GTTS, "vi-vn-x-south", (INTRO, OUTRO)), {}),
        (("Xin chào bà con", GTTS, "vi", (OUTRO, INTRO)), {}),
        (("Xin chào bà con", GTTS, "vi", (INTRO, None)), {}),
        (("Xin chào bà con", GTTS, "vi", (None, INTRO)), {}),
        (("Xin chào bà con", GTTS, "vi", ()), {}),
        (("Xin chào bà con", GttsEngine(tld="com.vn"), "vi", (INTRO, OUTRO)), {}),
        (BASE, {"target_lufs": -18.0}),
        (BASE, {"true_peak_db": -1.0}),
    ],
)
def test_every_field_counts(args: tuple, settings: dict) -> None:
    assert synthesis_cache_key(*args, **settings) != synthesis_cache_key(*BASE)


def test_espeak_speed_is_part_of_the_key() -> None:
    slow, fast = EspeakEngine(speed_wpm=120), EspeakEngine(speed_wpm=180)

    assert synthesis_cache_key("Xin chào", slow, "vi", ()) != synthesis_cache_key("Xin chào", fast, "vi", ())
    assert synthesis_cache_key("Xin chào", slow, "vi", ()) == synthesis_cache_key(
        "Xin chào", EspeakEngine(speed_wpm=120), "vi", ())


def test_settings_that_do_not_shape_the_audio_are_left_out() -> None:
    # How long gTTS waits and how often it retries change nothing in the spot.
    patient = GttsEngine(timeout_s=60, retries=5, backoff_s=2.0)

    assert synthesis_cache_key(*BASE) == synthesis_cache_key(BASE[0], patient, *BASE[2:])


def test_engines_expose_the_settings_that_shape_their_audio() -> None:
    assert EspeakEngine(speed_wpm=200).settings == {"speed_wpm": 200, "pause_ms": 0}
    assert GttsEngine(tld="com.vn").settings == {"tld": "com.vn"}


class _PluginEngine:
    """An engine from elsewhere whose setting is no plain value (the key could not name it)."""

    name = "plugin"
    voices = ("vi",)
    settings = {"model": object()}


def test_a_setting_that_is_not_a_plain_value_is_refused() -> None:
    with pytest.raises(ValueError, match="plugin: setting 'model' is of type object, not text, a number or a yes/no"):
        synthesis_cache_key("x", _PluginEngine(), "vi", ())


def test_decomposed_text_has_the_same_key() -> None:
    nfd = unicodedata.normalize("NFD", BASE[0])

    assert synthesis_cache_key(nfd, *BASE[1:]) == synthesis_cache_key(*BASE)


@pytest.mark.parametrize("digest", ["A" * 64, "a" * 63, "../x", ""])
def test_jingle_hashes_must_be_digests(digest: str) -> None:
    with pytest.raises(ValueError, match="not a sha256 digest"):
        synthesis_cache_key("x", GTTS, "vi", (digest, None))


@given(st.text(min_size=1), st.integers(min_value=0), st.integers(min_value=0))
def test_moving_a_field_boundary_changes_the_key(joined: str, first: int, second: int) -> None:
    # Text ending in '","' must not read as a text plus the start of another field.
    cut_a, cut_b = first % len(joined), second % len(joined)
    assume(cut_a != cut_b and unicodedata.normalize("NFC", joined) == joined)
    key_a = synthesis_cache_key(joined[:cut_a], GTTS, joined[cut_a:], ())
    key_b = synthesis_cache_key(joined[:cut_b], GTTS, joined[cut_b:], ())

    assert key_a != key_b


def test_the_region_is_part_of_the_key_even_with_one_voice_for_all() -> None:
    """gTTS speaks every region with one voice; the text's region still makes another spot."""
    keys = {synthesis_cache_key("Xin chào", GTTS, "vi", (), region=region) for region in ("north", "central", "south")}
    assert len(keys) == 3
    assert synthesis_cache_key("Xin chào", GTTS, "vi", ()) == synthesis_cache_key("Xin chào", GTTS, "vi", (),
                                                                                   region="north")


def test_the_pause_is_part_of_the_key() -> None:
    assert synthesis_cache_key("Xin chào", EspeakEngine(pause_ms=300), "vi", ()) != synthesis_cache_key(
        "Xin chào", ESPEAK, "vi", ())
