"""probe(): what it accepts, what it refuses and how it says so (real ffmpeg)."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from audio_library import AudioInfo, NotAudioError, ToolMissingError, measure_loudness, probe

probe_module = importlib.import_module("audio_library.probe")  # the package's name `probe` is the function


# --- accepted files ---------------------------------------------------------------

def test_mp3_is_described(sine_mp3: Path) -> None:
    info = probe(sine_mp3)

    assert info == AudioInfo(
        duration_s=pytest.approx(2.0, abs=0.05),
        codec="mp3",
        format_name="mp3",
        sample_rate=44100,
        channels=1,
        bit_rate=128000,
    )


def test_the_decode_measures_the_loudness_when_asked(sine_mp3: Path) -> None:
    assert probe(sine_mp3).loudness is None
    assert probe(sine_mp3, loudness=True).loudness == measure_loudness(sine_mp3)


@pytest.mark.parametrize(
    ("name", "encode", "channels", "codec", "format_name"),
    [
        ("tone.wav", (), 1, "pcm_s16le", "wav"),
        ("tone.flac", ("-c:a", "flac"), 2, "flac", "flac"),
        ("tone.ogg", ("-c:a", "libvorbis"), 2, "vorbis", "ogg"),
        ("tone.opus", ("-c:a", "libopus", "-ar", "48000"), 1, "opus", "ogg"),
        ("tone.m4a", ("-c:a", "aac"), 2, "aac", "mov,mp4,m4a,3gp,3g2,mj2"),
    ],
)
def test_other_formats_are_described(
    make_tone, name: str, encode: tuple[str, ...], channels: int, codec: str, format_name: str
) -> None:
    info = probe(make_tone(name, *encode, channels=channels))

    assert (info.codec, info.format_name, info.channels) == (codec, format_name, channels)
    assert info.duration_s == pytest.approx(2.0, abs=0.05)
    assert info.sample_rate in (44100, 48000)


def test_duration_is_what_decodes_not_what_the_header_guesses(make_media) -> None:
    # A VBR MP3 without a Xing header that starts with silence: ffprobe guesses the
    # duration from the first frames' low bit rate (about twice too long). That guess
    # is not a truncation, and the reported duration is the decoded one.
    path = make_media(
        "vbr.mp3",
        "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono:d=3",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=44100",
        "-filter_complex", "[0][1]concat=n=2:v=0:a=1",
        "-c:a", "libmp3lame", "-q:a", "4", "-write_xing", "0",
    )
    guessed = float(_ffprobe_format_duration(path))
    assert guessed > 6  # the premise: ffprobe's header-less estimate is well off

    assert probe(path).duration_s == pytest.approx(5.0, abs=0.1)


def test_stream_without_any_declared_duration(tmp_path: Path) -> None:
    # WebM written to a pipe carries no duration at all; the decoded one is used.
    path = tmp_path / "live.webm"
    with path.open("wb") as out:
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=duration=2",
             "-c:a", "libopus", "-f", "webm", "pipe:1"],
            stdout=out, check=True,
        )
    assert _ffprobe_format_duration(path) in ("", "N/A")

    info = probe(path)

    assert (info.codec, info.duration_s) == ("opus", pytest.approx(2.0, abs=0.05))


def test_audio_with_a_cover_picture_is_accepted(sine_mp3: Path, png_image: Path, make_media) -> None:
    path = make_media(
        "with-cover.mp3", "-i", str(sine_mp3), "-i", str(png_image),
        "-map", "0:a", "-map", "1:v", "-c", "copy", "-disposition:v", "attached_pic",
    )

    assert probe(path).duration_s == pytest.approx(2.0, abs=0.05)


# --- refusals ---------------------------------------------------------------------

def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.mp3"
    path.touch()

    with pytest.raises(NotAudioError, match=r'^"blank\.mp3" is empty \(0 bytes\)$') as err:
        probe(path)
    assert err.value.reason == "empty"


def test_text_renamed_mp3_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp3"
    path.write_text("Lịch phát thanh tuần này\nThứ hai: tin xã\n", encoding="utf-8")

    with pytest.raises(NotAudioError, match=r'^"notes\.mp3" is not an audio file \(unknown format') as err:
        probe(path)
    assert err.value.reason == "unknown_format"
    assert err.value.detail  # ffprobe's own words are kept for the log


def test_png_is_refused_as_having_no_audio(png_image: Path) -> None:
    with pytest.raises(NotAudioError) as err:
        probe(png_image)

    assert err.value.reason == "no_audio"
    assert str(err.value) == '"red.png" has no audio stream (found: video (png); format png_pipe)'


def test_video_without_sound_is_refused(make_media) -> None:
    path = make_media("clip.mp4", "-f", "lavfi", "-i", "color=c=blue:s=16x16:d=1", "-c:v", "mpeg4")

    with pytest.raises(NotAudioError, match=r'^"clip\.mp4" has no audio stream \(found: video \(mpeg4\)') as err:
        probe(path)
    assert err.value.reason == "no_audio"


def test_zero_duration_is_refused(make_media) -> None:
    path = make_media("silence.wav", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-frames:a", "0")

    with pytest.raises(NotAudioError, match=r'^"silence\.wav" has zero duration') as err:
        probe(path)
    assert err.value.reason == "zero_duration"


def test_mp3_cut_in_half_is_refused_as_truncated(sine_mp3: Path, cut) -> None:
    # Observed with ffmpeg 5.1: the remaining MP3 frames decode without any error
    # (exit 0 even with -xerror), but the Xing/Info header still counts 2.04 s of
    # frames while only 0.99 s decodes. probe compares the two.
    path = cut(sine_mp3, "half.mp3")

    with pytest.raises(NotAudioError) as err:
        probe(path)

    assert err.value.reason == "truncated"
    assert str(err.value) == (
        '"half.mp3" is truncated or damaged: its header promises 2.0 s '
        "but only 1.0 s of audio could be decoded"
    )


def test_cut_mp3_without_header_is_accepted_with_its_real_duration(make_tone, cut) -> None:
    # Documented limit: a CBR MP3 without Xing/Info header has no record of its
    # length, so a cut one is indistinguishable from a short one. The duration
    # reported is still the true one, so the schedule stays right.
    whole = make_tone("plain.mp3", "-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0")

    info = probe(cut(whole, "plain-half.mp3"))

    assert info.duration_s == pytest.approx(1.0, abs=0.1)


def test_mp3_with_garbage_in_the_middle_is_refused_as_corrupt(sine_mp3: Path, tmp_path: Path) -> None:
    data = bytearray(sine_mp3.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 2000] = b"\x00\xab" * 1000
    path = tmp_path / "damaged.mp3"
    path.write_bytes(bytes(data))

    with pytest.raises(NotAudioError) as err:
        probe(path)

    assert err.value.reason == "corrupt"
    assert str(err.value) == (
        '"damaged.mp3" is corrupt or truncated: ffmpeg could not decode it (Header missing)'
    )
    with pytest.raises(NotAudioError) as measuring:  # the loudness summary logged after the error
        probe(path, loudness=True)
    assert str(measuring.value) == str(err.value) and "Summary" not in measuring.value.detail


@pytest.mark.parametrize(
    ("name", "encode", "ffmpeg_says"),
    [
        ("cut.wav", (), "cut.wav: corrupt input packet in stream 0"),
        ("cut.flac", ("-c:a", "flac"), "decode_frame() failed"),
        ("cut.aac", ("-c:a", "aac"), "Input buffer exhausted before END element found"),
    ],
)
def test_other_truncated_formats_fail_to_decode(
    make_tone, cut, tmp_path: Path, name: str, encode: tuple[str, ...], ffmpeg_says: str
) -> None:
    whole = make_tone(f"whole-{name}", *encode, seconds=5)

    with pytest.raises(NotAudioError) as err:
        probe(cut(whole, name))

    assert err.value.reason == "corrupt"
    assert str(err.value) == (
        f'"{name}" is corrupt or truncated: ffmpeg could not decode it ({ffmpeg_says})'
    )
    assert str(tmp_path) not in str(err.value)


@pytest.mark.parametrize("keep", [0.3, 0.5, 0.7, 0.9])
@pytest.mark.parametrize(
    ("suffix", "encode"),
    [
        ("mp3", ("-c:a", "libmp3lame", "-b:a", "128k")),
        ("mp3", ("-c:a", "libmp3lame", "-q:a", "4")),
        ("wav", ()),
        ("flac", ("-c:a", "flac")),
        ("ogg", ("-c:a", "libvorbis")),
        ("opus", ("-c:a", "libopus")),
        ("aac", ("-c:a", "aac")),
        ("m4a", ("-c:a", "aac")),
    ],
)
def test_a_cut_file_never_passes_for_the_whole(
    make_tone, cut, suffix: str, encode: tuple[str, ...], keep: float
) -> None:
    # The guarantee that matters on air: a cut-off file is refused, or accepted with
    # the duration it really has, never with the length of the whole programme.
    # (Observed: a cut Ogg often decodes cleanly, since Ogg has no total length and
    # the demuxer quietly drops a partial last page.)
    whole = make_tone(f"whole.{suffix}", *encode, seconds=5)

    try:
        info = probe(cut(whole, f"cut.{suffix}", keep=keep))
    except NotAudioError as err:
        assert err.reason in {"corrupt", "truncated", "unknown_format"}
    else:
        assert info.duration_s <= 5 * keep + 0.1


def test_truncated_m4a_is_unreadable(make_tone, cut) -> None:
    # The MP4 index (moov atom) is written at the end, so half a file cannot be opened.
    whole = make_tone("whole.m4a", "-c:a", "aac", seconds=5)

    with pytest.raises(NotAudioError) as err:
        probe(cut(whole, "cut.m4a"))

    assert err.value.reason == "unknown_format"
    assert "moov atom not found" in err.value.detail


def test_messages_use_the_display_name(tmp_path: Path) -> None:
    path = tmp_path / "upload-7f3a.tmp"
    path.touch()

    with pytest.raises(NotAudioError, match=r'^"Bản tin sáng\.mp3" is empty'):
        probe(path, name="Bản tin sáng.mp3")


# --- size limit -------------------------------------------------------------------

def test_file_over_the_size_limit_is_refused(sine_mp3: Path) -> None:
    with pytest.raises(NotAudioError) as err:
        probe(sine_mp3, max_bytes=16 * 1024)

    assert err.value.reason == "too_large"
    assert re.fullmatch(r'"tone\.mp3" is 0\.03\d* MB, over the size limit of 0\.0156 MB', str(err.value))


def test_size_limit_message_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "big.wav"
    with path.open("wb") as f:
        f.truncate(3 * 1024 * 1024)  # sparse: the size check comes before any reading

    with pytest.raises(NotAudioError, match=r"is 3 MB, over the size limit of 2 MB$"):
        probe(path, max_bytes=2 * 1024 * 1024)


def test_size_just_over_a_limit_shows_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.wav"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024 + 1)

    with pytest.raises(NotAudioError, match=r"is 52428801 bytes, over the size limit of 52428800 bytes$"):
        probe(path, max_bytes=50 * 1024 * 1024)


def test_file_exactly_at_the_limit_is_accepted(sine_mp3: Path) -> None:
    assert probe(sine_mp3, max_bytes=sine_mp3.stat().st_size).channels == 1


@pytest.mark.parametrize("max_bytes", [0, -1])
def test_limit_must_be_positive(sine_mp3: Path, max_bytes: int) -> None:
    with pytest.raises(ValueError, match="max_bytes must be positive"):
        probe(sine_mp3, max_bytes=max_bytes)


def test_missing_file_is_not_a_refusal(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        probe(tmp_path / "nowhere.mp3")


# --- tools ------------------------------------------------------------------------

def test_missing_ffmpeg_says_how_to_install_it(sine_mp3: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no programs in it

    with pytest.raises(ToolMissingError) as err:
        probe(sine_mp3)

    assert str(err.value) == "ffmpeg is not installed: apt-get install ffmpeg"


def test_missing_ffmpeg_with_ffprobe_present(sine_mp3: Path, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "ffprobe").symlink_to(shutil.which("ffprobe"))
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(ToolMissingError, match="^ffmpeg is not installed: apt-get install ffmpeg$"):
        probe(sine_mp3)


@pytest.mark.parametrize(
    ("progress", "seconds"),
    [
        ("out_time_us=0\nprogress=end\n", 0.0),
        ("out_time_us=N/A\nprogress=end\n", 0.0),
        ("", 0.0),
        ("out_time_us=500000\nprogress=continue\nout_time_us=2000000\nprogress=end\n", 2.0),
        ("out_time_us=-23220\nprogress=end\n", 0.0),
    ],
)
def test_reading_ffmpeg_progress(progress: str, seconds: float) -> None:
    from audio_library.probe import _last_out_time_s

    assert _last_out_time_s(progress) == seconds


def _ffprobe_format_duration(path: Path) -> str:
    return subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        check=True, capture_output=True, text=True,
    ).stdout.strip()


# --- limits: kinds of audio, duration, decode time ------------------------------------

@pytest.mark.parametrize(("name", "args", "what", "kind"), [
    ("sixteen.wav", ("-f", "lavfi", "-i", "sine=d=1:sample_rate=8000", "-af", "pan=hexadecagonal|c0=c0|c1=c0"),
     "16 channels, at most 8", {"kind": "channels", "channels": 16, "most": 8}),
    ("low.wav", ("-f", "lavfi", "-i", "sine=d=1:sample_rate=4000"), "sample rate 4000 Hz, 8000–192000 Hz",
     {"kind": "sample_rate", "rate": 4000, "lowest": 8000, "highest": 192000}),
    ("adpcm.wav", ("-f", "lavfi", "-i", "sine=d=1:sample_rate=8000", "-c:a", "adpcm_ima_wav"),
     "codec adpcm_ima_wav", {"kind": "codec", "codec": "adpcm_ima_wav"}),
])
def test_audio_of_a_kind_not_accepted_is_refused(make_media, name: str, args: tuple[str, ...], what: str,
                                                 kind: dict) -> None:
    with pytest.raises(NotAudioError) as err:
        probe(make_media(name, *args))
    assert (err.value.reason, err.value.values["what"]) == ("unsupported", what)  # the CLI's and the API's words
    assert err.value.values == {"name": name, "what": what, **kind}  # the pages' (probe.UNSUPPORTED)
    assert err.value.message_id == probe_module.UNSUPPORTED[kind["kind"]]


def test_audio_longer_than_the_limit_is_refused(sine_mp3: Path, monkeypatch) -> None:
    monkeypatch.setattr(probe_module, "MAX_DURATION_S", 1)
    with pytest.raises(NotAudioError, match=r"lasts 2 s, over the limit of 1 s") as err:
        probe(sine_mp3)
    assert err.value.reason == "too_long"


@pytest.fixture
def hanging_decode(fake_ffmpeg) -> None:
    """An ffmpeg whose decode of a file never ends (ffprobe reads the headers as usual)."""
    fake_ffmpeg("*-xerror*", "exec sleep 60")


def test_a_decode_past_its_time_out_is_refused(sine_mp3: Path, monkeypatch, hanging_decode, child_processes) -> None:
    monkeypatch.setattr(probe_module, "DECODE_TIMEOUT_S", 0.5)
    with pytest.raises(NotAudioError, match=r"could not be read within 0.5 s") as err:
        probe(sine_mp3)
    assert err.value.reason == "too_slow"
    assert child_processes() == set()  # killed and reaped


def test_a_file_the_headers_refuse_stops_its_decode(sine_mp3: Path, monkeypatch, hanging_decode,
                                                    child_processes) -> None:
    # The decode starts beside ffprobe; a refusal from the headers does not wait for it.
    monkeypatch.setattr(probe_module, "MAX_DURATION_S", 1)
    with pytest.raises(NotAudioError, match=r"lasts 2 s, over the limit of 1 s"):
        probe(sine_mp3, loudness=True)
    assert child_processes() == set()
