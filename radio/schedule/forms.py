"""The rebuild form: which days to build again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired

from ..ui.fields import LocalDateField


class RebuildForm(FlaskForm):
    start = LocalDateField(_l("Từ ngày"), validators=[DataRequired(_l("Chọn ngày bắt đầu."))])
    end = LocalDateField(_l("Đến ngày"), validators=[DataRequired(_l("Chọn ngày kết thúc."))])
