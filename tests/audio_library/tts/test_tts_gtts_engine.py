"""GttsEngine against a fake Google on 127.0.0.1: retries, back-off, timeouts, no leftovers."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_library import probe
from audio_library.tts import GttsEngine, SynthesisError

TEXT = "Thông báo lịch tiêm chủng tại trạm y tế xã."
BATCH_PATH = "/_/TranslateWebserverUi/data/batchexecute"


def engine(sleeps: list[float], **settings) -> GttsEngine:
    return GttsEngine(sleep=sleeps.append, **settings)


def test_answer_is_written_to_out(fake_google, sleeps, tmp_path: Path, only_localhost) -> None:
    out = tmp_path / "spot.mp3"

    assert engine(sleeps).synthesise(TEXT, out, "vi") == out

    assert out.read_bytes() == fake_google.audio
    assert probe(out).sample_rate == 24000
    assert fake_google.paths == [BATCH_PATH]
    assert len(only_localhost) == 1 and only_localhost[0].startswith("http://127.0.0.1:")
    assert sleeps == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spot.mp3"]


def test_429_then_success_retries_after_backing_off(fake_google, sleeps, tmp_path: Path) -> None:
    fake_google.replies = [429, 429, 200]
    out = tmp_path / "spot.mp3"

    engine(sleeps, backoff_s=1.5).synthesise(TEXT, out, "vi")

    assert sleeps == [1.5, 3.0]
    assert len(fake_google.paths) == 3
    assert out.read_bytes() == fake_google.audio


def test_server_errors_give_up_after_the_retries(fake_google, sleeps, tmp_path: Path) -> None:
    fake_google.replies = [500]
    out = tmp_path / "spot.mp3"

    with pytest.raises(SynthesisError) as err:
        engine(sleeps, retries=3).synthesise(TEXT, out, "vi")

    assert str(err.value) == "gtts: HTTP 500 Internal Server Error from Google after 4 attempts"
    assert err.value.engine == "gtts"
    assert len(fake_google.paths) == 4
    assert sleeps == [1.0, 2.0, 4.0]
    assert list(tmp_path.iterdir()) == []


def test_back_off_is_capped(fake_google, sleeps, tmp_path: Path) -> None:
    fake_google.replies = [503]

    with pytest.raises(SynthesisError, match="HTTP 503"):
        engine(sleeps, retries=5, backoff_s=2, max_backoff_s=5).synthesise(TEXT, tmp_path / "x.mp3", "vi")

    assert sleeps == [2, 4, 5, 5, 5]


def test_client_errors_are_not_retried(fake_google, sleeps, tmp_path: Path) -> None:
    fake_google.replies = [403, 200]

    with pytest.raises(SynthesisError, match=r"^gtts: HTTP 403 Forbidden from Google$"):
        engine(sleeps).synthesise(TEXT, tmp_path / "spot.mp3", "vi")

    assert (len(fake_google.paths), sleeps) == (1, [])
    assert list(tmp_path.iterdir()) == []


def test_timeout_is_retried_then_reported(fake_google, sleeps, tmp_path: Path) -> None:
    fake_google.replies = ["hang"]

    with pytest.raises(SynthesisError) as err:
        engine(sleeps, timeout_s=0.2, retries=1).synthesise(TEXT, tmp_path / "spot.mp3", "vi")

    assert str(err.value) == "gtts: no answer from Google within 0.2 s after 2 attempts"
    assert (len(fake_google.paths), sleeps) == (2, [1.0])
    assert list(tmp_path.iterdir()) == []


def test_slow_answer_then_a_good_one(fake_google, sleeps, tmp_path: Path) -> None:
    fake_google.replies = ["hang", 200]
    out = tmp_path / "spot.mp3"

    engine(sleeps, timeout_s=0.2).synthesise(TEXT, out, "vi")

    assert out.read_bytes() == fake_google.audio


def test_refused_connection_fails_at_once(offline, sleeps, tmp_path: Path, only_localhost) -> None:
    with pytest.raises(SynthesisError) as err:
        engine(sleeps).synthesise(TEXT, tmp_path / "spot.mp3", "vi")

    assert str(err.value) == "gtts: could not connect to Google (offline?)"
    assert sleeps == []
    assert len(only_localhost) == 1 and only_localhost[0].startswith(offline)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("reply", ["no-audio", 200])
def test_an_answer_without_audio_leaves_nothing(fake_google, sleeps, tmp_path: Path, reply) -> None:
    fake_google.replies = [reply]
    if reply == 200:  # a batchexecute answer whose audio field does not parse
        fake_google.answer_body = lambda: b'[["wrb.fr","jQ1olc","[null]"]]\n'

    with pytest.raises(SynthesisError, match=r"^gtts: Google's answer held no audio$"):
        engine(sleeps).synthesise(TEXT, tmp_path / "spot.mp3", "vi")

    assert (len(fake_google.paths), sleeps) == (1, [])
    assert list(tmp_path.iterdir()) == []


def test_a_failed_try_leaves_the_previous_take(fake_google, sleeps, tmp_path: Path) -> None:
    fake_google.replies = [500]
    out = tmp_path / "spot.mp3"
    out.write_bytes(b"previous take")

    with pytest.raises(SynthesisError):
        engine(sleeps, retries=0).synthesise(TEXT, out, "vi")

    assert out.read_bytes() == b"previous take"
    assert [p.name for p in tmp_path.iterdir()] == ["spot.mp3"]


def test_long_text_is_sent_in_parts_and_joined(fake_google, sleeps, tmp_path: Path) -> None:
    # gTTS sends at most 100 characters per request.
    out = engine(sleeps).synthesise(f"{TEXT} " * 5, tmp_path / "long.mp3", "vi")

    assert len(fake_google.paths) > 1
    assert out.read_bytes() == fake_google.audio * len(fake_google.paths)


# --- refusals before any request ---------------------------------------------------

@pytest.mark.parametrize("text", ["", "  \n", "... !!!"])
def test_text_without_words_is_refused(fake_google, sleeps, tmp_path: Path, text: str) -> None:
    with pytest.raises(ValueError, match="text to speak"):
        engine(sleeps).synthesise(text, tmp_path / "spot.mp3", "vi")

    assert fake_google.paths == []


def test_other_voice_is_refused(sleeps, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="this gTTS engine speaks 'vi', not 'en'"):
        engine(sleeps).synthesise(TEXT, tmp_path / "spot.mp3", "en")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"lang": "xx"}, "gTTS does not speak the language 'xx'"),
        ({"timeout_s": 0}, "timeout_s must be positive, got 0"),
        ({"retries": -1}, "retries must be 0 or more, got -1"),
        ({"backoff_s": -1}, "need 0 <= backoff_s <= max_backoff_s"),
        ({"backoff_s": 10, "max_backoff_s": 5}, "need 0 <= backoff_s <= max_backoff_s"),
    ],
)
def test_settings_are_checked(settings: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        GttsEngine(**settings)


def test_repr_and_voices() -> None:
    gtts = GttsEngine(timeout_s=5, retries=2)

    assert repr(gtts) == "GttsEngine(lang='vi', timeout_s=5, retries=2)"
    assert (gtts.name, gtts.voices) == ("gtts", ("vi",))
