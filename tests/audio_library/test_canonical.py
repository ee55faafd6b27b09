"""to_canonical() and measure_loudness() on real audio made by espeak-ng and ffmpeg."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest

from audio_library import ToolFailedError, probe
from audio_library.canonical import (
    CANONICAL_FORMAT,
    ENCODE_LOSS_DB,
    CanonicalResult,
    Loudness,
    Rendered,
    _filter_graph,
    loudness_from_log,
    measure_loudness,
    render_normalised,
    to_canonical,
)

TARGET = -16.0
SPEECH = "Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ em dưới năm tuổi vào sáng thứ ba."
# Encoded as each format is typically supplied; metadata a source must not pass on.
ENCODINGS = {
    "mp3": ("-c:a", "libmp3lame", "-b:a", "192k"),
    "wav": ("-c:a", "pcm_s16le",),
    "ogg": ("-c:a", "libvorbis", "-q:a", "4"),
    "m4a": ("-c:a", "aac", "-b:a", "96k"),
}


def ffmpeg(*args: str | Path) -> str:
    """Run ffmpeg for a fixture or a cross-check; returns its stderr."""
    done = subprocess.run(["ffmpeg", "-nostdin", "-y", *map(str, args)], capture_output=True, text=True, check=True)
    return done.stderr


@pytest.fixture(scope="session")
def speech_wav(media_dir: Path) -> Path:
    """About 6 s of Vietnamese from espeak-ng (22.05 kHz mono, peaks near 0 dBFS)."""
    out = media_dir / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "vi", "-w", str(out), SPEECH], check=True, capture_output=True)
    return out


@pytest.fixture(scope="session", params=sorted(ENCODINGS))
def quiet_speech(request, speech_wav: Path, media_dir: Path) -> Path:
    """The speech 25 dB down (about -43 LUFS), 48 kHz, in each input format."""
    out = media_dir / f"quiet-speech.{request.param}"
    ffmpeg("-v", "error", "-i", speech_wav, "-af", "volume=-25dB", "-ar", "48000",
           "-metadata", "title=Bản thu nháp", *ENCODINGS[request.param], out)
    return out


@pytest.fixture(scope="session", params=sorted(ENCODINGS))
def loud_stereo_noise(request, media_dir: Path) -> Path:
    """Five seconds of stereo white noise at about -8 LUFS, in each input format."""
    out = media_dir / f"loud-noise.{request.param}"
    ffmpeg("-v", "error", "-f", "lavfi", "-i", "anoisesrc=duration=5:color=white:amplitude=0.5:seed=7",
           "-af", "aformat=channel_layouts=stereo", *ENCODINGS[request.param], out)
    return out


def assert_canonical(path: Path) -> None:
    """44.1 kHz mono MP3, constant 128 kbit/s (every frame 417 or 418 bytes, Info header)."""
    report = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
         "-show_entries", "packet=size", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout)
    (stream,) = report["streams"]
    assert (stream["codec_name"], stream["sample_rate"], stream["channels"], stream["bit_rate"]) == (
        "mp3", "44100", 1, "128000")
    assert report["format"]["format_name"] == "mp3"
    assert report["format"].get("tags", {}) == {}
    assert {int(packet["size"]) for packet in report["packets"]} <= {417, 418}
    head = path.read_bytes()[:256]
    assert b"Info" in head and b"Xing" not in head


def assert_on_target(path: Path, loudness: Loudness, target: float = TARGET) -> None:
    assert abs(loudness.integrated_lufs - target) <= 0.5, loudness
    assert loudness.true_peak_dbtp <= -1.0, loudness
    assert measure_loudness(path) == loudness


# --- measuring ------------------------------------------------------------------------

def test_a_sine_measures_as_the_standard_says(make_media) -> None:
    # EBU Tech 3341: a 1 kHz sine peaking at -20 dBFS is -23.0 LUFS (mono, one channel).
    # (ffmpeg's sine source peaks at 1/8, -18.06 dBFS.)
    tone = make_media("tone.wav", "-v", "error", "-f", "lavfi", "-i",
                      "sine=frequency=1000:duration=5:sample_rate=48000", "-af", "volume=-1.94dB")

    assert measure_loudness(tone) == Loudness(integrated_lufs=-23.0, true_peak_dbtp=-20.0, lra=0.0)


def test_loudness_is_that_of_the_mono_downmix(make_media) -> None:
    args = ("-v", "error", "-f", "lavfi", "-i", "sine=frequency=1000:duration=5")
    mono = make_media("mono.wav", *args)
    stereo = make_media("stereo.wav", *args, "-af", "aformat=channel_layouts=stereo")

    assert measure_loudness(stereo) == measure_loudness(mono)


def test_digital_silence_is_minus_infinity(make_media) -> None:
    silence = make_media("silence.wav", "-v", "error", "-f", "lavfi", "-i", "anullsrc=duration=3")

    loudness = measure_loudness(silence)

    assert loudness.is_silent and loudness.true_peak_dbtp == -math.inf
    assert not Loudness(-70.0, -60.0, 0.0).is_silent


@pytest.mark.parametrize(
    "stderr",
    ["", "Summary:\n  I: -16.0 LUFS\n", "I: -16.0 LUFS\nLRA: 1.0 LU\nPeak: -1.0 dBFS\n"],
)
def test_a_missing_summary_is_an_error(stderr: str) -> None:
    with pytest.raises(RuntimeError, match="ebur128 summary is missing or incomplete"):
        loudness_from_log(stderr)


# --- converting -----------------------------------------------------------------------

def test_quiet_speech_is_raised_to_the_target(quiet_speech: Path, tmp_path: Path) -> None:
    out = tmp_path / "spot.mp3"

    result = to_canonical(quiet_speech, out)

    assert result.path == out
    assert_canonical(out)
    assert_on_target(out, result.loudness_after)
    assert result.loudness_before == measure_loudness(quiet_speech)
    assert result.loudness_before.integrated_lufs < -40 and result.gain_db > 24
    assert result.duration_s == pytest.approx(probe(quiet_speech).duration_s, abs=0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spot.mp3"]


def test_a_source_with_headroom_gets_its_gain_alone_and_lands_on_the_target(make_media, tmp_path: Path) -> None:
    # -23 LUFS with peaks at -20 dBTP: +7 dB (and the encode's loss) leaves the peaks near -13, so no
    # limiter is run.
    tone = make_media("tone.wav", "-v", "error", "-f", "lavfi", "-i",
                      "sine=frequency=1000:duration=5:sample_rate=48000", "-af", "volume=-1.94dB")

    result = to_canonical(tone, tmp_path / "out.mp3")

    assert result.gain_db == pytest.approx(7.0 + ENCODE_LOSS_DB)
    assert abs(result.loudness_after.integrated_lufs - TARGET) <= 0.5, result.loudness_after
    assert -14.0 <= result.loudness_after.true_peak_dbtp <= -12.5


@pytest.fixture
def tone_with_headroom(make_media) -> Path:
    """-23 LUFS, peaks at -20 dBTP, 48 kHz, 3.3 s: brought to the target by a gain alone (no limiter)."""
    return make_media("tone.wav", "-v", "error", "-f", "lavfi", "-i",
                      "sine=frequency=1000:duration=3.3:sample_rate=48000", "-af", "volume=-1.94dB")


def assert_measured_as_written(result: Rendered | CanonicalResult) -> None:
    """The render is measured from its encoder's packets while the file is written; the figures
    must be the file's own, to the digit."""
    assert measure_loudness(result.path) == result.loudness_after
    assert probe(result.path).duration_s == result.duration_s


