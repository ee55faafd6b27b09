"""`radio import` / `radio export-plan`: strict, all-or-nothing, idempotent, audited, round-tripping."""
from __future__ import annotations

import dataclasses
import hashlib
import subprocess
import unicodedata
from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from audio_library.tts import EspeakEngine
from radio import create_app, schema
from radio import db as radio_db
from radio.media.operations import check_audio as probe_audio
from radio.auth.operations import add_user
from radio.stores import media_store
from radio.models import (
    Area, AuditLog, Base, BroadcastWindow, Device, Episode, MediaFile, Requirement, Script, ScriptVersion, Series,
    Station,
)
from radio.scripts.voicing import voice_script
from schedules.planfile import load_plan
from tests.factories import MADE
from tests.radio.plan_text import PLAN, write_plan


def row_counts(db) -> dict[str, int]:
    return {t.name: db.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_import_loads_every_record(runner, db, tmp_path):
    result = runner.invoke(args=["import", str(write_plan(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "created:" in result.output
    station_windows = db.scalars(select(BroadcastWindow).order_by(BroadcastWindow.start_time)).all()
    assert [(w.name, w.start_time) for w in station_windows] == [("sang", time(5, 30)), ("chieu", time(17, 0))]
    requirement = db.scalar(select(Requirement))
    assert (requirement.min_airings, requirement.max_airings, requirement.days) == (2, 2, ("TU", "TH"))
    assert [s.code for s in requirement.stations] == ["thanhky"]


def test_scalars_are_read_as_text(runner, db, tmp_path):
    assert runner.invoke(args=["import", str(write_plan(tmp_path))]).exit_code == 0
    village = db.scalar(select(Area).where(Area.code == "01"))
    assert village is not None and village.level == "village"
    device = db.scalar(select(Device).where(Device.code == "NO"))
    assert device is not None and device.area.code == "01"


def test_same_file_twice_changes_nothing(runner, db, tmp_path):
    path = write_plan(tmp_path)
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    before = row_counts(db)
    second = runner.invoke(args=["import", str(path)])
    assert second.exit_code == 0 and "no changes" in second.output
    assert row_counts(db) == before


def test_changed_file_updates_by_code_and_never_deletes(runner, db, tmp_path):
    assert runner.invoke(args=["import", str(write_plan(tmp_path))]).exit_code == 0
    changed = PLAN.replace("Khẩu hiệu 1", "Khẩu hiệu số 1").replace("airings: {min: 2, max: 2}", "airings: {min: 1, max: 2}")
    changed = changed.replace("  - code: cds-w48\n    series: cds\n    title: \"Bản tin chuyển đổi số tuần 48\"\n"
                              "    available_from: \"2026-11-23\"\n    expires: \"2027-01-31\"\n", "")
    result = runner.invoke(args=["import", str(write_plan(tmp_path, changed, "v2.yaml"))])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(Requirement.min_airings)) == 1
    assert db.scalar(select(Episode.title).where(Episode.code == "slogan-1")) == "Khẩu hiệu số 1"
    assert db.scalar(select(Episode).where(Episode.code == "cds-w48")) is not None
    update = db.scalar(select(AuditLog).where(AuditLog.action == "requirement.update"))
    assert update.before == {"min_airings": 2} and update.after == {"min_airings": 1}


def test_prune_removes_what_the_file_no_longer_has(runner, db, tmp_path):
    assert runner.invoke(args=["import", str(write_plan(tmp_path))]).exit_code == 0
    without = PLAN.replace("  - code: cds-w48\n    series: cds\n    title: \"Bản tin chuyển đổi số tuần 48\"\n"
                           "    available_from: \"2026-11-23\"\n    expires: \"2027-01-31\"\n", "")
    result = runner.invoke(args=["import", "--prune", str(write_plan(tmp_path, without, "v2.yaml"))])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(Episode).where(Episode.code == "cds-w48")) is None
    assert db.scalar(select(Episode).where(Episode.code == "slogan-1")) is not None
    assert db.scalar(select(AuditLog).where(AuditLog.action == "episode.delete")).object_key == "tk-2026/cds-w48"


def test_prune_keeps_what_something_still_refers_to_and_says_what(runner, db, tmp_path):
    """The episodes and the requirement go; the series stays, as the script of one episode refers to it."""
    assert runner.invoke(args=["import", str(write_plan(tmp_path))]).exit_code == 0
    header_only = PLAN.split("series:\n")[0]
    result = runner.invoke(args=["import", "--prune", str(write_plan(tmp_path, header_only, "v2.yaml"))])
    assert result.exit_code == 1
    assert "series: cannot prune: series 'cds' cannot be removed: scripts still refer to it" in result.output
    assert db.scalar(select(Series.code)) == "cds" and db.scalar(select(Requirement.code)) == "tk-cds-weekly"


BAD_FILES = [
    ("unknown key", PLAN.replace("    period: week\n", "    period: week\n    airing: {min: 1}\n"), 44, "airing"),
    ("unknown parent", PLAN.replace("parent: TH-NT}", "parent: TH-XX}"), 12, "parent"),
    ("min above max", PLAN.replace("airings: {min: 2, max: 2}", "airings: {min: 3, max: 2}"), 44, "airings"),
    ("window name", PLAN.replace("windows: [sang, chieu]", "windows: [sang, toi]"), 47, "windows[1]"),
]


@pytest.mark.parametrize("label, text, line, field", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_refused_whole_with_file_line_and_field(runner, db, tmp_path, label, text, line, field):
    path = write_plan(tmp_path, text)
    before = row_counts(db)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert f"{path}:{line}: " in result.output and field in result.output
    assert "nothing was changed" in result.output
    assert row_counts(db) == before


NESTED = "[" * 5000 + "]" * 5000  # the file that once ended `radio import` in a RecursionError traceback


@pytest.mark.parametrize(("name", "text"), [("sau.yaml", f"version: 1\nplan: {NESTED}\n"),
                                            ("sau.json", f'{{"version": 1,\n "plan": {NESTED}}}\n')])
def test_5000_nested_brackets_are_refused_at_their_line(runner, db, tmp_path, name, text):
    path = write_plan(tmp_path, text, name)
    before = row_counts(db)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}:2: nested more than 32 levels deep" in result.output and "nothing was changed" in result.output
    assert row_counts(db) == before


def test_every_problem_is_listed(runner, tmp_path):
    text = PLAN.replace("parent: TH-NT}", "parent: TH-XX}").replace("airings: {min: 2, max: 2}", "airings: {min: 3, max: 2}")
    result = runner.invoke(args=["import", str(write_plan(tmp_path, text))])
    assert result.exit_code == 1
    assert "2 problem(s)" in result.output


def test_text_arrives_nfc(runner, db, tmp_path):
    decomposed = unicodedata.normalize("NFD", PLAN)
    assert decomposed != PLAN
    assert runner.invoke(args=["import", str(write_plan(tmp_path, decomposed))]).exit_code == 0
    assert db.scalar(select(Series.title)) == unicodedata.normalize("NFC", "Chuyên mục Chuyển đổi số")


def test_scripts_arrive_submitted(runner, db, tmp_path):
    assert runner.invoke(args=["import", str(write_plan(tmp_path))]).exit_code == 0
    version = db.scalar(select(ScriptVersion))
    assert version.status == "submitted" and version.decided_by_id is None


def _seed_areas(runner, tmp_path):
    """The area tree, loaded by a first import so that users can be granted roles on it."""
    assert runner.invoke(args=["import", str(write_plan(tmp_path))]).exit_code == 0


def test_an_approver_of_the_area_imports_scripts_approved(runner, db, tmp_path):
    _seed_areas(runner, tmp_path)
    approver = add_user(db, None, "duyet", "mat-khau-123", "approver", "TH-NT", now=MADE)
    changed = PLAN.replace("Chào mừng Ngày", "Nhiệt liệt chào mừng Ngày")
    result = runner.invoke(args=["import", "--as", "duyet", str(write_plan(tmp_path, changed, "v2.yaml"))])
    assert result.exit_code == 0, result.output
    latest = db.scalars(select(ScriptVersion).order_by(ScriptVersion.number)).all()[-1]
    assert (latest.number, latest.status, latest.decided_by_id) == (2, "approved", approver.id)
    assert latest.script.approved_version_id == latest.id
    audit = db.scalar(select(AuditLog).where(AuditLog.action == "script.update"))
    assert audit.actor == "duyet"


def _without_scripts(text=PLAN):
    """PLAN without its scripted episode: a first import that makes the areas users need."""
    return text.replace('  - code: slogan-1\n    series: cds\n    title: "Khẩu hiệu 1"\n    script:\n'
                        '      text: "Chào mừng Ngày Chuyển đổi số quốc gia 10/10."\n', "")


def test_an_approvers_reimport_approves_what_an_earlier_import_left_submitted(runner, db, tmp_path):
    path = write_plan(tmp_path)
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    approver = add_user(db, None, "duyet", "mat-khau-123", "approver", "TH-NT", now=MADE)
    result = runner.invoke(args=["import", "--as", "duyet", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "updated: 1 script"
    version = db.scalar(select(ScriptVersion))
    assert (version.number, version.status, version.decided_by_id) == (1, "approved", approver.id)
    assert version.script.approved_version_id == version.id
    assert db.scalar(select(AuditLog).where(AuditLog.action == "script.approve")).actor == "duyet"
    again = runner.invoke(args=["import", "--as", "duyet", str(path)])
    assert again.exit_code == 0 and again.output.strip() == f"{path}: no changes"


def test_an_import_after_an_approvers_leaves_the_scripts_approved(runner, db, tmp_path):
    assert runner.invoke(args=["import", str(write_plan(tmp_path, _without_scripts(), "areas.yaml"))]).exit_code == 0
    approver = add_user(db, None, "duyet", "mat-khau-123", "approver", "TH-NT", now=MADE)
    path = write_plan(tmp_path)
    assert runner.invoke(args=["import", "--as", "duyet", str(path)]).exit_code == 0
    for who in ([], ["--as", "duyet"]):
        result = runner.invoke(args=["import", *who, str(path)])
        assert result.exit_code == 0 and result.output.strip() == f"{path}: no changes"
    (version,) = db.scalars(select(ScriptVersion)).all()
    assert (version.status, version.decided_by_id) == ("approved", approver.id)
    assert db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "script.approve")) == 1


def test_someone_without_rights_on_the_area_is_refused(runner, db, tmp_path):
    _seed_areas(runner, tmp_path)
    add_user(db, None, "khac", "mat-khau-123", "operator", "TH-NT-TK", now=MADE)
    db.commit()  # the command's rollback must not take the set-up with it
    before = row_counts(db)
    result = runner.invoke(args=["import", "--as", "khac", str(write_plan(tmp_path, PLAN.replace("Khẩu hiệu 1", "X"), "v2.yaml"))])
    assert result.exit_code == 1 and "no admin, oversight or approver role on TH-NT-TK" in result.output
    assert row_counts(db) == before


def test_every_change_is_audited(runner, db, tmp_path):
    assert runner.invoke(args=["import", str(write_plan(tmp_path))]).exit_code == 0
    actions = set(db.scalars(select(AuditLog.action)))
    assert {"area.create", "plan.create", "station.create", "window.create", "device.create",
            "series.create", "episode.create", "requirement.create", "script.create"} <= actions


TITLED = PLAN.replace('{name: chieu, days:', '{name: chieu, title: "Buổi chiều mùa hè", days:')


def test_window_titles_are_stored_exported_and_read_back(runner, db, tmp_path):
    assert TITLED != PLAN
    assert runner.invoke(args=["import", str(write_plan(tmp_path, TITLED))]).exit_code == 0
    windows = {w.name: w for w in db.scalars(select(BroadcastWindow))}
    assert (windows["chieu"].title, windows["chieu"].display_name()) == ("Buổi chiều mùa hè", "Buổi chiều mùa hè")
    assert (windows["sang"].title, windows["sang"].display_name()) == (None, "Buổi sáng")  # the usual words
    out = tmp_path / "export" / "plan.yaml"
    out.parent.mkdir()
    assert runner.invoke(args=["export-plan", "--out", str(out)]).exit_code == 0
    assert 'title: "Buổi chiều mùa hè"' in out.read_text(encoding="utf-8")
    exported = load_plan(out).stations[0].windows
    assert [(w.name, w.title) for w in exported] == [("sang", None), ("chieu", "Buổi chiều mùa hè")]


VOICED = (PLAN.replace("{code: TH, name: \"Thanh Hóa\", level: province}",
                      "{code: TH, name: \"Thanh Hóa\", level: province, voice: central, voice_pause: 600}")
          .replace("    area: TH-NT-TK\n", "    area: TH-NT-TK\n    voice: south\n    voice_speed: 140\n", 1))


def test_voices_are_stored_exported_and_read_back_and_a_file_without_them_keeps_the_areas(runner, db, tmp_path):
    assert VOICED.count("voice") == 4
    assert runner.invoke(args=["import", str(write_plan(tmp_path, VOICED))]).exit_code == 0
    station, province = db.scalar(select(Station)), db.scalar(select(Area).where(Area.code == "TH"))
    assert (station.voice_region, station.voice_speed_wpm, station.voice_pause_ms) == ("south", 140, None)
    assert (province.voice_region, province.voice_speed_wpm, province.voice_pause_ms) == ("central", None, 600)
    out = tmp_path / "export" / "plan.yaml"
    out.parent.mkdir()
    assert runner.invoke(args=["export-plan", "--out", str(out)]).exit_code == 0
    exported = load_plan(out)
    assert (exported.stations[0].voice.region, exported.stations[0].voice.speed_wpm) == ("south", 140)
    assert exported.areas[0].voice.region == "central" and exported.areas[1].voice.region is None
    assert runner.invoke(args=["import", str(write_plan(tmp_path, PLAN))]).exit_code == 0
    db.expire_all()
    assert province.voice_region == "central"  # areas are shared: a file naming no voice keeps it
    assert station.voice_region is None  # a station is described whole by its file


PLACED = PLAN.replace('{code: NO, area: "01", station: thanhky}', '{code: NO, area: "01", station: thanhky, '
                      'lat: 19.8507, lon: 105.7761}')


def test_device_coordinates_are_stored_exported_and_read_back(runner, db, tmp_path):
    assert PLACED != PLAN
    assert runner.invoke(args=["import", str(write_plan(tmp_path, PLACED))]).exit_code == 0
    device = db.scalar(select(Device))
    assert (device.lat, device.lon) == (19.8507, 105.7761)
    assert device.added_at is not None  # availability is measured from here
    out = tmp_path / "export" / "plan.yaml"
    out.parent.mkdir()
    assert runner.invoke(args=["export-plan", "--out", str(out)]).exit_code == 0
    assert "lat: 19.8507, lon: 105.7761" in out.read_text(encoding="utf-8")
    assert (load_plan(out).devices[0].lat, load_plan(out).devices[0].lon) == (19.8507, 105.7761)


def test_coordinates_out_of_range_are_refused_with_their_line(runner, db, tmp_path):
    path = write_plan(tmp_path, PLACED.replace("lat: 19.8507", "lat: 190.5"))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "lat:" in text)
    assert f"plan.yaml:{line}: devices[0].lat" in result.output
    assert "must be from -90 to 90 degrees, got 190.5" in result.output
    assert db.scalar(select(func.count()).select_from(Device)) == 0


def test_a_file_without_titles_reads_as_before_and_takes_a_title_away(runner, db, tmp_path):
    assert runner.invoke(args=["import", str(write_plan(tmp_path, TITLED))]).exit_code == 0
    result = runner.invoke(args=["import", str(write_plan(tmp_path, PLAN, "old.yaml"))])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(BroadcastWindow.title).where(BroadcastWindow.name == "chieu")) is None
    update = db.scalar(select(AuditLog).where(AuditLog.action == "window.update"))
    assert (update.before, update.after) == ({"title": "Buổi chiều mùa hè"}, {"title": None})


@pytest.fixture
def tone(tmp_path):
    path = tmp_path / "media" / "cds-w48.mp3"
    path.parent.mkdir()
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                    "-ac", "1", "-ar", "44100", str(path)], check=True)
    return path


