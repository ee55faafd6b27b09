"""suffix_for(): the store suffix of a probed file, from real probes of real files."""

from __future__ import annotations

import pytest

from audio_library import ALLOWED_SUFFIXES, AudioInfo, probe
from audio_library.formats import suffix_for


@pytest.mark.parametrize(
    ("name", "encode", "suffix"),
    [
        ("a.mp3", ("-c:a", "libmp3lame"), "mp3"),
        ("a.wav", (), "wav"),
        ("a.flac", ("-c:a", "flac"), "flac"),
        ("a.ogg", ("-c:a", "libvorbis"), "ogg"),
        ("a.opus", ("-c:a", "libopus"), "opus"),
        ("a.oga", ("-c:a", "libopus", "-f", "ogg"), "opus"),  # Opus in Ogg, whatever it is called
        ("a.aac", ("-c:a", "aac"), "aac"),
        ("a.m4a", ("-c:a", "aac"), "m4a"),
        ("a.webm", ("-c:a", "libopus"), "webm"),  # what Chromium's MediaRecorder writes
        ("a.mka", ("-c:a", "libopus"), "webm"),  # Opus in Matroska is WebM, whatever it is called
    ],
)
def test_suffix_follows_the_content(make_tone, name: str, encode: tuple[str, ...], suffix: str) -> None:
    found = suffix_for(probe(make_tone(name, *encode)))

    assert found == suffix
    assert found in ALLOWED_SUFFIXES


def test_container_the_store_does_not_keep(make_tone) -> None:
    info = probe(make_tone("a.aiff"))

    with pytest.raises(ValueError, match="audio in a aiff container is not accepted"):
        suffix_for(info)


def test_matroska_with_a_codec_webm_does_not_hold(make_tone) -> None:
    info = probe(make_tone("a.mka", "-c:a", "flac"))

    with pytest.raises(ValueError, match="audio in a matroska container is not accepted"):
        suffix_for(info)


def test_works_on_plain_values() -> None:
    info = AudioInfo(2.0, "pcm_s16le", "wav", 44100, 1, 705600)

    assert suffix_for(info) == "wav"
