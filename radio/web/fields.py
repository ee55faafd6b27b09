"""Form fields that speak the page's language (WTForms ships no Vietnamese) and write dates the
Vietnamese way."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, ValidationError

DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


class LocalDateField(StringField):
    """A date typed as dd/mm/yyyy (also d/m/yyyy, with dots or dashes, or yyyy-mm-dd), shown as dd/mm/yyyy.

    A text box rather than the browser's date picker: the picker writes dates in the browser's
    language (mm/dd/yyyy on an English browser), and these pages always write dd/mm/yyyy.
    """

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not raw:
            return
        try:
            match = DMY.fullmatch(raw)
            self.data = date(int(match[3]), int(match[2]), int(match[1])) if match else date.fromisoformat(raw)
        except ValueError:
            raise ValueError(_l("Ngày không hợp lệ: viết theo dạng ngày/tháng/năm, ví dụ 31/12/2026.")) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]  # what the user typed, even when refused
        return f"{self.data:%d/%m/%Y}" if self.data else ""


class ChoiceField(SelectField):
    """A select whose refusal of a value not offered says so in the page's language."""

    def pre_validate(self, form):
        if self.data not in {str(value) for value, _ in self.choices}:
            raise ValidationError(_l("Chọn một mục trong danh sách."))
