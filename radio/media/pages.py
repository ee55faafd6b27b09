"""Handlers of the audio library pages: upload (checked and converted by `library.py`), listen,
availability and expiry; spots recorded with the microphone and their approval (`recordings.py`).
Load → check the area scope → call the operation → render."""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from flask import (
    Blueprint, abort, current_app, flash, redirect, render_template, request, session as session_store, url_for,
)
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename

from audio_library import NotAudioError

from .. import clock, db
from ..auth.permissions import area_ids_in_scope, may, require
from ..content_series import offered_series
from ..models import Episode, Plan, Recording, Series, Station
from ..stores import send_stored
from ..ui.fields import ButtonForm
from ..ui.i18n import format_duration
from ..ui.nav import NavItem, register_nav
from ..ui.scope import scoped_in_series
from ..ui.series_choice import chosen_offer, offer_series
from ..ui.words import words
from .forms import AvailabilityForm, RecordForm, RejectRecordingForm, UploadForm
from .library import (
    AvailabilityNote, LibraryError, add_episode_audio, availability_note, planned_airings, set_availability,
)
from .recordings import RecordingDecided, add_recording, approve_recording, reject_recording

bp = Blueprint("media", __name__, url_prefix="/library")


def _series_in_scope(session) -> list[Series]:
    scope = area_ids_in_scope(session, current_user, "audio.upload")
    return session.scalars(select(Series).join(Plan).where(Plan.issued_by_id.in_(scope))
                           .options(selectinload(Series.episodes).selectinload(Episode.media))
                           .order_by(Series.title, Series.id)).all()


def _today():
    return clock.now().astimezone(clock.station_tz()).date()


def _page(form: UploadForm, series: list[Series], status: int = 200):
    return render_template("media/index.html", form=form, series=series,
                           offers=offer_series(form, "audio.upload", _today()),
                           today=clock.now().astimezone(clock.station_tz()).date(),
                           waiting=len(_recordings_in_scope(db.session(), waiting=True)),
                           max_mb=current_app.config["MAX_UPLOAD_MB"]), status


@contextmanager
def _received(upload_file) -> Iterator[tuple[Path, str]]:
    """The uploaded file saved under a safe name in a temporary folder, and the name the user gave it."""
    name = upload_file.filename or "audio"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (secure_filename(name) or "upload")
        upload_file.save(path)
        yield path, name


@login_required
def index():
    return _page(UploadForm(), _series_in_scope(db.session()))


@login_required
def upload():
    session, now = db.session(), clock.now()
    series = _series_in_scope(session)
    form = UploadForm()
    offers = offer_series(form, "audio.upload", _today())
    if not form.validate_on_submit():
        return _page(form, series, 400)
    chosen = chosen_offer(form, offers)
    try:
        with _received(form.audio.data) as (path, name):
            episode = add_episode_audio(session, current_user, offered_series(session, current_user, chosen, now=now),
                                        path, title=form.title.data or None, name=name,
                                        available_from=form.available_from.data, expires=form.expires.data,
                                        for_requirements=form.for_requirements.data and not chosen.is_general,
                                        now=now)
    except NotAudioError as refused:
        form.audio.errors = [_("Tệp này không dùng được: %(reason)s", reason=words(refused))]
        return _page(form, series, 400)
    except LibraryError as refused:
        form.audio.errors = [words(refused)]
        return _page(form, series, 400)
    session.commit()
    flash(_("Đã thêm tin “%(title)s” (%(duration)s).", title=episode.title,
            duration=format_duration(episode.media.duration_s)), "success")
    return redirect(url_for("media.index") + f"#episode-{episode.id}")


def too_large(_error: RequestEntityTooLarge):
    """The upload or recording page again, saying the limit (the body is refused before any form is read)."""
    if request.endpoint == "media.record":
        form = RecordForm(formdata=None)
        form.audio.errors = [_too_large()]
        return _record_page(form, 413)
    form = UploadForm(formdata=None)
    form.audio.errors = [_too_large()]
    return _page(form, _series_in_scope(db.session()), 413)


def _too_large() -> str:
    return _("Tệp quá lớn: tối đa %(mb)s MB.", mb=current_app.config["MAX_UPLOAD_MB"])


