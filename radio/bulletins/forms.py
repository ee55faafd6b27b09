"""Forms of the bulletin pages: issue one, cancel one."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Optional

from ..models import BULLETIN_PRIORITIES
from ..ui.fields import LocalDateTimeField, choices, optional_text

NOT_OFFERED = _l("Chọn một mục trong danh sách.")  # WTForms' own words are English
PRIORITY_LABELS = {"normal": _l("Thông thường"), "priority": _l("Ưu tiên"), "emergency": _l("Khẩn cấp")}


class BulletinForm(FlaskForm):
    episode = SelectField(_l("Bản tin (tin đã duyệt, có âm thanh)"), validators=[DataRequired(_l("Chọn một bản tin."))],
                          invalid_choice_message=NOT_OFFERED)
    areas = SelectMultipleField(_l("Gửi tới các địa bàn"), validators=[DataRequired(_l("Chọn ít nhất một địa bàn."))],
                                invalid_choice_message=NOT_OFFERED)
    priority = RadioField(_l("Mức độ"), choices=choices((p, PRIORITY_LABELS[p]) for p in BULLETIN_PRIORITIES),
                          default="normal", validators=[DataRequired(_l("Chọn mức độ."))],
                          invalid_choice_message=NOT_OFFERED)
    title = optional_text(_l("Tiêu đề (để trống: tên bản tin)"), 300)
    valid_from = LocalDateTimeField(_l("Hiệu lực từ (để trống: ngay bây giờ)"), validators=[Optional()])
    valid_until = LocalDateTimeField(_l("Hiệu lực đến (để trống: mặc định)"), validators=[Optional()])
