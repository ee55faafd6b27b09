"""Forms of the day's hand edits and of an airing off the schedule (Flask-WTF: CSRF on each).

The selects take any value back (validate_choice off): what is offered can go stale between the
page and the post, and the operation then says why it refuses, which says more than "not in
the list"."""
from __future__ import annotations

import re
from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired

HOUR_MINUTE = re.compile(r"(\d{1,2})[:hg.](\d{2})")


class StartField(SelectField):
    """A local start offered as "YYYY-MM-DDTHH:MM:SS"; `data` is that naive local datetime."""

    def __init__(self, label, **kwargs):
        super().__init__(label, validate_choice=False,
                         validators=[InputRequired(_l("Chọn một giờ trong danh sách."))], **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0]:
            try:
                self.data = datetime.fromisoformat(valuelist[0]).replace(tzinfo=None)
            except ValueError:
                raise ValueError(_l("Chọn một giờ trong danh sách.")) from None


class EpisodeField(SelectField):
    """An episode offered by its id, shown by its title."""

    def __init__(self, label, **kwargs):
        super().__init__(label, validate_choice=False,
                         validators=[InputRequired(_l("Chọn một tin trong danh sách."))], **kwargs)


class TimeOfDayField(StringField):
    """A time typed "07:30" (also 7:30, 7h30, 7g30, 7.30)."""

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not raw:
            return
        match = HOUR_MINUTE.fullmatch(raw)
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValueError(_l("Viết giờ theo dạng giờ:phút, ví dụ 06:15."))
        self.data = time(int(match[1]), int(match[2]))


class MoveForm(FlaskForm):
    start = StartField(_l("Giờ mới"))


class FillForm(FlaskForm):
    episode = EpisodeField(_l("Tin của chuyên mục"))


class AddForm(FlaskForm):
    episode = EpisodeField(_l("Tin hoặc khẩu hiệu"))
    start = StartField(_l("Giờ bắt đầu"))


class UnscheduledForm(FlaskForm):
    episode = EpisodeField(_l("Tin đã phát"))
    at = TimeOfDayField(_l("Giờ bắt đầu phát"), validators=[InputRequired(_l("Nhập giờ đã phát."))])
