"""Forms of the alerts' pages (Flask-WTF: CSRF on each)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from ..ui.fields import optional_text


class SourceForm(FlaskForm):
    code = StringField(_l("Mã"), validators=[DataRequired(_l("Nhập mã.")),
                                             Length(max=59, message=_l("Mã dài tối đa %(max)d ký tự.")),
                                             Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Mã chỉ gồm chữ không dấu, "
                                                                                       "số, dấu chấm, gạch."))])
    name = StringField(_l("Tên"), validators=[DataRequired(_l("Nhập tên.")),
                                              Length(max=200, message=_l("Tên dài tối đa %(max)d ký tự."))])
    area = SelectField(_l("Địa bàn được cảnh báo"), validators=[DataRequired(_l("Chọn địa bàn."))],
                       invalid_choice_message=_l("Chọn một mục trong danh sách."))
    trusted = BooleanField(_l("Tin cậy: phát ngay, không chờ duyệt"))
    feed_url = optional_text(_l("Nguồn tin CAP (Atom/RSS) để tự lấy định kỳ"))


class IssueForm(FlaskForm):
    area = SelectField(_l("Phát tới địa bàn"), validators=[DataRequired(_l("Chọn địa bàn."))],
                       invalid_choice_message=_l("Chọn một mục trong danh sách."))
