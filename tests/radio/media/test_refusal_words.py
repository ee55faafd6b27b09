"""What the library pages say when they refuse an upload: the reason in Vietnamese, or in English
when chosen, never the English written for the CLI and the API (which keep it)."""
from __future__ import annotations

import pickle
import subprocess

import pytest

from audio_library import NotAudioError
from audio_library.probe import MESSAGES, probe
from tests.radio.media.test_library_pages import _error, _upload
from tests.radio.web_kit import log_in, web  # noqa: F401  (fixture)
from tests.radio.web_scene import scene  # noqa: F401  (fixture)


@pytest.mark.parametrize(("data", "vietnamese", "english", "cli"), [
    (b"RIFF-but-not-really-audio",
     "Tệp này không dùng được: “ban-tin.wav” không phải tệp âm thanh (định dạng lạ, hoặc hỏng tới mức không đọc được)",
     "This file cannot be used: “ban-tin.wav” is not an audio file (unknown format, or too damaged to read)",
     "is not an audio file"),
    (b"", "Tệp này không dùng được: “ban-tin.wav” trống (0 byte)",
     "This file cannot be used: “ban-tin.wav” is empty (0 bytes)", "is empty"),
], ids=["not audio", "empty"])
def test_a_refused_file_says_why_in_the_readers_language(web, scene, data, vietnamese, english, cli):
    log_in(web, "op-tk")
    page = _upload(web, scene, data).get_data(as_text=True)
    assert _error(page, "audio") == vietnamese and cli not in page
    web.set_cookie("lang", "en")
    assert _error(_upload(web, scene, data).get_data(as_text=True), "audio") == english


def test_a_second_file_of_the_same_name_is_refused_naming_the_series_not_its_code(web, scene, tmp_path):
    first, second = tmp_path / "a.wav", tmp_path / "b.wav"
    for path, frequency in ((first, 440), (second, 880)):
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"sine=frequency={frequency}:duration=1", str(path)], check=True)
    log_in(web, "op-tk")
    assert _upload(web, scene, first.read_bytes(), name="tin-moi.wav").status_code == 302
    refused = _upload(web, scene, second.read_bytes(), name="tin-moi.wav", title="Khác")
    message = _error(refused.get_data(as_text=True), "audio")
    assert message == (f"Chuyên mục “{scene['series'].title}” đã có một tin mang mã “tin-moi” (đặt theo tên tệp): "
                       "đổi tên tệp rồi tải lên lại.")
    web.set_cookie("lang", "en")
    refused = _upload(web, scene, second.read_bytes(), name="tin-moi.wav", title="Khác")
    assert _error(refused.get_data(as_text=True), "audio").startswith(f"The series “{scene['series'].title}” already")


def test_every_refusal_of_a_file_has_its_words(tmp_path):
    """Each reason the probe gives has a message, and the values its message names."""
    empty = tmp_path / "rong.mp3"
    empty.write_bytes(b"")
    with pytest.raises(NotAudioError) as refused:
        probe(empty)
    assert refused.value.message_id == MESSAGES["empty"] and refused.value.values == {"name": "rong.mp3"}
    again = pickle.loads(pickle.dumps(refused.value))  # a plan file's problems keep it through a job queue
    assert (str(again), again.reason, again.values) == (str(refused.value), "empty", {"name": "rong.mp3"})
    for reason, message in MESSAGES.items():
        names = {"name": "x", "size": "1 MB", "limit": "1 MB", "declared": 2.0, "decoded": 1.0, "duration": 3,
                 "what": "codec x"}
        assert message % names, reason