def test_the_result_measured_is_that_of_the_written_file(quiet_speech: Path, tmp_path: Path) -> None:
    assert_measured_as_written(to_canonical(quiet_speech, tmp_path / "out.mp3"))  # limited


def test_the_result_measured_is_that_of_the_written_file_without_limiter(tone_with_headroom: Path,
                                                                          tmp_path: Path) -> None:
    assert_measured_as_written(to_canonical(tone_with_headroom, tmp_path / "out.mp3"))


def test_the_result_measured_is_that_of_the_written_file_joined(tone_with_headroom: Path, speech_wav: Path,
                                                                tmp_path: Path) -> None:
    assert_measured_as_written(render_normalised([tone_with_headroom, speech_wav, tone_with_headroom],
                                                 tmp_path / "out.mp3"))


def test_the_file_is_what_a_plain_mp3_encode_writes(tone_with_headroom: Path, tmp_path: Path) -> None:
    # The encode goes to the file and to the measurement at once; the file must not notice.
    result = to_canonical(tone_with_headroom, tmp_path / "out.mp3")

    plain = tmp_path / "plain.mp3"
    graph = _filter_graph([result.gain_db], -1.5, limit=False)
    ffmpeg("-v", "error", "-i", tone_with_headroom, "-filter_complex", graph, "-map", "[out]",
           *CANONICAL_FORMAT.encoder_args(), plain)

    assert result.path.read_bytes() == plain.read_bytes()


