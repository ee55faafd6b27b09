"""Form fields that speak the page's language (WTForms ships no Vietnamese) and write dates the
Vietnamese way, and the small helpers every feature's forms share."""
from __future__ import annotations

import re
from datetime import date, datetime, time

from flask import abort, make_response
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, ValidationError, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..clock import SENSIBLE_YEARS, DateOutOfRange, iso_date, sensible_date
from .errors import error_page

DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


class LocalDateField(StringField):
    """A date typed as dd/mm/yyyy (also d/m/yyyy, with dots or dashes, or yyyy-mm-dd), shown as dd/mm/yyyy
    (what was typed is shown again only when it is not a date).

    A text box rather than the browser's date picker: the picker writes dates in the browser's
    language (mm/dd/yyyy on an English browser), and these pages always write dd/mm/yyyy.
    """

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if raw:
            self.data = parse_local_date(raw, self.label.text)

    def _value(self):
        if self.raw_data and self.data is None:
            return self.raw_data[0]  # what the user typed, when it is not a date
        return f"{self.data:%d/%m/%Y}" if self.data else ""


def parse_local_date(raw: str, label: str | None = None) -> date:
    """A date as LocalDateField reads it; ValueError, in the page's language, when it is none or
    is outside the years a date may be (naming the field, `label`)."""
    try:
        match = DMY.fullmatch(raw)
        day = date(int(match[3]), int(match[2]), int(match[1])) if match else date.fromisoformat(raw)
    except ValueError:
        raise ValueError(_l("Ngày không hợp lệ: viết theo dạng ngày/tháng/năm, ví dụ 31/12/2026.")) from None
    return _sensible(day, label)


def _sensible(day: date, label: str | None) -> date:
    try:
        return sensible_date(day)
    except DateOutOfRange:
        raise ValueError(out_of_range(label)) from None


def out_of_range(label: str | None = None) -> str:
    """The refusal of a date outside SENSIBLE_YEARS, naming the field (`label`; "Ngày" when none)."""
    return _("%(field)s: chỉ nhận ngày từ năm %(first)s đến năm %(last)s.", field=label or _("Ngày"),
             first=SENSIBLE_YEARS[0], last=SENSIBLE_YEARS[-1])


def address_date(text: str, label: str | None = None) -> date:
    """A date written YYYY-MM-DD in a page's address (path or query): a 404 when it is no date,
    a 400 page naming it (`label`) when it is outside SENSIBLE_YEARS."""
    try:
        return iso_date(text)
    except DateOutOfRange:
        abort(make_response(error_page(400, out_of_range(label))))
    except ValueError:
        abort(404)


def form_refusal(form) -> str:
    """A form's refusals, each field's in turn, as one text for an error page."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


class ChoiceField(SelectField):
    """A select whose refusal of a value not offered says so in the page's language."""

    def pre_validate(self, form):
        if self.data not in {str(value) for value, _ in self.choices}:
            raise ValidationError(_l("Chọn một mục trong danh sách."))


class LocalDateTimeField(StringField):
    """A local date and time typed as the pages write them, "07:30 31/12/2026" (either order,
    or ISO "2026-12-31T07:30"): a text box, like LocalDateField, because the
    browser's picker writes in the browser's language."""

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not raw:
            return
        parts = raw.replace("T", " ").split()
        clock = [p for p in parts if ":" in p]
        day = [p for p in parts if ":" not in p]
        try:
            hour, minute = (int(n) for n in clock[0].split(":")) if len(clock) == 1 else (None, None)
            match = DMY.fullmatch(day[0]) if len(day) == 1 else None
            when = date(int(match[3]), int(match[2]), int(match[1])) if match else date.fromisoformat(day[0])
            self.data = datetime.combine(when, time(hour, minute))
        except (ValueError, TypeError, IndexError):
            raise ValueError(_l("Viết ngày giờ theo dạng giờ:phút ngày/tháng/năm, ví dụ 07:30 31/12/2026.")) from None
        _sensible(when, self.label.text)

    def _value(self):
        if self.raw_data and self.data is None:
            return self.raw_data[0]
        return f"{self.data:%H:%M %d/%m/%Y}" if self.data else ""


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms' choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def offered(field) -> bool:
    """True when a select's value is one of those it offered (lists built from the user's scope)."""
    return field.data in {choice.value for choice in field.choices}


def add_error(field, *messages: str) -> None:
    """Hang refusals found after validation (an operation said no) on the field they are about,
    beside WTForms' own errors (a tuple by then, or None on a field that was not validated)."""
    field.errors = [*(field.errors or ()), *messages]


class Checkboxes(SelectMultipleField):
    """A choice of several, shown as checkboxes (weekdays, levels)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        """Values outside the choices are left for the plan reader to name."""


def at_most(max_length: int) -> Length:
    """A length limit that says so in the page's language (WTForms' own message is English)."""
    return Length(max=max_length, message=_l("Dài tối đa %(max)d ký tự."))


def optional_text(label: str, max_length: int = 500, **kwargs) -> StringField:
    return StringField(label, validators=[Optional(), at_most(max_length)], **kwargs)


class ButtonForm(FlaskForm):
    """Only the CSRF token: a button that changes something."""
