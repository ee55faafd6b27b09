"""The loudspeakers pages' words for device states and network types, and the availability
export's form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Optional

from ..ui.fields import LocalDateField

STATE_LABELS = {"online": _l("Đang hoạt động"), "offline": _l("Mất liên lạc"),
                "never_seen": _l("Chưa kết nối lần nào"), "retired": _l("Đã thôi dùng")}
NETWORK_LABELS = {"ethernet": _l("mạng cáp"), "wifi": _l("Wi-Fi"), "cellular": _l("mạng di động")}


class AvailabilityForm(FlaskForm):
    """Which days the availability export covers (GET: a download link, no CSRF token)."""

    class Meta:
        csrf = False

    date_from = LocalDateField(_l("Từ ngày"), validators=[Optional()])
    date_to = LocalDateField(_l("Đến ngày"), validators=[Optional()])
