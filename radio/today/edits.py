"""The day's hand edits and airings off the schedule, as pages: an item's page (move it to a free
time, cancel, pin, fill a reservation), adding an episode into free airtime, and recording an
airing that was not on the schedule.

Each handler loads (404) → checks the area scope (403) → calls the operation the CLI calls
(`radio schedule move|cancel|pin|add|fill`, `radio playlog add`) → commits once. A refusal is
shown next to its field, in the reader's language (radio/ui/words.py), with the form as it was sent.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from schedules.slots import Span

from .. import clock, db, lookups
from ..auth.permissions import may, require
from ..models import Episode, ScheduleEntry, Station
from ..playlogs.confirmations import ConfirmationError, add_unscheduled
from ..schedule.errors import ScheduleError
from ..schedule.free_time import entry_title, free_time
from ..schedule.operations import add_entry, cancel_entry, fill_reservation, move_entry, pin_entry
from ..ui.fields import add_error, address_date
from ..ui.i18n import day_label, format_duration, window_title
from ..ui.names import KIND_LABELS, ORIGIN_LABELS
from ..ui.scope import scoped_station
from ..ui.words import words
from .forms import AddForm, FillForm, MoveForm, UnscheduledForm
from .offers import (
    add_starts, episodes_aired, episodes_to_add, episodes_to_fill, move_starts, station_episodes,
)

EPISODE_REFUSALS = ("no_audio", "not_yet_available", "expired")  # said next to the episode, not the time


def _day(value: str | None, default: date) -> date:
    if not value:
        return default
    return address_date(value)


def _station_entry(code: str, uuid_text: str) -> ScheduleEntry:
    station = scoped_station(code, "day.view")
    entry = lookups.schedule_entry(db.session(), uuid_text)
    if entry.station_id != station.id:
        abort(404)
    return entry


def _editor_of(station: Station) -> None:
    require(current_user, "schedule.edit", station.area)


def _clock(moment: datetime) -> str:
    """A start as the station's clock reads it: HH:MM, with the seconds when there are some."""
    local = moment.astimezone(clock.station_tz())
    return f"{local:%H:%M:%S}" if local.second else f"{local:%H:%M}"


def _start_choices(station: Station, starts: list[Span]) -> list[tuple[str, str]]:
    tz = clock.station_tz()
    return [(s.start.astimezone(tz).replace(tzinfo=None).isoformat(),
             f"{_clock(s.start)}–{_clock(s.end)} · " + window_title(station, s.window)) for s in starts]


def _episode_choices(episodes: list[Episode], by_series: bool = True):
    """Options by title (and length), grouped by series unless all are of one."""
    if not by_series:
        return [(str(e.id), f"{e.title} ({format_duration(e.duration_s)})") for e in episodes]
    groups: dict[str, list[tuple[str, str]]] = {}
    for e in episodes:
        groups.setdefault(e.series.title, []).append((str(e.id), f"{e.title} ({format_duration(e.duration_s)})"))
    return groups


def _chosen(field, episodes: list[Episode]) -> Episode | None:
    """The episode a select sent back, among those the form chooses from (else an error on it)."""
    found = next((e for e in episodes if str(e.id) == str(field.data)), None)
    if found is None:
        add_error(field, _("Chọn một tin trong danh sách."))
    return found


def _back_to_day(day: date, station: Station, anchor: str = ""):
    return redirect(url_for("today.day", code=station.code, day=day.isoformat()) + anchor)


# -- one item --------------------------------------------------------------------------------

@login_required
def entry_page(code: str, uuid_text: str):
    entry = _station_entry(code, uuid_text)
    return _entry_page(entry, MoveForm(formdata=None), FillForm(formdata=None),
                       _day(request.args.get("day"), entry.local_date))


def _entry_page(entry: ScheduleEntry, move_form: MoveForm, fill_form: FillForm, target: date,
                problem: str | None = None, status: int = 200):
    session, now, tz = db.session(), clock.now(), clock.station_tz()
    station = entry.station
    editable = may(current_user, "schedule.edit", station.area) and entry.status == "planned" and entry.start_at > now
    if editable:
        move_form.start.choices = _start_choices(station, move_starts(session, entry, target, tz, now))
        if entry.kind == "reservation":
            fill_form.episode.choices = _episode_choices(
                episodes_to_fill(session, entry, station_episodes(session, station), tz, now), by_series=False)
    return render_template("today/entry.html", station=station, entry=entry, title=entry_title(entry),
                           editable=editable, move_form=move_form, fill_form=fill_form, target=target,
                           previous_target=target - timedelta(days=1), next_target=target + timedelta(days=1),
                           today=now.astimezone(tz).date(), now=now, problem=problem, kinds=KIND_LABELS,
                           origins=ORIGIN_LABELS), status


@login_required
def move(code: str, uuid_text: str):
    entry = _station_entry(code, uuid_text)
    _editor_of(entry.station)
    session, form = db.session(), MoveForm()
    target = form.start.data.date() if form.start.data else entry.local_date
    if form.validate_on_submit():
        try:
            move_entry(session, current_user, entry, form.start.data, clock.station_tz(), now=clock.now())
        except ScheduleError as refused:
            session.rollback()
            add_error(form.start, words(refused))
        else:
            session.commit()
            flash(_("Đã dời “%(title)s” sang %(at)s, %(day)s.", title=entry_title(entry), at=_clock(entry.start_at),
                    day=day_label(entry.local_date)), "success")
            return _back_to_day(entry.local_date, entry.station, f"#entry-{entry.uuid}")
    return _entry_page(entry, form, FillForm(formdata=None), target, status=422)


