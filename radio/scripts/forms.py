"""Forms of the script pages (Flask-WTF: CSRF on each). Messages are Vietnamese msgids."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

MAX_TEXT = 20_000


class ScriptForm(FlaskForm):
    series = SelectField(_l("Chuyên mục"), coerce=str, validate_choice=False)
    title = StringField(_l("Tiêu đề"), validators=[
        DataRequired(_l("Nhập tiêu đề.")), Length(max=300, message=_l("Tiêu đề dài tối đa %(max)d ký tự."))])
    text = TextAreaField(_l("Nội dung kịch bản"), validators=[
        DataRequired(_l("Nhập nội dung kịch bản.")),
        Length(max=MAX_TEXT, message=_l("Kịch bản dài tối đa %(max)d ký tự."))])

    def validate_series(self, field):
        """WTForms' own choice check speaks English only: this one says it in the page's language."""
        if field.data not in {str(value) for value, _ in field.choices}:
            raise ValidationError(_l("Chọn một chuyên mục trong danh sách."))


class EditScriptForm(FlaskForm):
    text = ScriptForm.text


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Lý do từ chối"), validators=[
        DataRequired(_l("Cho người viết biết vì sao kịch bản bị từ chối.")), Length(max=2000)])
