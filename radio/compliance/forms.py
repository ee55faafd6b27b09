"""The compliance dashboard's form and the statuses as its pages name them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from ..ui.fields import LocalDateField

# The compliance statuses as the pages name them: the report's own Vietnamese words
# (schedules.compliance.handin), here translatable, since the hand-in report is Vietnamese only.
STATUS_LABELS = {"met": _l("Đạt"), "short": _l("Không đạt"), "over": _l("Vượt mức tối đa"),
                 "in_progress": _l("Đang thực hiện"), "at_risk": _l("Có nguy cơ không đạt"),
                 "pending": _l("Chưa đến kỳ")}


class DashboardForm(FlaskForm):
    """Which area and dates the dashboard shows (GET: bookmarkable, no CSRF token)."""

    class Meta:
        csrf = False

    area = SelectField(_l("Địa bàn"), validate_choice=False)
    date_from = LocalDateField(_l("Từ ngày"), validators=[Optional()])
    date_to = LocalDateField(_l("Đến ngày"), validators=[Optional()])
