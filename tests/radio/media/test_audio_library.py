"""The audio library shell: uploads become canonical episodes, refusals leave nothing, voicing."""
from __future__ import annotations

import subprocess
from pathlib import Path

import gtts.tts
import pytest
from sqlalchemy import func, select

from audio_library import probe
from audio_library.canonical import measure_loudness
from audio_library.tts import EspeakEngine, GttsEngine
from radio.stores import media_store
from radio.models import Episode, MediaFile, Script, TtsCacheEntry
from radio.scripts import operations as ops
from radio.scripts.voicing import make_engines, voice_script
from tests.factories import MADE, create_area, create_plan, create_series, create_user
from tests.fake_google import fake_google_serving, google_answer_audio


@pytest.fixture
def library(db):
    commune = create_area(db, "C1", "commune")
    series = create_series(db, create_plan(db, commune, "kh-c1"), "cds")
    writer = create_user(db, "viet", "operator", commune)
    approver = create_user(db, "duyet", "approver", commune)
    db.commit()
    return {"series": series, "writer": writer, "approver": approver}


def tone(path, *extra, seconds=2, volume=0.1):
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                    "-af", f"volume={volume}", *extra, "-y", str(path)], check=True)
    return path


def stored_files(app):
    return sorted(p.name for p in Path(app.config["MEDIA_DIR"]).rglob("*") if p.is_file())


@pytest.mark.parametrize("name, extra", [("a.wav", ()), ("a.m4a", ("-c:a", "aac"))])  # every format: tests/audio_library
def test_any_common_format_becomes_a_canonical_episode_on_target(runner, db, library, tmp_path, app, name, extra):
    result = runner.invoke(args=["audio", "add", str(tone(tmp_path / name, *extra)), "--series", "cds",
                                 "--title", "Bản tin thử", "--as", "viet"])
    assert result.exit_code == 0, result.output
    episode = db.scalar(select(Episode))
    path = media_store().path_for(episode.media.sha256)
    info = probe(path)
    assert (info.codec, info.sample_rate, info.channels) == ("mp3", 44100, 1)
    assert abs(measure_loudness(path).integrated_lufs - app.config["LOUDNESS_TARGET_LUFS"]) <= 0.5
    assert episode.media.is_canonical and media_store().exists(episode.media.original_sha256)