@login_required
def cancel(code: str, uuid_text: str):
    entry = _station_entry(code, uuid_text)
    _editor_of(entry.station)
    session = db.session()
    try:
        cancel_entry(session, current_user, entry, now=clock.now())
    except ScheduleError as refused:
        session.rollback()
        return _entry_page(entry, MoveForm(formdata=None), FillForm(formdata=None), entry.local_date,
                           words(refused), 422)
    session.commit()
    flash(_("Đã huỷ “%(title)s”.", title=entry_title(entry)), "success")
    return _back_to_day(entry.local_date, entry.station)


@login_required
def pin(code: str, uuid_text: str):
    entry = _station_entry(code, uuid_text)
    _editor_of(entry.station)
    session, pinned = db.session(), request.form.get("pinned") == "1"
    try:
        pin_entry(session, current_user, entry, pinned, now=clock.now())
    except ScheduleError as refused:
        session.rollback()
        return _entry_page(entry, MoveForm(formdata=None), FillForm(formdata=None), entry.local_date,
                           words(refused), 422)
    session.commit()
    flash(_("Đã ghim “%(title)s”: lịch xếp lại sẽ giữ nguyên mục này.", title=entry_title(entry)) if pinned
          else _("Đã bỏ ghim “%(title)s”: lịch xếp lại có thể thay mục này.", title=entry_title(entry)), "success")
    return redirect(url_for("today.entry_page", code=entry.station.code, uuid_text=str(entry.uuid)))


@login_required
def fill(code: str, uuid_text: str):
    entry = _station_entry(code, uuid_text)
    _editor_of(entry.station)
    session, form = db.session(), FillForm()
    if form.validate_on_submit():
        episode = _chosen(form.episode, station_episodes(session, entry.station))
        if episode is not None:
            try:
                fill_reservation(session, current_user, entry, episode, clock.station_tz(), now=clock.now())
            except ScheduleError as refused:
                session.rollback()
                add_error(form.episode, words(refused))
            else:
                session.commit()
                flash(_("Đã đưa tin “%(title)s” vào chỗ chờ lúc %(at)s.", title=episode.title,
                        at=_clock(entry.start_at)), "success")
                return _back_to_day(entry.local_date, entry.station, f"#entry-{entry.uuid}")
    return _entry_page(entry, MoveForm(formdata=None), form, entry.local_date, status=422)


# -- the day ---------------------------------------------------------------------------------

@login_required
def add(code: str, day: str):
    """Step one chooses the episode (a GET form), step two its start among those that fit."""
    station = scoped_station(code, "day.view")
    _editor_of(station)
    session, now, tz = db.session(), clock.now(), clock.station_tz()
    when = _day(day, now.astimezone(tz).date())
    episodes = station_episodes(session, station)
    form = AddForm() if request.method == "POST" else AddForm(formdata=None, episode=request.args.get("episode"))
    if form.validate_on_submit():
        episode = _chosen(form.episode, episodes)
        if episode is not None:
            try:
                entry = add_entry(session, current_user, station, episode, form.start.data, tz, now=now)
            except ScheduleError as refused:
                session.rollback()
                field = form.episode if refused.code in EPISODE_REFUSALS else form.start
                add_error(field, words(refused))
            else:
                session.commit()
                flash(_("Đã thêm “%(title)s” lúc %(at)s, %(day)s.", title=episode.title, at=_clock(entry.start_at),
                        day=day_label(entry.local_date)), "success")
                return _back_to_day(entry.local_date, station, f"#entry-{entry.uuid}")
    free = free_time(session, station, when, tz, now)
    offered = episodes_to_add(episodes, when, free)
    form.episode.choices = _episode_choices(offered)
    chosen = next((e for e in offered if str(e.id) == str(form.episode.data)), None)
    if chosen is not None:
        form.start.choices = _start_choices(station, add_starts(free, chosen))
    return render_template("today/add.html", station=station, day=when, form=form, free=free, chosen=chosen,
                           offered=offered), 422 if form.errors else 200


@login_required
def unscheduled(code: str, day: str):
    """"Đã phát ngoài lịch": an airing that was not on the schedule, as `radio playlog add` records it."""
    station = scoped_station(code, "day.view")
    require(current_user, "playlog.confirm", station.area)
    session, now, tz = db.session(), clock.now(), clock.station_tz()
    when = _day(day, now.astimezone(tz).date())
    episodes = station_episodes(session, station)
    form = UnscheduledForm()
    form.episode.choices = _episode_choices(episodes_aired(episodes))
    if form.validate_on_submit():
        episode = _chosen(form.episode, episodes)
        if episode is not None:
            at = datetime.combine(when, form.at.data, tz)
            try:
                add_unscheduled(session, station=station, episode=episode, at=at, user=current_user, now=now)
            except ConfirmationError as refused:
                session.rollback()
                field = form.episode if refused.code == "no_audio" else form.at
                add_error(field, words(refused))
            else:
                session.commit()
                flash(_("Đã ghi nhận “%(title)s” phát ngoài lịch lúc %(at)s.", title=episode.title,
                        at=_clock(at)), "success")
                return _back_to_day(when, station, "#unscheduled")
    return render_template("today/unscheduled.html", station=station, day=when, form=form), \
        422 if form.errors else 200