def test_audio_is_probed_and_stored_by_content(runner, db, tmp_path, tone, app):
    text = PLAN.replace('    title: "Bản tin chuyển đổi số tuần 48"\n', '    title: "Bản tin chuyển đổi số tuần 48"\n    audio: media/cds-w48.mp3\n')
    result = runner.invoke(args=["import", str(write_plan(tmp_path, text))])
    assert result.exit_code == 0, result.output
    media = db.scalar(select(MediaFile))
    assert 1.9 < media.duration_s < 2.1 and media.codec == "mp3"
    stored = list((tmp_path / "media").rglob(f"{media.sha256}.mp3"))
    assert len(stored) == 1 and stored[0].parent.name == media.sha256[:2]


def test_the_same_bytes_under_several_episodes_are_probed_once(runner, db, tmp_path, tone, app, monkeypatch):
    """An export writes one file per episode, and plans reuse one tone or jingle: each probe is a
    full decode, so identical bytes are probed once (and every episode still gets its audio)."""
    from radio.plans import operations

    copy = tone.with_name("copy.mp3")
    copy.write_bytes(tone.read_bytes())
    probed = []
    monkeypatch.setattr(operations, "check_audio", lambda path: probed.append(path) or probe_audio(path))
    text = PLAN.replace('    title: "Bản tin chuyển đổi số tuần 48"\n', '    title: "Bản tin chuyển đổi số tuần 48"\n    audio: media/cds-w48.mp3\n')
    text = text.replace("requirements:", "  - {code: cds-w49, series: cds, title: \"Tuần 49\", audio: media/copy.mp3}\n"
                                          "  - {code: cds-w50, series: cds, title: \"Tuần 50\", audio: media/cds-w48.mp3}\n"
                                          "requirements:")
    result = runner.invoke(args=["import", str(write_plan(tmp_path, text))])
    assert result.exit_code == 0, result.output
    assert len(probed) == 1
    shas = db.scalars(select(Episode.media_sha256).where(Episode.code.in_(["cds-w48", "cds-w49", "cds-w50"]))).all()
    assert len(shas) == 3 and len(set(shas)) == 1 and None not in shas



