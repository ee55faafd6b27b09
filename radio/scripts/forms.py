"""Forms of the script pages (Flask-WTF: CSRF on each). Messages are Vietnamese msgids."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from audio_library.speech import checked_text

from ..ui.fields import ChoiceField, at_most
from ..ui.series_choice import for_requirements_field, series_field

MAX_TEXT = 20_000


class Speakable:
    """Refuses text no voice can read: blank, or without a letter or digit ("...", "!!!")."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field) -> None:
        try:
            checked_text(field.data or "")
        except ValueError:
            raise ValidationError(self.message) from None


class ScriptForm(FlaskForm):
    series = series_field()
    for_requirements = for_requirements_field()
    title = StringField(_l("Tiêu đề"), validators=[
        DataRequired(_l("Nhập tiêu đề.")), Length(max=300, message=_l("Tiêu đề dài tối đa %(max)d ký tự."))])
    text = TextAreaField(_l("Nội dung kịch bản"), validators=[
        DataRequired(_l("Nhập nội dung kịch bản.")),
        Length(max=MAX_TEXT, message=_l("Kịch bản dài tối đa %(max)d ký tự.")),
        Speakable(_l("Kịch bản cần có chữ hoặc số để giọng đọc đọc được."))])
    # Whose voice "Nghe thử" uses: "" the plan's (as the script will be voiced), or a station's.
    station = ChoiceField(_l("Nghe thử bằng giọng của"), default="")


class EditScriptForm(FlaskForm):
    text = ScriptForm.text
    station = ScriptForm.station


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Lý do từ chối"), validators=[
        DataRequired(_l("Cho người viết biết vì sao kịch bản bị từ chối.")), at_most(2000)])


class GlossaryEntryForm(FlaskForm):
    term = StringField(_l("Từ viết tắt"), validators=[
        DataRequired(_l("Nhập từ viết tắt.")), Length(max=64, message=_l("Từ viết tắt dài tối đa %(max)d ký tự."))])
    reading = StringField(_l("Cách đọc"), validators=[
        DataRequired(_l("Nhập cách đọc.")), Length(max=300, message=_l("Cách đọc dài tối đa %(max)d ký tự."))])


class GlossaryPreviewForm(FlaskForm):
    sentence = StringField(_l("Câu nghe thử"), validators=[
        DataRequired(_l("Nhập một câu có từ viết tắt.")),
        Length(max=1000, message=_l("Câu dài tối đa %(max)d ký tự.")),
        Speakable(_l("Câu cần có chữ hoặc số để nghe thử."))])