def test_loud_stereo_noise_is_lowered_to_the_target(loud_stereo_noise: Path, tmp_path: Path) -> None:
    out = tmp_path / "spot.mp3"

    result = to_canonical(loud_stereo_noise, out)

    assert_canonical(out)
    assert_on_target(out, result.loudness_after)
    assert result.loudness_before.integrated_lufs > -11 and result.gain_db < -5
    assert result.duration_s == pytest.approx(5.0, abs=0.05)


def test_loudness_agrees_with_loudnorm(speech_wav: Path, tmp_path: Path) -> None:
    out = tmp_path / "spot.mp3"
    result = to_canonical(speech_wav, out)

    stderr = ffmpeg("-hide_banner", "-nostats", "-i", out, "-af", "loudnorm=print_format=json", "-f", "null", "-")
    report = json.loads(stderr[stderr.rindex("{"):])

    assert abs(float(report["input_i"]) - TARGET) <= 0.5
    assert float(report["input_i"]) == pytest.approx(result.loudness_after.integrated_lufs, abs=0.2)
    assert float(report["input_tp"]) <= -1.0


def test_another_target_and_ceiling(speech_wav: Path, tmp_path: Path) -> None:
    result = to_canonical(speech_wav, tmp_path / "spot.mp3", target_lufs=-23.0, true_peak_db=-6.0)

    assert abs(result.loudness_after.integrated_lufs + 23.0) <= 0.5
    assert result.loudness_after.true_peak_dbtp <= -5.5


def test_an_unreachable_target_is_reported_not_chased(speech_wav: Path, tmp_path: Path) -> None:
    # -6 LUFS under a -12 dB ceiling cannot be had: at most 6 dB of extra gain, then
    # the honest figure.
    result = to_canonical(speech_wav, tmp_path / "spot.mp3", target_lufs=-6.0, true_peak_db=-12.0)

    assert result.gain_db <= -6.0 - result.loudness_before.integrated_lufs + 6.0
    assert result.loudness_after.integrated_lufs < -12
    assert result.loudness_after.true_peak_dbtp <= -11.5


def test_silence_is_not_amplified(make_media, tmp_path: Path) -> None:
    silence = make_media("silence.wav", "-v", "error", "-f", "lavfi", "-i", "anullsrc=duration=3")

    result = to_canonical(silence, tmp_path / "silence.mp3")

    assert result.gain_db == 0.0
    assert result.loudness_before.is_silent and result.loudness_after.is_silent
    assert result.duration_s == pytest.approx(3.0, abs=0.05)
    assert_canonical(result.path)


def test_same_input_gives_the_same_bytes(speech_wav: Path, tmp_path: Path) -> None:
    # The store deduplicates by sha256: no ffmpeg version string or date in the file.
    first = to_canonical(speech_wav, tmp_path / "a.mp3").path.read_bytes()

    assert to_canonical(speech_wav, tmp_path / "b.mp3").path.read_bytes() == first
    assert b"Lavf" not in first[:64]


def test_cover_art_and_tags_are_dropped(make_tone, png_image: Path, tmp_path: Path) -> None:
    tone = make_tone("tone.wav")
    source = tmp_path / "with-cover.mp3"
    ffmpeg("-v", "error", "-i", tone, "-i", png_image, "-map", "0:a", "-map", "1:v", "-c:a", "libmp3lame",
           "-c:v", "copy", "-disposition:v", "attached_pic", "-metadata", "artist=Đài xã", source)

    out = to_canonical(source, tmp_path / "spot.mp3").path

    assert_canonical(out)


def test_an_existing_file_is_replaced(speech_wav: Path, tmp_path: Path) -> None:
    out = tmp_path / "spot.mp3"
    out.write_bytes(b"old take")

    to_canonical(speech_wav, out)

    assert_canonical(out)


# --- failures leave nothing behind -----------------------------------------------------

