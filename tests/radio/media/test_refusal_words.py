"""What the library pages say when they refuse an upload: the reason in Vietnamese, or in English
when chosen, never the English written for the CLI and the API (which keep it)."""
from __future__ import annotations

import pickle
import subprocess

import pytest

from audio_library import NotAudioError
from audio_library.probe import MESSAGES, UNSUPPORTED, probe
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


@pytest.mark.parametrize(("ffmpeg_args", "vietnamese", "english"), [
    (("-af", "pan=hexadecagonal|c0=c0|c1=c0"),
     "Tệp này không dùng được: “ban-tin.wav” có 16 kênh âm thanh, chỉ nhận từ 1 đến 8 kênh",
     "This file cannot be used: “ban-tin.wav” has 16 audio channels; 1 to 8 are accepted"),
    (("-ar", "4000"),
     "Tệp này không dùng được: “ban-tin.wav” có tần số lấy mẫu 4000 Hz, chỉ nhận từ 8000 đến 192000 Hz",
     "This file cannot be used: “ban-tin.wav” has a sample rate of 4000 Hz; 8000 to 192000 Hz are accepted"),
    (("-c:a", "adpcm_ima_wav"),
     "Tệp này không dùng được: “ban-tin.wav” dùng mã hoá âm thanh “adpcm_ima_wav”, không được nhận",
     "This file cannot be used: “ban-tin.wav” uses the audio codec “adpcm_ima_wav”, which is not accepted"),
], ids=["channels", "sample rate", "codec"])
def test_audio_of_a_kind_not_accepted_is_refused_in_the_readers_language(web, scene, tmp_path, ffmpeg_args,
                                                                         vietnamese, english):
    """The kind not accepted is said in the page's words, not in the English of the CLI and the API."""
    path = tmp_path / "ban-tin.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=1:sample_rate=8000",
                    *ffmpeg_args, str(path)], check=True)
    log_in(web, "op-tk")
    assert _error(_upload(web, scene, path.read_bytes()).get_data(as_text=True), "audio") == vietnamese
    web.set_cookie("lang", "en")
    assert _error(_upload(web, scene, path.read_bytes()).get_data(as_text=True), "audio") == english


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
    names = {"name": "x", "size": "1 MB", "limit": "1 MB", "declared": 2.0, "decoded": 1.0, "duration": 3,
             "what": "codec x", "codec": "x", "channels": 16, "most": 8, "rate": 4000, "lowest": 8000,
             "highest": 192000}
    for reason, message in [*MESSAGES.items(), *UNSUPPORTED.items()]:
        assert message % names, reason
