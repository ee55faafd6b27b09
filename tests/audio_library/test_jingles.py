"""join_with_jingles(): intro + voice + outro as one canonical spot at the loudness target."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from audio_library import ToolFailedError, probe
from audio_library.canonical import measure_loudness
from audio_library.jingles import join_with_jingles

TARGET = -16.0


def ffmpeg(*args: str | Path) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *map(str, args)], check=True, capture_output=True)


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A loud 2 s intro (MP3), a quiet espeak-ng voice (WAV, 22 kHz), a 1.5 s outro (OGG).

    Shared by the module's tests, which must not change them.
    """
    folder = tmp_path_factory.mktemp("parts")
    intro, voice, outro = folder / "intro.mp3", folder / "voice.wav", folder / "outro.ogg"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=880:duration=2", "-af", "volume=14dB",
           "-c:a", "libmp3lame", "-b:a", "128k", intro)
    subprocess.run(["espeak-ng", "-v", "vi", "-a", "10", "-w", str(voice), "Bản tin an toàn giao thông."],
                   check=True, capture_output=True)
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=660:duration=1.5", "-ac", "2", "-c:a", "libvorbis", outro)
    return [intro, voice, outro]


def test_parts_are_joined_in_order_at_the_target(parts: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "spot.mp3"

    result = join_with_jingles(parts, out)

    info = probe(out)
    assert (info.codec, info.sample_rate, info.channels, info.bit_rate) == ("mp3", 44100, 1, 128000)
    assert result.duration_s == pytest.approx(sum(probe(part).duration_s for part in parts), abs=0.1)
    assert result.duration_s == pytest.approx(info.duration_s, abs=0.01)
    assert abs(result.loudness_after.integrated_lufs - TARGET) <= 0.5
    assert result.loudness_after.true_peak_dbtp <= -1.0
    assert result.parts_loudness == tuple(measure_loudness(part) for part in parts)


def test_a_quiet_voice_ends_as_loud_as_its_jingles(parts: list[Path], tmp_path: Path) -> None:
    intro_s, voice_s = probe(parts[0]).duration_s, probe(parts[1]).duration_s
    assert measure_loudness(parts[1]).integrated_lufs < TARGET - 10

    spot = join_with_jingles(parts, tmp_path / "spot.mp3").path
    voice = tmp_path / "voice-cut.wav"
    ffmpeg("-ss", f"{intro_s + 0.1:.3f}", "-t", f"{voice_s - 0.2:.3f}", "-i", spot, voice)

    # Per-part gain brings the voice up from about -35 LUFS; the limiter then takes
    # its peaks, so a peaky voice may end up to ~1.5 LU under steady music.
    assert abs(measure_loudness(voice).integrated_lufs - TARGET) <= 2.0


def test_a_voice_without_jingles(parts: list[Path], tmp_path: Path) -> None:
    result = join_with_jingles(parts[1:2], tmp_path / "spot.mp3")

    assert result.duration_s == pytest.approx(probe(parts[1]).duration_s, abs=0.05)
    assert abs(result.loudness_after.integrated_lufs - TARGET) <= 0.5


def test_a_silent_jingle_stays_silent(parts: list[Path], tmp_path: Path) -> None:
    pause = tmp_path / "pause.wav"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=duration=1", pause)

    result = join_with_jingles([pause, parts[1]], tmp_path / "spot.mp3", target_lufs=-20.0)

    assert result.parts_loudness[0].is_silent
    assert abs(result.loudness_after.integrated_lufs + 20.0) <= 0.5
    assert result.duration_s == pytest.approx(1 + probe(parts[1]).duration_s, abs=0.1)


def test_a_broken_part_leaves_no_file(parts: list[Path], png_image: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    with pytest.raises(ToolFailedError):
        join_with_jingles([parts[0], png_image, parts[2]], out_dir / "spot.mp3")

    assert list(out_dir.iterdir()) == []


def test_out_may_not_be_a_part(parts: list[Path]) -> None:
    before = parts[0].read_bytes()

    with pytest.raises(ValueError, match="the output intro.mp3 is also one of the parts to join"):
        join_with_jingles(parts, parts[0])

    assert parts[0].read_bytes() == before


def test_nothing_to_join(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nothing to render"):
        join_with_jingles([], tmp_path / "spot.mp3")
