"""Handlers of the audio library pages: upload (checked and converted by `library.py`), listen,
availability and expiry. Load → check the area scope → call the operation → render."""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename

from audio_library import NotAudioError

from .. import clock, db
from ..auth.permissions import area_ids_in_scope, require
from ..models import Episode, Plan, Series
from ..ui.i18n import format_duration
from ..ui.nav import NavItem, register_nav
from ..ui.words import words
from .forms import AvailabilityForm, UploadForm
from .library import LibraryError, add_episode_audio, set_availability

bp = Blueprint("media", __name__, url_prefix="/library")


def _series_in_scope(session) -> list[Series]:
    scope = area_ids_in_scope(session, current_user, "audio.upload")
    return session.scalars(select(Series).join(Plan).where(Plan.issued_by_id.in_(scope))
                           .options(selectinload(Series.episodes).selectinload(Episode.media))
                           .order_by(Series.title, Series.id)).all()


def _upload_form(series: list[Series], **kwargs) -> UploadForm:
    form = UploadForm(**kwargs)
    form.series.choices = [(str(s.id), f"{s.title} ({s.plan.title})") for s in series]
    return form


def _page(form: UploadForm, series: list[Series], status: int = 200):
    return render_template("media/index.html", form=form, series=series,
                           today=clock.now().astimezone(clock.station_tz()).date(),
                           max_mb=current_app.config["MAX_UPLOAD_MB"]), status


@login_required
def index():
    series = _series_in_scope(db.session())
    return _page(_upload_form(series), series)


@login_required
def upload():
    session = db.session()
    series = _series_in_scope(session)
    form = _upload_form(series)
    if not form.validate_on_submit():
        return _page(form, series, 400)
    chosen = next(s for s in series if str(s.id) == form.series.data)
    upload_file = form.audio.data
    name = upload_file.filename or "audio"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / (secure_filename(name) or "upload")
            upload_file.save(path)
            episode = add_episode_audio(session, current_user, chosen, path, title=form.title.data or None,
                                        name=name, available_from=form.available_from.data,
                                        expires=form.expires.data, now=clock.now())
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
    """The upload page again, saying the limit (the body is refused before any form is read)."""
    series = _series_in_scope(db.session())
    form = _upload_form(series, formdata=None)
    form.audio.errors = [_("Tệp quá lớn: tối đa %(mb)s MB.", mb=current_app.config["MAX_UPLOAD_MB"])]
    return _page(form, series, 413)


def _episode(episode_id: int) -> Episode:
    episode = db.session().get(Episode, episode_id)
    if episode is None:
        abort(404)
    require(current_user, "audio.upload", episode.series.plan.issued_by)
    return episode


@login_required
def episode(episode_id: int):
    session, found = db.session(), _episode(episode_id)
    form = AvailabilityForm(data={"available_from": found.available_from, "expires": found.expires}
                            if request.method == "GET" else None)
    if form.validate_on_submit():
        set_availability(session, current_user, found, form.available_from.data, form.expires.data,
                         now=clock.now())
        session.commit()
        flash(_("Đã lưu thời hạn phát."), "success")
        return redirect(url_for("media.episode", episode_id=found.id))
    return render_template("media/episode.html", episode=found, form=form), 400 if form.errors else 200


bp.add_url_rule("/", view_func=index)
bp.add_url_rule("/upload", view_func=upload, methods=["POST"])
bp.register_error_handler(RequestEntityTooLarge, too_large)
bp.add_url_rule("/episodes/<int:episode_id>", view_func=episode, methods=["GET", "POST"])

bp.record_once(lambda state: register_nav(
    state.app, NavItem("media.index", _l("Thư viện âm thanh"), ("operator", "approver", "oversight"), "/library/")))