@login_required
def episode(episode_id: int):
    session, found = db.session(), scoped_in_series(Episode, episode_id, "audio.upload")
    form = AvailabilityForm(data={"available_from": found.available_from, "expires": found.expires}
                            if request.method == "GET" else None)
    if form.validate_on_submit():
        before, today = (found.available_from, found.expires), _today()
        set_availability(session, current_user, found, form.available_from.data, form.expires.data,
                         now=clock.now())
        planned = planned_airings(session, found, today)
        note = availability_note(session, found, before, today)
        session.commit()
        if planned:
            flash(_("Đã lưu thời hạn phát. %(count)s mục đã xếp lịch của tin này vẫn giữ nguyên cho tới khi lập lại "
                    "lịch phát.", count=planned), "warning")
        else:
            flash(_("Đã lưu thời hạn phát."), "success")
        _keep_offer(found, note)
        return redirect(url_for("media.episode", episode_id=found.id))
    return render_template("media/episode.html", episode=found, form=form, rebuild_offer=_offer(found, form),
                           button_form=ButtonForm()), 400 if form.errors else 200


def _keep_offer(found: Episode, note: AvailabilityNote | None) -> None:
    """The rebuild the new dates call for, kept in the session for the episode's next page."""
    session_store.pop("library_rebuild_offer", None)
    if note is not None:
        session_store["library_rebuild_offer"] = {
            "episode": found.id, "stations": list(note.stations), "start": note.start.isoformat(),
            "end": note.end.isoformat(),
            "changes": [[name, old and old.isoformat(), new and new.isoformat()]
                        for name, (old, new) in note.changes.items()]}


def _offer(found: Episode, form: AvailabilityForm) -> dict | None:
    """What changed (old → new) and the rebuild: a button for the stations the user may build,
    the others named for whoever builds them."""
    offer = session_store.pop("library_rebuild_offer", None) if request.method == "GET" else None
    if offer is None or offer["episode"] != found.id:
        return None
    stations = db.session().scalars(select(Station).where(Station.code.in_(offer["stations"]))
                                    .order_by(Station.code)).all()
    mine = [s for s in stations if may(current_user, "schedule.build", s.area)]
    labels = {"available_from": form.available_from.label.text, "expires": form.expires.label.text}
    return {"changes": [(labels[name], old and date.fromisoformat(old), new and date.fromisoformat(new))
                        for name, old, new in offer["changes"]],
            "start": date.fromisoformat(offer["start"]), "end": date.fromisoformat(offer["end"]),
            "mine": [s.code for s in mine], "mine_names": ", ".join(s.name for s in mine),
            "others_names": ", ".join(s.name for s in stations if s not in mine)}


def _record_page(form: RecordForm, status: int = 200):
    return render_template("media/record.html", form=form, offers=offer_series(form, "audio.upload", _today()),
                           max_mb=current_app.config["MAX_UPLOAD_MB"]), status


@login_required
def record():
    """Record a spot on the page (or send a recording made elsewhere): it waits for approval."""
    session, now = db.session(), clock.now()
    form = RecordForm()
    offers = offer_series(form, "audio.upload", _today())
    if not offers:
        abort(403)
    if not form.validate_on_submit():
        return _record_page(form, 400 if form.errors else 200)
    chosen = chosen_offer(form, offers)
    try:
        with _received(form.audio.data) as (path, name):
            added = add_recording(session, current_user, offered_series(session, current_user, chosen, now=now),
                                  path, title=form.title.data, name=name, now=now,
                                  for_requirements=form.for_requirements.data and not chosen.is_general)
    except NotAudioError as refused:
        form.audio.errors = [_audio_refused(refused)]
        return _record_page(form, 400)
    session.commit()
    duration = format_duration(added.media.duration_s)
    if added.status == "approved":
        flash(_("Đã ghi âm và duyệt tin “%(title)s” (%(duration)s): tin đã vào chuyên mục, có thể xếp lịch phát.",
                title=added.title, duration=duration), "success")
    else:
        flash(_("Đã gửi bản ghi “%(title)s” (%(duration)s) để duyệt. Tin được phát sau khi người duyệt đồng ý.",
                title=added.title, duration=duration), "success")
    return redirect(url_for("media.recording", recording_id=added.id))


def _audio_refused(refused: NotAudioError) -> str:
    """Why a recording was refused, by the probe's reason, in the page's language."""
    if refused.reason == "too_large":
        return _too_large()
    if refused.reason in ("empty", "zero_duration"):
        return _("Bản ghi không có âm thanh nào: hãy kiểm tra micrô rồi ghi lại.")
    if refused.reason in ("corrupt", "truncated"):
        return _("Bản ghi bị hỏng hoặc bị cắt ngang khi gửi: hãy ghi lại hoặc gửi lại.")
    if refused.reason in ("too_long", "unsupported", "too_slow"):
        return _("Tệp này không dùng được: %(reason)s", reason=words(refused))
    return _("Tệp gửi lên không phải âm thanh dùng được (MP3, WAV, OGG, M4A, FLAC hoặc WebM).")


