"""synthesise_with_fallback(): the configured order, with real engines failing for real."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from audio_library import probe
from audio_library.tts import (
    AllEnginesFailedError,
    EspeakEngine,
    GttsEngine,
    SynthesisError,
    synthesise_with_fallback,
)

TEXT = "Ủy ban nhân dân xã thông báo."
VOICES = {"gtts": "vi", "espeak-ng": "vi-vn-x-south"}


@pytest.fixture
def engines(sleeps: list[float]) -> list:
    return [GttsEngine(sleep=sleeps.append, timeout_s=1), EspeakEngine()]


def test_gtts_speaks_when_online(fake_google, engines, tmp_path: Path) -> None:
    fake_google.replies = [429, 200]
    out = tmp_path / "spot.mp3"

    assert synthesise_with_fallback(engines, TEXT, out, VOICES) == (out, "gtts")

    assert out.read_bytes() == fake_google.audio


def test_offline_falls_back_to_espeak(offline, engines, sleeps, tmp_path: Path, caplog) -> None:
    out = tmp_path / "spot.mp3"

    with caplog.at_level(logging.WARNING, logger="audio_library.tts.engine"):
        path, engine = synthesise_with_fallback(engines, TEXT, out, VOICES)

    assert (path, engine) == (out, "espeak-ng")
    assert probe(out).duration_s > 1
    assert sleeps == []
    assert "gtts: could not connect to Google (offline?)" in caplog.text
    assert [p.name for p in tmp_path.iterdir()] == ["spot.mp3"]


def test_unnamed_engine_speaks_its_default_voice(offline, engines, tmp_path: Path) -> None:
    path, engine = synthesise_with_fallback(engines, TEXT, tmp_path / "spot.mp3", {})

    assert engine == "espeak-ng" and probe(path).duration_s > 1


def test_all_failing_names_each_failure(offline, engines, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))

    with pytest.raises(AllEnginesFailedError) as err:
        synthesise_with_fallback(engines, TEXT, tmp_path / "spot.mp3", VOICES)

    assert str(err.value) == (
        "no text-to-speech engine could voice the text ("
        "gtts: could not connect to Google (offline?); "
        "espeak-ng: espeak-ng is not installed: apt-get install espeak-ng)"
    )
    assert [failure.engine for failure in err.value.failures] == ["gtts", "espeak-ng"]
    assert all(isinstance(failure, SynthesisError) for failure in err.value.failures)
    assert list(tmp_path.iterdir()) == []


def test_a_wrong_fallback_voice_is_refused_before_anything_runs(fake_google, engines, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="espeak-ng has no voice 'vi-hue'; choose one of vi, "):
        synthesise_with_fallback(engines, TEXT, tmp_path / "spot.mp3", {"espeak-ng": "vi-hue"})

    assert fake_google.paths == []


def test_blank_text_is_refused_before_anything_runs(fake_google, engines, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="text to speak is empty"):
        synthesise_with_fallback(engines, " ", tmp_path / "spot.mp3", VOICES)

    assert fake_google.paths == []


def test_no_engines_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no text-to-speech engine configured"):
        synthesise_with_fallback([], TEXT, tmp_path / "spot.mp3", VOICES)
