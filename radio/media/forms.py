"""Forms of the audio library pages (Flask-WTF: CSRF on each)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, ValidationError
from wtforms.validators import Length, Optional

from ..ui.fields import ChoiceField, LocalDateField


class AvailabilityForm(FlaskForm):
    available_from = LocalDateField(_l("Phát từ ngày"), validators=[Optional()])
    expires = LocalDateField(_l("Hết hạn sau ngày"), validators=[Optional()])

    def validate_expires(self, field):
        if field.data and self.available_from.data and field.data < self.available_from.data:
            raise ValidationError(_l("Ngày hết hạn phải sau ngày bắt đầu phát."))


class UploadForm(AvailabilityForm):
    series = ChoiceField(_l("Chuyên mục"))
    title = StringField(_l("Tiêu đề tin"), validators=[
        Optional(), Length(max=300, message=_l("Tiêu đề dài tối đa %(max)d ký tự."))])
    audio = FileField(_l("Tệp âm thanh"), validators=[FileRequired(_l("Chọn một tệp âm thanh."))])

