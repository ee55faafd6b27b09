"""synthesis_cache_key(): equal inputs, equal keys; any difference, a different key."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from audio_library.tts import synthesis_cache_key

INTRO, OUTRO = "a" * 64, "b" * 64
BASE = ("Xin chào bà con", "gtts", "vi", (INTRO, OUTRO))


def test_key_is_sha256_hex_and_stable() -> None:
    key = synthesis_cache_key(*BASE)

    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert synthesis_cache_key(*BASE) == key


@pytest.mark.parametrize(
    ("args", "settings"),
    [
        (("Xin chào bà con!", "gtts", "vi", (INTRO, OUTRO)), {}),
        (("Xin chào bà con", "espeak-ng", "vi", (INTRO, OUTRO)), {}),
        (("Xin chào bà con", "gtts", "vi-vn-x-south", (INTRO, OUTRO)), {}),
        (("Xin chào bà con", "gtts", "vi", (OUTRO, INTRO)), {}),
        (("Xin chào bà con", "gtts", "vi", (INTRO, None)), {}),
        (("Xin chào bà con", "gtts", "vi", (None, INTRO)), {}),
        (("Xin chào bà con", "gtts", "vi", ()), {}),
        (BASE, {"target_lufs": -18.0}),
        (BASE, {"true_peak_db": -1.0}),
    ],
)
def test_every_field_counts(args: tuple, settings: dict) -> None:
    assert synthesis_cache_key(*args, **settings) != synthesis_cache_key(*BASE)


def test_decomposed_text_has_the_same_key() -> None:
    nfd = unicodedata.normalize("NFD", BASE[0])

    assert synthesis_cache_key(nfd, *BASE[1:]) == synthesis_cache_key(*BASE)


@pytest.mark.parametrize("digest", ["A" * 64, "a" * 63, "../x", ""])
def test_jingle_hashes_must_be_digests(digest: str) -> None:
    with pytest.raises(ValueError, match="not a sha256 digest"):
        synthesis_cache_key("x", "gtts", "vi", (digest, None))


@given(st.text(min_size=1), st.integers(min_value=0), st.integers(min_value=0))
def test_moving_a_field_boundary_changes_the_key(joined: str, first: int, second: int) -> None:
    # Text ending in '","' must not read as a text plus the start of another field.
    cut_a, cut_b = first % len(joined), second % len(joined)
    assume(cut_a != cut_b and unicodedata.normalize("NFC", joined) == joined)
    key_a = synthesis_cache_key(joined[:cut_a], "gtts", joined[cut_a:], ())
    key_b = synthesis_cache_key(joined[:cut_b], "gtts", joined[cut_b:], ())

    assert key_a != key_b
