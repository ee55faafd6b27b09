"""Handlers of the glossary pages: how the voice reads an area's abbreviations.

Whoever writes scripts in an area sees its terms (its own and those of the areas above it, which
it inherits) and hears a sentence read with them; approvers and the culture office
("glossary.edit") add, change and remove the area's own terms, through the operations the
`radio tts glossary` commands use.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audio_library.tts import AllEnginesFailedError

from .. import clock, db
from ..auth.permissions import may, require
from ..models import Area
from ..ui.fields import ButtonForm
from ..ui.scope import areas_in_scope, scoped_area
from ..voices import voice_of
from .forms import GlossaryEntryForm, GlossaryPreviewForm
from .previews import failed_engines, make_preview
from .voicing import glossary_entries, remove_glossary_entry, set_glossary_entry

# Scripts are voiced with the glossary of their plan's area; villages issue no plans.
LEVELS = ("province", "district", "commune")


def _areas() -> list[Area]:
    """The areas whose glossary the user may see, the widest first."""
    areas = areas_in_scope("script.write", levels=LEVELS)
    return sorted(areas, key=lambda area: (len(area.ancestors_and_self()), area.name))


@login_required
def index():
    """The glossary of the area asked for (?area=CODE), else of the user's widest area."""
    areas = _areas()
    if not areas:
        abort(403)
    code = request.args.get("area") or areas[0].code
    return redirect(url_for("scripts.glossary", code=code))


@login_required
def glossary(code: str):
    area = scoped_area(code, "script.write")
    if request.method == "POST" and request.form.get("action") != "preview":
        return _change(area)
    edit = request.args.get("edit", "")
    entry_form = GlossaryEntryForm(formdata=None, data={"term": edit, "reading": _reading(area, edit)})
    preview_form = GlossaryPreviewForm(data={"sentence": request.args.get("try", "")}
                                       if request.method == "GET" else None)
    if not preview_form.validate_on_submit():
        return _page(area, entry_form, preview_form, None, 400 if preview_form.errors else 200)
    try:
        preview = make_preview(db.session(), preview_form.sentence.data, area, voice_of(area, current_app.config),
                               clock.now())
    except AllEnginesFailedError as failed:  # the engines' own words go to the log, not the page
        current_app.logger.warning("no glossary preview: %s", failed)
        preview_form.sentence.errors.append(_("Không đọc thử được: giọng đọc %(engine)s đang không dùng được. "
                                              "Vui lòng thử lại sau ít phút.", engine=failed_engines(failed)))
        return _page(area, entry_form, preview_form, None, 400)
    return _page(area, entry_form, preview_form, preview, 200)


def _change(area: Area):
    """Add or change a term (action "save"), or remove one ("remove"): then back to the page,
    ready to hear a sentence with the term."""
    require(current_user, "glossary.edit", area)
    session, now = db.session(), clock.now()
    if request.form.get("action") == "remove" and ButtonForm().validate_on_submit():
        term = request.form.get("term", "")
        remove_glossary_entry(session, current_user, area, term, now=now)
        session.commit()
        flash(_("Đã bỏ cách đọc riêng của “%(term)s”.", term=term), "success")
        return redirect(url_for("scripts.glossary", code=area.code))
    entry_form = GlossaryEntryForm()
    if not entry_form.validate_on_submit():
        return _page(area, entry_form, GlossaryPreviewForm(formdata=None), None, 400)
    entry = set_glossary_entry(session, current_user, area, entry_form.term.data, entry_form.reading.data, now=now)
    session.commit()
    flash(_("Đã lưu: “%(term)s” đọc là “%(reading)s”.", term=entry.term, reading=entry.reading), "success")
    return redirect(url_for("scripts.glossary", code=area.code, **{"try": entry.term}))


def _reading(area: Area, term: str) -> str:
    own = [e for e in glossary_entries(db.session(), area) if e.area_id == area.id and e.term == term]
    return own[0].reading if own else ""


def _page(area: Area, entry_form, preview_form, preview, status: int):
    return render_template(
        "scripts/glossary.html", area=area, areas=_areas(), entries=glossary_entries(db.session(), area),
        area_names={node.id: node.name for node in area.ancestors_and_self()},
        may_edit=may(current_user, "glossary.edit", area), entry_form=entry_form, preview_form=preview_form,
        button_form=ButtonForm(), preview=preview,
        preview_url=url_for("scripts.preview_audio", name=preview.name) if preview else None), status