def test_shared_audio_is_converted_once_and_an_unchanged_reimport_runs_no_media_tool(runner, db, tmp_path, tone,
                                                                                     app, monkeypatch):
    """Many episodes on one file convert it once; the same plan again finds every file in the
    library by its digest and starts no ffmpeg or ffprobe at all (real tools underneath)."""
    started = []
    real_popen = subprocess.Popen

    class CountingPopen(real_popen):
        def __init__(self, args, *rest, **kwargs):
            started.append(Path(args[0]).name)
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", CountingPopen)
    copy = tone.with_name("copy.mp3")
    copy.write_bytes(tone.read_bytes())
    text = PLAN.replace('    title: "Bản tin chuyển đổi số tuần 48"\n', '    title: "Bản tin chuyển đổi số tuần 48"\n    audio: media/cds-w48.mp3\n')
    text = text.replace("requirements:", "  - {code: cds-w49, series: cds, title: \"Tuần 49\", audio: media/copy.mp3}\n"
                                          "  - {code: cds-w50, series: cds, title: \"Tuần 50\", audio: media/cds-w48.mp3}\n"
                                          "requirements:")
    plan = write_plan(tmp_path, text)
    single = runner.invoke(args=["import", str(plan)])
    assert single.exit_code == 0, single.output
    first = list(started)
    assert first and set(first) <= {"ffmpeg", "ffprobe"}
    assert db.scalar(select(func.count()).select_from(MediaFile)) == 1
    started.clear()
    again = runner.invoke(args=["import", str(plan)])
    assert again.exit_code == 0, again.output
    assert started == []
    shas = db.scalars(select(Episode.media_sha256).where(Episode.code.in_(["cds-w48", "cds-w49", "cds-w50"]))).all()
    assert len(shas) == 3 and len(set(shas)) == 1 and None not in shas