def _recordings_in_scope(session, waiting: bool) -> list[Recording]:
    """Waiting recordings, oldest first; or the latest decided ones — in the user's library areas."""
    scope = area_ids_in_scope(session, current_user, "audio.upload")
    query = (select(Recording).join(Series).join(Plan).where(Plan.issued_by_id.in_(scope))
             .options(selectinload(Recording.series), selectinload(Recording.media),
                      selectinload(Recording.recorded_by)))
    if waiting:
        return session.scalars(query.where(Recording.status == "submitted").order_by(Recording.id)).all()
    return session.scalars(query.where(Recording.status != "submitted").order_by(Recording.id.desc())
                           .limit(30)).all()


@login_required
def recordings():
    session = db.session()
    return render_template("media/recordings.html", waiting=_recordings_in_scope(session, waiting=True),
                           decided=_recordings_in_scope(session, waiting=False))


@login_required
def recording(recording_id: int):
    return _recording_page(scoped_in_series(Recording, recording_id, "audio.upload"), RejectRecordingForm())


def _recording_page(found: Recording, reject_form: RejectRecordingForm, status: int = 200):
    may_decide = found.status == "submitted" and may(current_user, "script.approve", found.series.plan.issued_by)
    return render_template("media/recording.html", recording=found, may_decide=may_decide,
                           reject_form=reject_form), status


@login_required
def recording_audio(recording_id: int):
    """The recorded audio (canonical), for whoever may see the recording: the approver hears it first."""
    found = scoped_in_series(Recording, recording_id, "audio.upload")
    try:
        return send_stored(found.media_sha256, found.media.suffix, max_age=3600)  # private: scoped to the area
    except FileNotFoundError:  # recorded but gone from the store (restored from an old backup, say)
        abort(404)


@login_required
def recording_approve(recording_id: int):
    session, found = db.session(), scoped_in_series(Recording, recording_id, "audio.upload")
    require(current_user, "script.approve", found.series.plan.issued_by)
    try:
        episode = approve_recording(session, current_user, found, now=clock.now())
    except RecordingDecided:
        return _already_decided(session, found)
    session.commit()
    flash(_("Đã duyệt: tin “%(title)s” đã vào chuyên mục %(series)s, có thể xếp lịch phát hoặc phát hành thành "
            "bản tin.", title=episode.title, series=found.series.title), "success")
    return redirect(url_for("media.recording", recording_id=found.id))


@login_required
def recording_reject(recording_id: int):
    session, found = db.session(), scoped_in_series(Recording, recording_id, "audio.upload")
    require(current_user, "script.approve", found.series.plan.issued_by)
    form = RejectRecordingForm()
    if not form.validate_on_submit():
        return _recording_page(found, form, 400)
    try:
        reject_recording(session, current_user, found, form.reason.data, now=clock.now())
    except RecordingDecided:
        return _already_decided(session, found)
    session.commit()
    flash(_("Đã từ chối bản ghi; người ghi âm sẽ thấy lý do."), "success")
    return redirect(url_for("media.recording", recording_id=found.id))


def _already_decided(session, found: Recording):
    session.rollback()
    flash(_("Bản ghi này đã được duyệt hoặc từ chối trước đó."), "error")
    return redirect(url_for("media.recording", recording_id=found.id))


bp.add_url_rule("/", view_func=index)
bp.add_url_rule("/upload", view_func=upload, methods=["POST"])
bp.register_error_handler(RequestEntityTooLarge, too_large)
bp.add_url_rule("/episodes/<int:episode_id>", view_func=episode, methods=["GET", "POST"])
bp.add_url_rule("/record", view_func=record, methods=["GET", "POST"])
bp.add_url_rule("/recordings", view_func=recordings)
bp.add_url_rule("/recordings/<int:recording_id>", view_func=recording)
bp.add_url_rule("/recordings/<int:recording_id>/audio", view_func=recording_audio)
bp.add_url_rule("/recordings/<int:recording_id>/approve", view_func=recording_approve, methods=["POST"])
bp.add_url_rule("/recordings/<int:recording_id>/reject", view_func=recording_reject, methods=["POST"])

bp.record_once(lambda state: register_nav(
    state.app, NavItem("media.index", _l("Thư viện âm thanh"), ("operator", "approver", "oversight"), "/library/")))
