"""Handlers of the script pages: write, hear, submit; the approver's queue, changes, decisions
(the glossary's pages are glossary_pages.py).

Each handler loads the script (404), checks the area scope (403), then calls the operations of
`operations.py` / `voicing.py`, which check the roles again; the request's one commit follows.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audio_library.formats import mime_type
from audio_library.tts import AllEnginesFailedError

from .. import clock, db, jobs, notices
from ..auth.permissions import area_ids_in_scope, may
from ..content_series import offered_series
from ..models import Area, Episode, Plan, Script, ScriptVersion, Series, Station, User
from ..ui.i18n import VOICE_REGION_LABELS
from ..ui.nav import NavItem, register_nav
from ..ui.scope import scoped_in_series
from ..ui.series_choice import chosen_offer, offer_series
from . import glossary_pages
from ..ui.words import words
from .changes import word_changes
from .forms import EditScriptForm, RejectForm, ScriptForm
from .jobs import voice_script_job
from .operations import ScriptError, add_script, approve_script, edit_script, reject_script, submit_script
from ..voices import plan_voice, voice_of
from .previews import failed_engines, make_preview, preview_path, reading_parts
from .voicing import preview_reading

bp = Blueprint("scripts", __name__, url_prefix="/scripts")


def _scripts(session, roles, status: str | None = None) -> list[Script]:
    scope = area_ids_in_scope(session, current_user, roles)
    query = (select(Script).join(Series).join(Plan).where(Plan.issued_by_id.in_(scope))
             .options(selectinload(Script.versions), selectinload(Script.series)).order_by(Script.id.desc()))
    scripts = session.scalars(query).all()
    return [s for s in scripts if status is None or s.latest.status == status]


def _stations_in_scope(session) -> list[Station]:
    """The stations whose voice the person may hear a script in: those of their areas."""
    scope = area_ids_in_scope(session, current_user, "script.write")
    return session.scalars(select(Station).where(Station.area_id.in_(scope)).order_by(Station.name)).all()


def _offer_stations(form, stations: list[Station]) -> None:
    form.station.choices = [("", _("Giọng của kế hoạch (như khi đọc thành bản phát)"))] + [
        (s.code, f"{s.name} — {VOICE_REGION_LABELS[voice_of(s, current_app.config).region]}") for s in stations]


def _preview_voice(session, form, stations: list[Station], area: Area):
    """The chosen station's voice, or the plan's: the voice its episodes are read in."""
    station = next((s for s in stations if s.code == form.station.data), None)
    return voice_of(station, current_app.config) if station else plan_voice(session, area, current_app.config)


@login_required
def index():
    session = db.session()
    return render_template("scripts/index.html", scripts=_scripts(session, "script.write"),
                           waiting=len(_scripts(session, "script.approve", "submitted")))


@login_required
def queue():
    return render_template("scripts/queue.html", scripts=_scripts(db.session(), "script.approve", "submitted"))


@login_required
def new():
    session, now = db.session(), clock.now()
    form = ScriptForm()
    offers = offer_series(form, "script.write", now.astimezone(clock.station_tz()).date())
    if not offers:
        abort(403)
    stations = _stations_in_scope(session)
    _offer_stations(form, stations)
    if not form.validate_on_submit():
        return render_template("scripts/form.html", form=form, script=None, offers=offers), 400 if form.errors else 200
    chosen = chosen_offer(form, offers)
    if request.form.get("action") == "preview":
        return _with_preview(form, None, chosen.plan.issued_by, stations, offers=offers)
    series = offered_series(session, current_user, chosen, now=now)
    script = add_script(session, current_user, series, form.title.data.strip(), form.text.data, now=now,
                        for_requirements=form.for_requirements.data and not chosen.is_general)
    return _saved(session, script)


@login_required
def edit(script_id: int):
    session, script = db.session(), scoped_in_series(Script, script_id, "script.write")
    form = EditScriptForm(data={"text": script.latest.text} if request.method == "GET" else None)
    stations = _stations_in_scope(session)
    _offer_stations(form, stations)
    if not form.validate_on_submit():
        return render_template("scripts/form.html", form=form, script=script), 400 if form.errors else 200
    if request.form.get("action") == "preview":
        return _with_preview(form, script, script.series.plan.issued_by, stations)
    unchanged = form.text.data == script.latest.text
    if unchanged and not (script.latest.status == "draft" and request.form.get("action") == "submit"):
        form.text.errors.append(_("Nội dung chưa thay đổi so với bản %(number)s.", number=script.latest.number))
        return render_template("scripts/form.html", form=form, script=script), 400
    if not unchanged:
        edit_script(session, current_user, script, form.text.data, now=clock.now())
    return _saved(session, script)


def _with_preview(form, script: Script | None, area: Area, stations: list[Station], offers=()):
    """The form again, as typed, with the reading (what was rewritten highlighted) and the voice
    to listen to, in the chosen station's voice or the plan's."""
    session = db.session()
    voice = _preview_voice(session, form, stations, area)
    try:
        preview = make_preview(session, form.text.data, area, voice, clock.now())
    except AllEnginesFailedError as failed:  # the engines' own words go to the log, not the page
        current_app.logger.warning("no preview: %s", failed)
        form.text.errors.append(_("Không đọc thử được: giọng đọc %(engine)s đang không dùng được. "
                                  "Vui lòng thử lại sau ít phút.", engine=failed_engines(failed)))
        return render_template("scripts/form.html", form=form, script=script, offers=offers), 400
    return render_template("scripts/form.html", form=form, script=script, preview=preview, offers=offers,
                           parts=reading_parts(preview.reading), region=VOICE_REGION_LABELS[voice.region],
                           preview_url=url_for("scripts.preview_audio", name=preview.name))


def _saved(session, script: Script):
    if request.form.get("action") == "submit":
        submit_script(session, current_user, script, now=clock.now())
        message = _("Đã gửi kịch bản để duyệt.")
    else:
        message = _("Đã lưu bản nháp.")
    session.commit()
    notices.dispatch()
    flash(message, "success")
    return redirect(url_for("scripts.show", script_id=script.id))


@login_required
def preview_audio(name: str):
    path = preview_path(name)
    if path is None:
        abort(404)
    return send_file(path, mimetype=mime_type(path.suffix.lstrip(".")), conditional=True, max_age=3600)


@login_required
def version_preview(script_id: int, number: int):
    """A version's voice as its writer heard it ("Nghe thử"): the same preview, made on first
    listening if it has expired. For whoever may see the script (an approver reviewing it)."""
    script = scoped_in_series(Script, script_id, "script.write")
    version = next((v for v in script.versions if v.number == number), None)
    if version is None:
        abort(404)
    session, area = db.session(), script.series.plan.issued_by
    try:
        preview = make_preview(session, version.text, area, plan_voice(session, area, current_app.config), clock.now())
    except AllEnginesFailedError as failed:
        current_app.logger.warning("script %s version %s: no preview: %s", script.id, number, failed)
        abort(503)
    path = preview_path(preview.name)
    if path is None:  # an expired preview removed meanwhile by another request
        abort(503)
    response = send_file(path, mimetype=mime_type(path.suffix.lstrip(".")), conditional=True, max_age=3600)
    response.cache_control.public, response.cache_control.private = None, True  # scoped to the script's area
    return response


@login_required
def show(script_id: int):
    script = scoped_in_series(Script, script_id, "script.write")
    return _show_page(script, RejectForm(), request.args.get("against", type=int))


def _show_page(script: Script, reject_form: RejectForm, against: int | None = None):
    latest = script.latest
    base = next((v for v in script.versions if v.number == against), None) if against else _previous(script)
    area = script.series.plan.issued_by
    session = db.session()
    episode = session.scalar(select(Episode).where(Episode.script_id == script.id).order_by(Episode.id))
    voiced = episode is not None and episode.media is not None and episode.script_version_id == latest.id
    region = plan_voice(session, area, current_app.config).region
    said = None if voiced else preview_reading(session, latest.text, area, region)
    return render_template("scripts/show.html", script=script, latest=latest, base=base,
                           changes=word_changes(base.text, latest.text) if base else None,
                           may_decide=may(current_user, "script.approve", area) and latest.status == "submitted",
                           may_write=may(current_user, "script.write", area), episode=episode,
                           spoken=said and said.spoken, parts=said and reading_parts(said),
                           region=VOICE_REGION_LABELS[region],
                           reject_form=reject_form, users=_names(script.versions))


def _previous(script: Script) -> ScriptVersion | None:
    """What the approver compares with: the approved version if there is one, else the version before."""
    latest = script.latest
    if script.approved_version is not None and script.approved_version.id != latest.id:
        return script.approved_version
    return script.versions[-2] if len(script.versions) > 1 else None


def _names(versions) -> dict[int, str]:
    ids = {v.created_by_id for v in versions} | {v.decided_by_id for v in versions}
    users = db.session().scalars(select(User).where(User.id.in_([i for i in ids if i]))).all()
    return {u.id: u.name for u in users}


@login_required
def submit(script_id: int):
    session, script = db.session(), scoped_in_series(Script, script_id, "script.write")
    return _decide(session, script, lambda: submit_script(session, current_user, script, now=clock.now()),
                   _("Đã gửi kịch bản để duyệt."))


@login_required
def approve(script_id: int):
    session, script = db.session(), scoped_in_series(Script, script_id, "script.write")
    response = _decide(session, script, lambda: approve_script(session, current_user, script, now=clock.now()), None)
    if script.approved_version is not None and script.approved_version.id == script.latest.id:
        _voice(session, script, _("Đã duyệt kịch bản."))
    return response


@login_required
def reject(script_id: int):
    session, script = db.session(), scoped_in_series(Script, script_id, "script.write")
    form = RejectForm()
    if not form.validate_on_submit():
        return _show_page(script, form), 400
    return _decide(session, script, lambda: reject_script(session, current_user, script, form.reason.data,
                                                               now=clock.now()),
                   _("Đã từ chối kịch bản; người viết sẽ thấy lý do."))


@login_required
def voice(script_id: int):
    session, script = db.session(), scoped_in_series(Script, script_id, "script.write")
    _voice(session, script, None)
    return redirect(url_for("scripts.show", script_id=script.id))


def _decide(session, script: Script, operation, message: str | None):
    try:
        operation()
    except ScriptError as refused:
        session.rollback()
        flash(_("Không thực hiện được: %(reason)s", reason=words(refused)), "error")
    else:
        session.commit()
        notices.dispatch()
        if message:
            flash(message, "success")
    return redirect(url_for("scripts.show", script_id=script.id))


def _voice(session, script: Script, done: str | None) -> None:
    """Voice the approved version as a job (at once in inline mode): it becomes an episode of its series."""
    session.commit()  # the job voices in a session of its own, from what is committed
    jobs.enqueue(voice_script_job, script.id)
    episode = session.scalar(select(Episode).where(Episode.script_id == script.id, Episode.media_sha256.is_not(None)))
    parts = [done] if done else []
    parts.append(_("Bản đọc đã sẵn sàng: tin “%(title)s” trong chuyên mục %(series)s.", title=episode.title,
                   series=script.series.title) if episode else _("Bản đọc đang được tạo; tải lại trang sau ít phút."))
    flash(" ".join(parts), "success")


bp.add_url_rule("/", view_func=index)
bp.add_url_rule("/queue", view_func=queue)
bp.add_url_rule("/new", view_func=new, methods=["GET", "POST"])
bp.add_url_rule("/<int:script_id>", view_func=show)
bp.add_url_rule("/<int:script_id>/edit", view_func=edit, methods=["GET", "POST"])
bp.add_url_rule("/<int:script_id>/submit", view_func=submit, methods=["POST"])
bp.add_url_rule("/<int:script_id>/approve", view_func=approve, methods=["POST"])
bp.add_url_rule("/<int:script_id>/reject", view_func=reject, methods=["POST"])
bp.add_url_rule("/<int:script_id>/voice", view_func=voice, methods=["POST"])
bp.add_url_rule("/<int:script_id>/versions/<int:number>/preview", view_func=version_preview)
bp.add_url_rule("/previews/<name>", view_func=preview_audio)
bp.add_url_rule("/glossary", "glossary_index", view_func=glossary_pages.index)
bp.add_url_rule("/glossary/<code>", view_func=glossary_pages.glossary, methods=["GET", "POST"])

bp.record_once(lambda state: register_nav(
    state.app,
    NavItem("scripts.index", _l("Kịch bản"), ("operator", "approver", "oversight"), "/scripts/"),
    NavItem("scripts.queue", _l("Duyệt kịch bản"), ("approver",), "/scripts/queue"),
    NavItem("scripts.glossary_index", _l("Bảng từ viết tắt"), ("operator", "approver", "oversight"),
            "/scripts/glossary")))