@pytest.mark.parametrize("label", ["text renamed .mp3", "empty", "truncated"])
def test_bad_files_are_refused_and_leave_nothing_behind(runner, db, library, tmp_path, app, label):
    path = tmp_path / "bad.mp3"
    if label == "text renamed .mp3":
        path.write_text("không phải âm thanh")
    elif label == "empty":
        path.write_bytes(b"")
    else:
        data = tone(tmp_path / "whole.mp3", seconds=6).read_bytes()
        path.write_bytes(data[: len(data) // 2])
    result = runner.invoke(args=["audio", "add", str(path), "--series", "cds", "--as", "viet"])
    assert result.exit_code == 1
    assert "bad.mp3" in result.output
    assert db.scalar(select(func.count()).select_from(MediaFile)) == 0
    assert db.scalar(select(func.count()).select_from(Episode)) == 0
    assert stored_files(app) == []


def test_the_same_audio_twice_is_refused_unless_asked_for_and_stored_once(runner, db, library, tmp_path, app):
    path = tone(tmp_path / "a.wav")
    assert runner.invoke(args=["audio", "add", str(path), "--series", "cds", "--code", "one", "--title", "Bản tin một",
                               "--as", "viet"]).exit_code == 0
    files = stored_files(app)
    refused = runner.invoke(args=["audio", "add", str(path), "--series", "cds", "--code", "two", "--as", "viet"])
    assert refused.exit_code == 1
    assert "episode one (“Bản tin một”) of cds has this audio already" in refused.output
    assert "--allow-duplicate" in refused.output and db.scalar(select(func.count()).select_from(Episode)) == 1
    again = runner.invoke(args=["audio", "add", str(path), "--series", "cds", "--code", "two", "--allow-duplicate",
                                "--as", "viet"])
    assert again.exit_code == 0, again.output
    assert stored_files(app) == files
    shas = db.scalars(select(Episode.media_sha256).order_by(Episode.code)).all()
    assert len(shas) == 2 and shas[0] == shas[1]


def test_uploading_needs_rights_on_the_area(runner, db, library, tmp_path):
    create_user(db, "ngoai", "operator", create_area(db, "C2", "commune"))
    db.commit()
    result = runner.invoke(args=["audio", "add", str(tone(tmp_path / "a.wav")), "--series", "cds", "--as", "ngoai"])
    assert result.exit_code == 1 and "rights on C1" in result.output


def _approved(db, library, text="Chào mừng Ngày Chuyển đổi số quốc gia 10/10."):
    script = ops.add_script(db, library["writer"], library["series"], "Khẩu hiệu", text, now=MADE)
    ops.submit_script(db, library["writer"], script, now=MADE)
    ops.approve_script(db, library["approver"], script, now=MADE)
    return script


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected"])
def test_only_an_approved_script_can_be_voiced(runner, db, library, state):
    script = ops.add_script(db, library["writer"], library["series"], "Khẩu hiệu", "Nội dung.", now=MADE)
    if state != "draft":
        ops.submit_script(db, library["writer"], script, now=MADE)
    if state == "rejected":
        ops.reject_script(db, library["approver"], script, "Chưa đạt", now=MADE)
    db.commit()
    result = runner.invoke(args=["scripts", "voice", str(script.id)])
    assert result.exit_code == 1 and "only an approved script can be voiced" in result.output
    assert db.scalar(select(func.count()).select_from(MediaFile)) == 0


def test_voicing_stores_a_canonical_spot_and_a_second_voicing_does_no_work(db, library, app):
    script = _approved(db, library)
    episode = voice_script(db, library["approver"], script, now=MADE)
    assert episode.tts_engine == "espeak-ng" and episode.script_version_id == script.approved_version_id
    assert episode.media.is_canonical and episode.duration_s > 1
    files = stored_files(app)
    again = voice_script(db, library["approver"], script, now=MADE)
    assert again.media_sha256 == episode.media_sha256 and stored_files(app) == files
    assert db.scalar(select(func.count()).select_from(TtsCacheEntry)) == 1


def test_a_changed_espeak_speed_voices_the_script_again(db, library, app, monkeypatch):
    script = _approved(db, library)
    usual = voice_script(db, None, script, [EspeakEngine(speed_wpm=150)], now=MADE).media_sha256
    assert voice_script(db, None, script, [EspeakEngine(speed_wpm=150)], now=MADE).media_sha256 == usual  # a cache hit
    files = stored_files(app)
    monkeypatch.setitem(app.config, "TTS_ESPEAK_SPEED_WPM", 300)  # the station speeds the voice up
    faster = voice_script(db, None, script, now=MADE)
    assert faster.media_sha256 != usual and stored_files(app) != files
    assert faster.duration_s < 0.75 * db.get(MediaFile, usual).duration_s
    assert db.scalar(select(func.count()).select_from(TtsCacheEntry)) == 2
    back = voice_script(db, None, script, [EspeakEngine(speed_wpm=150)], now=MADE)
    assert back.media_sha256 == usual  # the old speed's spot is still cached


def test_an_invalid_espeak_speed_setting_is_named(db, library, app, monkeypatch):
    monkeypatch.setitem(app.config, "TTS_ESPEAK_SPEED_WPM", 1000)
    with pytest.raises(ops.ScriptError, match="TTS_ESPEAK_SPEED_WPM.*speed_wpm must be between 80 and 450"):
        make_engines(["espeak-ng"])


def test_gtts_spots_are_cached_by_google_domain_too(db, library, monkeypatch, tmp_path):
    script = _approved(db, library)
    with fake_google_serving(google_answer_audio(tmp_path / "answer.mp3"), monkeypatch) as google:
        first = voice_script(db, None, script, make_engines(["gtts"]), now=MADE)
        again = voice_script(db, None, script, make_engines(["gtts"]), now=MADE)
        assert (first.tts_engine, again.media_sha256, len(google.paths)) == ("gtts", first.media_sha256, 1)
        voice_script(db, None, script, [GttsEngine(tld="com.vn")], now=MADE)
        assert len(google.paths) == 2  # another domain, another spot: Google asked again
    assert db.scalar(select(func.count()).select_from(TtsCacheEntry)) == 2


def test_gtts_unreachable_falls_back_to_espeak(db, library, monkeypatch):
    monkeypatch.setattr(gtts.tts, "_translate_url", lambda tld="com", path="": f"http://127.0.0.1:1/{path}")
    script = _approved(db, library)
    episode = voice_script(db, None, script, make_engines(["gtts", "espeak-ng"]), now=MADE)
    assert episode.tts_engine == "espeak-ng" and episode.media_sha256 is not None


def test_gtts_alone_unreachable_is_a_clear_error_with_nothing_stored(runner, db, library, monkeypatch, app):
    monkeypatch.setattr(gtts.tts, "_translate_url", lambda tld="com", path="": f"http://127.0.0.1:1/{path}")
    script = _approved(db, library)
    db.commit()
    result = runner.invoke(args=["scripts", "voice", str(script.id), "--engine", "gtts"])
    assert result.exit_code == 1 and "gtts" in result.output
    assert stored_files(app) == [] and db.get(Script, script.id) is not None


def test_preview_prints_the_normalised_text_last(runner, db, library):
    result = runner.invoke(args=["tts", "preview", "Họp lúc 17:00 ngày 10/10/2022 tại UBND xã"])
    last = result.output.strip().splitlines()[-1]
    assert "mười bảy giờ" in last and "ủy ban nhân dân" in last.lower() and "/" not in last


def test_a_province_glossary_entry_changes_the_reading(runner, db, library):
    result = runner.invoke(args=["tts", "glossary", "TKQ", "Thanh Kỳ quê hương", "--area", "C1", "--as", "duyet"])
    assert result.exit_code == 0, result.output
    assert "Thanh Kỳ quê hương" in runner.invoke(args=["tts", "preview", "TKQ hôm nay", "--area", "C1"]).output
    assert "Thanh Kỳ quê hương" not in runner.invoke(args=["tts", "preview", "TKQ hôm nay"]).output


def test_normalise_brings_old_audio_to_the_canonical_format(runner, db, library, tmp_path):
    store = media_store()
    stored = store.add(tone(tmp_path / "old.wav", volume=0.02), "wav")
    db.add(MediaFile(sha256=stored.sha256, suffix="wav", bytes=stored.bytes, duration_s=3.0, codec="pcm_s16le",
                     sample_rate=44100, channels=1, created_at=MADE))
    db.add(Episode(series=library["series"], code="old", title="Cũ", media_sha256=stored.sha256, created_at=MADE))
    db.commit()
    result = runner.invoke(args=["audio", "normalise"])
    assert result.exit_code == 0 and "1 file(s)" in result.output
    episode = db.scalar(select(Episode).where(Episode.code == "old"))
    assert episode.media_sha256 != stored.sha256 and episode.media.is_canonical
    assert episode.media.original_sha256 == stored.sha256 and store.exists(stored.sha256)


def test_voice_batch_voices_every_approved_script_with_progress(runner, db, library):
    first, second = _approved(db, library), _approved(db, library, "Khẩu hiệu thứ hai về chuyển đổi số.")
    draft = ops.add_script(db, library["writer"], library["series"], "Nháp", "Chưa duyệt.", now=MADE)
    db.commit()
    result = runner.invoke(args=["scripts", "voice-batch"])
    assert result.exit_code == 0, result.output
    assert "voicing 2 scripts" in result.output and "2 scripts voiced" in result.output
    voiced = {e.script_id for e in db.scalars(select(Episode).where(Episode.media_sha256.is_not(None)))}
    assert voiced == {first.id, second.id} and draft.id not in voiced
    assert "0 scripts voiced" in runner.invoke(args=["scripts", "voice-batch"]).output
