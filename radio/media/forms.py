"""Forms of the audio library pages (Flask-WTF: CSRF on each)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from ..ui.fields import LocalDateField
from ..ui.series_choice import for_requirements_field, series_field


class AvailabilityForm(FlaskForm):
    available_from = LocalDateField(_l("Phát từ ngày"), validators=[Optional()])
    expires = LocalDateField(_l("Hết hạn sau ngày"), validators=[Optional()])

    def validate_expires(self, field):
        if field.data and self.available_from.data and field.data < self.available_from.data:
            raise ValidationError(_l("Ngày hết hạn phải sau ngày bắt đầu phát."))


class UploadForm(AvailabilityForm):
    series = series_field()
    for_requirements = for_requirements_field()
    title = StringField(_l("Tiêu đề tin"), validators=[
        Optional(), Length(max=300, message=_l("Tiêu đề dài tối đa %(max)d ký tự."))])
    audio = FileField(_l("Tệp âm thanh"), validators=[FileRequired(_l("Chọn một tệp âm thanh."))])



class RecordForm(FlaskForm):
    """A spot recorded on the page (the recorder puts it in `audio`), or a recording file chosen."""

    series = series_field()
    for_requirements = for_requirements_field()
    title = StringField(_l("Tiêu đề tin"), validators=[
        DataRequired(_l("Nhập tiêu đề tin.")), Length(max=300, message=_l("Tiêu đề dài tối đa %(max)d ký tự."))])
    audio = FileField(_l("Bản ghi âm"), validators=[FileRequired(_l("Hãy ghi âm, hoặc chọn một tệp ghi âm."))])


class RejectRecordingForm(FlaskForm):
    reason = TextAreaField(_l("Lý do từ chối"), validators=[
        DataRequired(_l("Cho người ghi âm biết vì sao bản ghi bị từ chối.")),
        Length(max=2000, message=_l("Lý do dài tối đa %(max)d ký tự."))])
