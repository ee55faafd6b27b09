"""The series choice of the script, upload and recording forms: each series of the person's
plans with what it is for in words (radio/content_series.py chooses the offers)."""
from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField

from ..auth.permissions import area_ids_in_scope
from ..content_series import GENERAL_CODE, SeriesOffer, series_offers
from ..db import session as db_session
from .fields import ChoiceField
from .i18n import PERIOD_LABELS
from .names import how_often

FOR_REQUIREMENTS_LABEL = _l("Xếp tin này vào các lượt phát theo yêu cầu của chuyên mục")
FOR_REQUIREMENTS_HINT = _l("Để trống với thông báo một lần: tin chỉ lên lịch khi có người tự xếp, không thay "
                           "tin định kỳ của chuyên mục.")


def series_field() -> ChoiceField:
    return ChoiceField(_l("Tin này thuộc chuyên mục nào?"))


def for_requirements_field() -> BooleanField:
    """Off unless ticked: an operator's own content is meant for a requirement only by choice
    (`offer_series` ticks it first for the office, whose content is, like a plan file's)."""
    return BooleanField(FOR_REQUIREMENTS_LABEL, default=False)


def offer_series(form, action: str, today: date) -> list[SeriesOffer]:
    """Put the series of the user's plans (where they may `action`) on `form.series`, the general
    series first and chosen by default; returns the offers. A form not yet sent comes with
    "meant for the requirements" ticked for the office (a person with the office's role), which
    supplies content for the series' required airings; an operator's own content is not."""
    offers = series_offers(db_session(), area_ids_in_scope(db_session(), current_user, action), today)
    form.series.choices = [(o.key, f"{title(o)} ({o.plan.title})") for o in offers]
    if form.series.data is None and offers:
        form.series.data = offers[0].key
    if not form.is_submitted():
        form.for_requirements.data = bool(area_ids_in_scope(db_session(), current_user, "office.use"))
    return offers


def title(offer: SeriesOffer) -> str:
    """The notice series by its name in the reader's language (it is the same series in every plan)."""
    return gettext("Thông báo") if offer.is_general else offer.title


def series_name(series) -> str:
    """A stored series by its title; the notice series, as above, in the reader's language."""
    return gettext("Thông báo") if series.code == GENERAL_CODE else series.title


def chosen_offer(form, offers: list[SeriesOffer]) -> SeriesOffer:
    return next(o for o in offers if o.key == form.series.data)


def purpose(offer: SeriesOffer) -> str:
    """What the series is for: the requirements it serves, or one-off notices."""
    if not offer.requirements:
        return gettext("Thông báo một lần, tin riêng: không yêu cầu phát nào tính, chỉ phát khi có người xếp lịch.")
    return gettext("Phát theo yêu cầu: %(list)s.", list="; ".join(_requirement_words(r) for r in offer.requirements))


def _requirement_words(requirement) -> str:
    often = how_often(requirement)
    if requirement.new_episodes:
        return gettext("%(often)s, cần %(count)s tin mới mỗi %(period)s", often=often, count=requirement.new_episodes,
                       period=PERIOD_LABELS[requirement.period])
    return often


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(series_title=title, series_name=series_name, series_purpose=purpose,
                                 for_requirements_hint=FOR_REQUIREMENTS_HINT)