@pytest.fixture
def ffmpeg_dying_mid_encode(fake_ffmpeg) -> None:
    """An ffmpeg that measures fine but dies half-way through the MP3 encode, its file cut short."""
    fake_ffmpeg(
        "*libmp3lame*",
        'for last; do :; done\n'
        'part=${last#\\[f=mp3\\]}; part=${part%%|*}\n'  # the file, first in the tee muxer's list
        '"$REAL_FFMPEG" "$@" || exit 1\n'
        'head -c 2000 "$part" > "$part.cut" && mv "$part.cut" "$part" || exit 1\n'
        'echo "Killed: disk full" >&2; exit 137',
    )


def test_a_failure_mid_encode_leaves_no_file(speech_wav: Path, tmp_path: Path, ffmpeg_dying_mid_encode) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    with pytest.raises(ToolFailedError, match=r"ffmpeg failed \(exit status 137\): Killed: disk full"):
        to_canonical(speech_wav, out_dir / "spot.mp3")

    assert list(out_dir.iterdir()) == []


def test_a_failure_mid_encode_keeps_the_previous_file(speech_wav: Path, tmp_path: Path, ffmpeg_dying_mid_encode) -> None:
    out = tmp_path / "spot.mp3"
    out.write_bytes(b"previous version")

    with pytest.raises(ToolFailedError):
        to_canonical(speech_wav, out)

    assert out.read_bytes() == b"previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "spot.mp3"]


def test_a_failed_measurement_of_the_render_leaves_no_file_and_no_process(
        speech_wav: Path, tmp_path: Path, fake_ffmpeg, child_processes) -> None:
    fake_ffmpeg("*pipe:0*", 'echo "Killed: out of memory" >&2; exit 137')  # the ffmpeg measuring the render
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    with pytest.raises(ToolFailedError, match=r"ffmpeg failed \(exit status 137\): Killed: out of memory"):
        to_canonical(speech_wav, out_dir / "spot.mp3", loudness=measure_loudness(speech_wav))

    assert list(out_dir.iterdir()) == []
    assert child_processes() == set()  # the render was stopped and reaped


def test_no_audio_in_the_source_leaves_no_file(png_image: Path, tmp_path: Path) -> None:
    with pytest.raises(ToolFailedError, match="ffmpeg failed"):
        to_canonical(png_image, tmp_path / "spot.mp3")

    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"target_lufs": 0.0}, "target_lufs must be between -70 and 0 LUFS, got 0.0"),
        ({"target_lufs": -70.0}, "target_lufs must be between -70 and 0 LUFS, got -70.0"),
        ({"true_peak_db": 0.5}, "true_peak_db must be between -24 and 0 dB, got 0.5"),
        ({"true_peak_db": -25.0}, "true_peak_db must be between -24 and 0 dB, got -25.0"),
    ],
)
def test_targets_are_checked_before_any_work(speech_wav: Path, tmp_path: Path, settings, message) -> None:
    with pytest.raises(ValueError, match=message):
        to_canonical(speech_wav, tmp_path / "spot.mp3", **settings)

    assert list(tmp_path.iterdir()) == []


def test_a_loudness_measured_already_is_used(speech_wav: Path, tmp_path: Path) -> None:
    measured = probe(speech_wav, loudness=True).loudness
    quieter = Loudness(measured.integrated_lufs - 3.0, measured.true_peak_dbtp - 3.0, measured.lra)

    as_measured = to_canonical(speech_wav, tmp_path / "a.mp3", loudness=measured)
    told_quieter = to_canonical(speech_wav, tmp_path / "b.mp3", loudness=quieter)

    assert as_measured.loudness_before == measured  # no measurement of its own: what it was told
    assert told_quieter.loudness_before == quieter
    assert abs(as_measured.loudness_after.integrated_lufs - TARGET) <= 0.5
    assert abs(told_quieter.loudness_after.integrated_lufs - TARGET) <= 0.5  # the result's own measurement


def test_one_loudness_per_source(speech_wav: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="1 loudness measurements given for 2 sources"):
        render_normalised([speech_wav, speech_wav], tmp_path / "spot.mp3", loudness=[measure_loudness(speech_wav)])


def test_rendering_nothing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nothing to render: no source files given"):
        render_normalised([], tmp_path / "spot.mp3")


def test_format_id() -> None:
    assert CANONICAL_FORMAT.id == "mp3-44100hz-1ch-cbr128k"
