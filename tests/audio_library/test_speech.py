"""render_espeak(): Vietnamese speech to broadcast MP3, with real espeak-ng and ffmpeg."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from audio_library import ToolFailedError, ToolMissingError, probe, render_espeak

GREETING = "Chào mừng Ngày Chuyển đổi số quốc gia 10/10"


def test_vietnamese_text_becomes_a_broadcast_mp3(tmp_path: Path) -> None:
    out = tmp_path / "greeting.mp3"

    assert render_espeak(GREETING, out) == out

    info = probe(out)
    assert info.duration_s > 1
    assert (info.codec, info.sample_rate, info.channels, info.bit_rate) == ("mp3", 44100, 1, 128000)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["greeting.mp3"]


def test_decomposed_text_is_spoken_like_composed_text(tmp_path: Path) -> None:
    # Vietnamese pasted from some editors arrives decomposed (NFD).
    composed = render_espeak(GREETING, tmp_path / "nfc.mp3")
    decomposed = render_espeak(unicodedata.normalize("NFD", GREETING), tmp_path / "nfd.mp3")

    assert decomposed.read_bytes() == composed.read_bytes()


def test_slower_speech_lasts_longer(tmp_path: Path) -> None:
    slow = probe(render_espeak(GREETING, tmp_path / "slow.mp3", speed_wpm=100))
    fast = probe(render_espeak(GREETING, tmp_path / "fast.mp3", speed_wpm=300))

    assert slow.duration_s > fast.duration_s * 1.5


def test_southern_voice(tmp_path: Path) -> None:
    out = render_espeak(GREETING, tmp_path / "south.mp3", voice="vi-vn-x-south")

    assert probe(out).duration_s > 1


def test_text_is_never_seen_by_a_shell(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)

    render_espeak('$(touch pwned); `touch pwned2` "; touch pwned3', tmp_path / "out.mp3")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp3"]


def test_existing_file_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "news.mp3"
    out.write_bytes(b"old")

    render_espeak(GREETING, out)

    assert probe(out).duration_s > 1


# --- refusals and failures ----------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_blank_text_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(ValueError, match="text to speak is empty"):
        render_espeak(text, tmp_path / "out.mp3")


@pytest.mark.parametrize("voice", ["", "-w/tmp/x", "vi vn", "../vi", "vi;ls"])
def test_voice_name_is_checked(tmp_path: Path, voice: str) -> None:
    with pytest.raises(ValueError, match="not an espeak-ng voice name"):
        render_espeak(GREETING, tmp_path / "out.mp3", voice=voice)


@pytest.mark.parametrize("speed", [79, 451, 0, -150])
def test_speed_is_checked(tmp_path: Path, speed: int) -> None:
    with pytest.raises(ValueError, match="speed_wpm must be between 80 and 450"):
        render_espeak(GREETING, tmp_path / "out.mp3", speed_wpm=speed)


def test_unknown_voice_fails_and_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "news.mp3"
    out.write_bytes(b"previous take")

    with pytest.raises(ToolFailedError) as err:
        render_espeak(GREETING, out, voice="xx-nosuchvoice")

    assert err.value.tool == "espeak-ng"
    assert "voice does not exist" in str(err.value)
    assert out.read_bytes() == b"previous take"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news.mp3"]


def test_missing_espeak_says_how_to_install_it(tmp_path: Path, monkeypatch) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))

    with pytest.raises(ToolMissingError) as err:
        render_espeak(GREETING, tmp_path / "out.mp3")

    assert str(err.value) == "espeak-ng is not installed: apt-get install espeak-ng"
    assert not (tmp_path / "out.mp3").exists()


def test_missing_ffmpeg_leaves_nothing_at_out(tmp_path: Path, monkeypatch) -> None:
    only_espeak = tmp_path / "bin"
    only_espeak.mkdir()
    (only_espeak / "espeak-ng").symlink_to(shutil.which("espeak-ng"))
    monkeypatch.setenv("PATH", str(only_espeak))
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    with pytest.raises(ToolMissingError, match="^ffmpeg is not installed: apt-get install ffmpeg$"):
        render_espeak(GREETING, out_dir / "out.mp3")

    assert list(out_dir.iterdir()) == []