def test_non_audio_is_refused_and_leaves_no_file(runner, db, tmp_path, app):
    fake = tmp_path / "media" / "cds-w48.mp3"
    fake.parent.mkdir()
    fake.write_text("this is not audio")
    text = PLAN.replace('    title: "Bản tin chuyển đổi số tuần 48"\n', '    title: "Bản tin chuyển đổi số tuần 48"\n    audio: media/cds-w48.mp3\n')
    before = row_counts(db)
    result = runner.invoke(args=["import", str(write_plan(tmp_path, text))])
    assert result.exit_code == 1
    assert ":32: episodes[0].audio: " in result.output and "cds-w48.mp3" in result.output
    assert row_counts(db) == before
    store = tmp_path / "media"
    assert sorted(p.name for p in store.rglob("*") if p.is_file()) == ["cds-w48.mp3"]


def test_export_then_import_round_trips(runner, db, tmp_path, tone):
    text = PLAN.replace('    title: "Bản tin chuyển đổi số tuần 48"\n', '    title: "Bản tin chuyển đổi số tuần 48"\n    audio: media/cds-w48.mp3\n')
    original = write_plan(tmp_path, text)
    assert runner.invoke(args=["import", str(original)]).exit_code == 0
    out = tmp_path / "export" / "plan.yaml"
    out.parent.mkdir()
    result = runner.invoke(args=["export-plan", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert _without_audio(load_plan(out)) == _without_audio(load_plan(original))
    exported_audio = load_plan(out).episodes[0].audio
    assert exported_audio.parent == out.parent / "media"
    assert exported_audio.read_bytes() == tone.read_bytes()

    app2 = _fresh_app(tmp_path / "fresh")
    result = _invoke_in(app2, "import", str(out))
    assert result.exit_code == 0, result.output
    with app2.app_context():
        assert radio_db.session().scalar(select(MediaFile.original_sha256)) == _sha256(exported_audio)
    again = tmp_path / "export2" / "plan.yaml"
    again.parent.mkdir()
    assert _invoke_in(app2, "export-plan", "--out", str(again)).exit_code == 0
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    app2.extensions["radio.engine"].dispose()


def _fresh_app(folder):
    """An app of its own, with an empty database (SQLite) and media store in `folder`."""
    app2 = create_app({"TESTING": True, "INSTANCE_PATH": str(folder), "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite'}",
                       "SECRET_KEY": "x", "MEDIA_DIR": str(folder / "media")})
    schema.upgrade(app2.extensions["radio.engine"])
    return app2


def _invoke_in(app2, *args):
    """Run a command against `app2`: under the test's app context, the CLI would use that one."""
    with app2.app_context():
        return app2.test_cli_runner().invoke(args=list(args))


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _episodes_and_scripts(session):
    """Each episode with its script's versions (text, status, approver) and whether its audio is
    the voicing of the approved version."""
    rows = []
    for episode in session.scalars(select(Episode).order_by(Episode.code)):
        script = episode.script
        versions = [(v.text, v.status, v.decided_by_id is not None) for v in script.versions] if script else []
        voiced = script is not None and episode.script_version_id == script.approved_version_id is not None
        rows.append((episode.code, episode.title, episode.available_from, versions, voiced))
    return rows


def test_an_approved_voiced_script_round_trips(runner, db, tmp_path, app):
    path = write_plan(tmp_path)
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    add_user(db, None, "duyet", "mat-khau-123", "approver", "TH-NT", now=MADE)
    assert runner.invoke(args=["import", "--as", "duyet", str(path)]).exit_code == 0
    voiced = voice_script(db, None, db.scalar(select(Script)), [EspeakEngine()], now=MADE)
    assert voiced.script_version_id is not None
    out = tmp_path / "export" / "plan.yaml"
    out.parent.mkdir()
    assert runner.invoke(args=["export-plan", "--out", str(out)]).exit_code == 0
    exported = {e.code: e for e in load_plan(out).episodes}["slogan-1"]
    assert exported.script.text == "Chào mừng Ngày Chuyển đổi số quốc gia 10/10."
    assert exported.audio.read_bytes() == media_store().path_for(voiced.media_sha256).read_bytes()
    exported_sha = voiced.media_sha256
    expected = _episodes_and_scripts(db)
    before = row_counts(db)

    same = runner.invoke(args=["import", "--as", "duyet", str(out)])
    assert same.exit_code == 0 and same.output.strip() == f"{out}: no changes"
    assert row_counts(db) == before
    assert db.scalar(select(Episode.media_sha256).where(Episode.code == "slogan-1")) == exported_sha

    app2 = _fresh_app(tmp_path / "fresh")
    result = _invoke_in(app2, "import", str(out))
    assert result.exit_code == 0, result.output
    with app2.app_context():
        add_user(radio_db.session(), None, "duyet", "mat-khau-123", "approver", "TH-NT", now=MADE)
        radio_db.session().commit()
    result = _invoke_in(app2, "import", "--as", "duyet", str(out))
    assert result.exit_code == 0 and result.output.strip() == "updated: 1 episode, 1 script", result.output
    again = tmp_path / "export2" / "plan.yaml"
    again.parent.mkdir()
    assert _invoke_in(app2, "export-plan", "--out", str(again)).exit_code == 0
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    assert (again.parent / "media" / "slogan-1.mp3").read_bytes() == exported.audio.read_bytes()
    with app2.app_context():
        session = radio_db.session()
        assert _episodes_and_scripts(session) == expected
        media = session.scalar(select(Episode).where(Episode.code == "slogan-1")).media
        assert media.original_sha256 == exported_sha  # the very audio, converted as any file is
    app2.extensions["radio.engine"].dispose()


def _without_audio(doc):
    """The document with audio paths blanked (they differ by folder; their bytes are compared apart)."""
    return dataclasses.replace(doc, episodes=tuple(dataclasses.replace(e, audio=None) for e in doc.episodes))


def test_audit_rows_of_new_areas_name_their_parent_area(runner, db, tmp_path):
    assert runner.invoke(args=["import", str(write_plan(tmp_path))]).exit_code == 0
    row = db.scalar(select(AuditLog).where(AuditLog.action == "area.create", AuditLog.object_key == "TH-NT-TK"))
    assert row.area_id == db.scalar(select(Area.id).where(Area.code == "TH-NT"))


def test_new_areas_under_stored_ones_and_changed_areas_on_reimport(runner, db, tmp_path):
    assert runner.invoke(args=["import", str(write_plan(tmp_path))]).exit_code == 0
    village = '  - {code: "01", name: "Thôn 1", level: village, parent: TH-NT-TK}\n'
    text = PLAN.replace(village, '  - {code: "02-1", name: "Xóm 1", level: village, parent: "02"}\n'
                                 '  - {code: "02", name: "xã Hai", level: commune, parent: TH-NT}\n'
                                 + village.replace("Thôn 1", "Thôn Một"))
    result = runner.invoke(args=["import", str(write_plan(tmp_path, text, "v2.yaml"))])
    assert result.exit_code == 0, result.output
    ids = dict(db.execute(select(Area.code, Area.id)).all())
    parents = dict(db.execute(select(Area.code, Area.parent_id)).all())
    assert parents["02"] == ids["TH-NT"] and parents["02-1"] == ids["02"]
    assert db.scalar(select(Area.name).where(Area.code == "01")) == "Thôn Một"
    audits = {(row.action, row.object_key): row for row in db.scalars(select(AuditLog))}
    assert audits[("area.create", "02")].area_id == ids["TH-NT"]
    assert audits[("area.create", "02-1")].area_id == ids["02"]
    assert audits[("area.create", "02-1")].after == {"code": "02-1", "name": "Xóm 1", "level": "village",
                                                      "parent": "02"}
    assert audits[("area.update", "01")].before == {"name": "Thôn 1"}
    assert audits[("area.update", "01")].after == {"name": "Thôn Một"}


def test_an_areas_official_code_is_stored_exported_and_kept_by_a_file_without_it(runner, db, tmp_path):
    coded = PLAN.replace("{code: TH, name: \"Thanh Hóa\", level: province}",
                         "{code: TH, name: \"Thanh Hóa\", level: province, admin_code: \"38\"}")
    assert runner.invoke(args=["import", str(write_plan(tmp_path, coded))]).exit_code == 0
    province = db.scalar(select(Area).where(Area.code == "TH"))
    assert province.admin_code == "38"
    out = tmp_path / "export" / "plan.yaml"
    out.parent.mkdir()
    assert runner.invoke(args=["export-plan", "--out", str(out)]).exit_code == 0
    assert load_plan(out).areas[0].admin_code == "38"
    assert runner.invoke(args=["import", str(write_plan(tmp_path, PLAN))]).exit_code == 0
    db.expire_all()
    assert province.admin_code == "38"  # areas are shared: a file naming no code keeps it


def test_an_episode_not_meant_for_the_requirements_keeps_its_marking_through_import_and_export(db, tmp_path):
    from radio.models import Episode, Plan
    from radio.plans.export import plan_document
    from radio.plans.operations import import_plan
    from schedules.planfile import dump_plan

    text = PLAN.replace('    title: "Khẩu hiệu 1"\n', '    title: "Khẩu hiệu 1"\n    for_requirements: "no"\n')
    assert text != PLAN
    import_plan(db, write_plan(tmp_path, text), None, now=MADE)
    flags = dict(db.execute(select(Episode.code, Episode.for_requirements)).all())
    assert flags == {"cds-w48": True, "slogan-1": False}
    plan = db.scalar(select(Plan).where(Plan.code == "tk-2026"))
    exported = dump_plan(plan_document(db, plan, None))
    assert exported.count("for_requirements") == 1 and 'for_requirements: "no"' in exported
