"""Bulletins: issue one to areas (normal, priority, emergency) and see who fetched and played it.

Issuing and cancelling are radio/bulletins' operations, as for the CLI and the API; devices are
told to poll at once after the commit (MQTT when configured), as the API does.
"""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import Forbidden, NotFound

from .. import clock, db, jobs, lookups
from ..auth.permissions import may
from ..errors import RadioError
from ..models import Area, Bulletin, Device, Episode, MediaFile, Plan, Series, bulletin_areas
from ..notify import poll_now
from ..ui.fields import ButtonForm, add_error, choices
from ..ui.nav import NavItem, register_nav
from ..ui.scope import area_ids, areas_in_scope
from ..ui.words import words
from .delivery import deliveries
from .forms import PRIORITY_LABELS, BulletinForm
from .operations import (
    BulletinError, BulletinRules, airable_episode, bulletin_entries, cancel_bulletin, devices_of, devices_reached,
    episode_key, issue_bulletin,
)

# The value of the button that confirms an emergency bulletin (the form's own button asks first).
CONFIRMED = "emergency"

bp = Blueprint("bulletins", __name__, url_prefix="/office")
bp.record_once(lambda state: register_nav(
    state.app, NavItem("bulletins.bulletin_list", _l("Bản tin"), ("oversight",), "/office/bulletins")))


def _episode_choices() -> list[tuple[str, str]]:
    """Episodes with audio of the plans issued in the user's areas, newest first."""
    episodes = db.session().scalars(
        select(Episode).join(Series).join(Plan).join(MediaFile, Episode.media_sha256 == MediaFile.sha256)
        .where(Plan.issued_by_id.in_(area_ids("bulletin.issue"))).order_by(Episode.id.desc()).limit(200))
    found = []
    for episode in episodes:
        try:
            airable_episode(episode)
        except BulletinError:
            continue
        found.append((episode_key(episode), f"{episode.title} ({episode.series.title})"))
    return found


def _local(value: datetime | None):
    """A form's local date-time as an aware instant in the stations' time zone."""
    return None if value is None else value.replace(tzinfo=clock.station_tz())


@login_required
def bulletin_list():
    form = BulletinForm()
    form.episode.choices = choices(_episode_choices())
    form.areas.choices = choices([(a.code, f"{a.name} ({a.code})") for a in areas_in_scope("bulletin.issue")])
    confirm = None
    if form.validate_on_submit():
        if form.priority.data == "emergency" and request.form.get("confirm") != CONFIRMED:
            confirm = _emergency_reach(form.areas.data)
        else:
            issued = _issue(form)
            if issued is not None:
                return redirect(url_for("bulletins.bulletin_view", uuid_text=str(issued.uuid)))
    ids = area_ids("bulletin.issue")
    bulletins = db.session().scalars(
        select(Bulletin).where(Bulletin.id.in_(select(bulletin_areas.c.bulletin_id)
                                               .where(bulletin_areas.c.area_id.in_(ids))))
        .order_by(Bulletin.created_at.desc()).limit(100)).all()
    status = 422 if form.is_submitted() and confirm is None else 200
    return render_template("bulletins/bulletins.html", form=form, bulletins=bulletins, confirm=confirm,
                           confirmed=CONFIRMED, labels=PRIORITY_LABELS), status


def _issue(form: BulletinForm) -> Bulletin | None:
    """Issue the bulletin of a checked form and tell its devices; None (the form says why) if refused."""
    session = db.session()
    try:
        result = issue_bulletin(session, current_user, episode=form.episode.data, areas=form.areas.data,
                                priority=form.priority.data, now=clock.now(), tz=clock.station_tz(),
                                valid_from=_local(form.valid_from.data), valid_until=_local(form.valid_until.data),
                                title=form.title.data or None, rules=BulletinRules.from_config(current_app.config))
    except RadioError as exc:
        session.rollback()
        add_error(form.episode, words(exc))
        return None
    session.commit()
    jobs.after_response(poll_now, result.devices, "bulletin")
    flash(_("Đã phát hành bản tin (%(priority)s) tới %(count)s thiết bị.",
            priority=PRIORITY_LABELS[result.bulletin.priority], count=len(result.devices)), "success")
    return result.bulletin


def _emergency_reach(codes: list[str]) -> dict:
    """What an emergency bulletin to these areas reaches: asked before it is issued."""
    session = db.session()
    areas = session.scalars(select(Area).where(Area.code.in_(codes)).order_by(Area.name)).all()
    return {"devices": len(devices_reached(session, current_user, codes)), "areas": [a.name for a in areas]}


def _visible_bulletin(uuid_text: str) -> Bulletin:
    try:
        bulletin = lookups.bulletin(db.session(), uuid_text)
    except RadioError:
        raise NotFound() from None
    if not any(may(current_user, "bulletin.issue", area) for area in bulletin.areas):
        raise Forbidden("this bulletin was issued outside your areas")
    return bulletin


@login_required
def bulletin_view(uuid_text: str):
    bulletin = _visible_bulletin(uuid_text)
    session = db.session()
    reached = {code: (fetched, played) for code, fetched, played in deliveries(session, bulletin)}
    codes = devices_of(session, bulletin)
    names = dict(session.execute(select(Device.code, Device.name).where(Device.code.in_(codes))).all())
    devices = [(names.get(code) or code, *reached.get(code, (None, None))) for code in codes]
    return render_template("bulletins/bulletin.html", bulletin=bulletin, devices=devices,
                           entries=bulletin_entries(session, bulletin), labels=PRIORITY_LABELS,
                           cancel_form=ButtonForm())


@login_required
def bulletin_cancel(uuid_text: str):
    bulletin = _visible_bulletin(uuid_text)
    if ButtonForm().validate_on_submit():
        session = db.session()
        try:
            devices = cancel_bulletin(session, current_user, bulletin, clock.now())
        except BulletinError as exc:
            session.rollback()
            flash(words(exc), "error")
        else:
            session.commit()
            jobs.after_response(poll_now, devices, "bulletin-cancelled")
            flash(_("Đã huỷ bản tin."))
    return redirect(url_for("bulletins.bulletin_view", uuid_text=uuid_text))


bp.add_url_rule("/bulletins", view_func=bulletin_list, methods=["GET", "POST"])
bp.add_url_rule("/bulletins/<uuid_text>", view_func=bulletin_view)
bp.add_url_rule("/bulletins/<uuid_text>/cancel", view_func=bulletin_cancel, methods=["POST"])
