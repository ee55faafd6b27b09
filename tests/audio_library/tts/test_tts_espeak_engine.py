"""EspeakEngine: the offline engine, with real espeak-ng and ffmpeg."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from audio_library import probe
from audio_library.tts import ESPEAK_VOICES, REGION_VOICES, EspeakEngine, SynthesisError

TEXT = "Đề nghị các hộ gia đình chú ý."


@pytest.mark.parametrize("voice", ESPEAK_VOICES)
def test_each_vietnamese_voice_speaks(tmp_path: Path, voice: str) -> None:
    out = tmp_path / "spot.mp3"

    assert EspeakEngine().synthesise(TEXT, out, voice) == out

    assert probe(out).duration_s > 1
    assert [p.name for p in tmp_path.iterdir()] == ["spot.mp3"]


def test_speed_is_used(tmp_path: Path) -> None:
    slow = EspeakEngine(speed_wpm=100).synthesise(TEXT, tmp_path / "slow.mp3", "vi")
    fast = EspeakEngine(speed_wpm=300).synthesise(TEXT, tmp_path / "fast.mp3", "vi")

    assert probe(slow).duration_s > 1.5 * probe(fast).duration_s


def test_voice_outside_vietnamese_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="espeak-ng has no Vietnamese voice 'en'"):
        EspeakEngine().synthesise(TEXT, tmp_path / "spot.mp3", "en")


def test_speed_is_checked_when_configured() -> None:
    with pytest.raises(ValueError, match="speed_wpm must be between 80 and 450, got 500"):
        EspeakEngine(speed_wpm=500)


def test_missing_program_is_a_synthesis_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))

    with pytest.raises(SynthesisError) as err:
        EspeakEngine().synthesise(TEXT, tmp_path / "spot.mp3", "vi")

    assert str(err.value) == "espeak-ng: espeak-ng is not installed: apt-get install espeak-ng"
    assert isinstance(err.value.__cause__, Exception)
    assert list(tmp_path.iterdir()) == []


def test_repr() -> None:
    assert repr(EspeakEngine(speed_wpm=120)) == "EspeakEngine(speed_wpm=120, pause_ms=0)"


def _pcm(path: Path) -> bytes:
    """The decoded samples, so that MP3 framing cannot make two equal voices look different."""
    return subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "-"],
                          check=True, capture_output=True).stdout


def test_the_regions_speak_the_same_text_differently(tmp_path: Path) -> None:
    heard = {region: _pcm(EspeakEngine().synthesise(TEXT, tmp_path / f"{region}.mp3", voice))
             for region, voice in REGION_VOICES.items()}

    assert set(REGION_VOICES.values()) == set(ESPEAK_VOICES)
    assert len({hashlib.sha256(pcm).hexdigest() for pcm in heard.values()}) == 3


def test_the_pause_is_the_silence_after_each_sentence(tmp_path: Path) -> None:
    text = "Đề nghị các hộ chú ý. Sáng mai mất điện. Xin cảm ơn bà con & cô bác!"
    plain = probe(EspeakEngine().synthesise(text, tmp_path / "plain.mp3", "vi")).duration_s
    one = probe(EspeakEngine(pause_ms=1000).synthesise(text, tmp_path / "one.mp3", "vi")).duration_s
    two = probe(EspeakEngine(pause_ms=2000).synthesise(text, tmp_path / "two.mp3", "vi")).duration_s

    # Two sentence ends inside the text ("&" read as text, not markup): a second more at each.
    assert plain < one and 1.5 < two - one < 2.5


def test_a_pause_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="pause_ms must be between 0 and 3000"):
        EspeakEngine(pause_ms=3001)
