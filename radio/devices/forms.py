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
# The playback errors a receiver reports, by code (device_client/state.py names them); an unknown
# code, or none (an older receiver), shows the receiver's own message.
ERROR_LABELS = {"player_failed": _l("Trình phát bị lỗi khi đang phát"),
                "player_not_started": _l("Không khởi động được trình phát"),
                "cache_mismatch": _l("Tệp âm thanh lưu trong máy bị hỏng, đang tải lại"),
                "audio_refused": _l("Tệp âm thanh tải về bị sai nên không phát"),
                "audio_missing": _l("Mất tệp âm thanh khi phát tiếp")}


class AvailabilityForm(FlaskForm):
    """Which days the availability export covers (GET: a download link, no CSRF token)."""

    class Meta:
        csrf = False

    date_from = LocalDateField(_l("Từ ngày"), validators=[Optional()])
    date_to = LocalDateField(_l("Đến ngày"), validators=[Optional()])
