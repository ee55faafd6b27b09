"""The words the operator's pages use for the schedule's codes: where an entry came from, what
kind it is, and why a hand edit or a play log was refused. The operations say it in the CLI's
English and name the rule by a code with values; the pages say it here, in the reader's language.
"""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from ..errors import RadioError

ORIGINS = {
    "planner": _l("Tự động xếp"),
    "manual": _l("Sửa tay"),
    "make-good": _l("Phát bù"),
    "bulletin": _l("Bản tin"),
}

KINDS = {
    "episode": _l("Tin bài"),
    "reservation": _l("Chờ nội dung"),
    "relay": _l("Tiếp sóng"),
    "live": _l("Phát trực tiếp"),
    "bulletin": _l("Thông báo"),
}

# By the code of the refusal (radio.schedule.errors.ScheduleError, radio.playlogs ConfirmationError);
# each names the values its operation gives.
REFUSALS = {
    "not_planned": _l("Mục “%(title)s” đã bị huỷ."),
    "started": _l("Mục “%(title)s” đã tới giờ phát: không dời, huỷ hay thay nội dung được nữa."),
    "in_past": _l("Giờ %(when)s đã qua: hãy chọn một giờ sắp tới."),
    "closed_day": _l("Đài nghỉ phát ngày %(day)s."),
    "outside_windows": _l("Giờ %(when)s nằm ngoài các buổi phát của đài trong ngày đó."),
    "on_block": _l("Giờ %(when)s trùng với mục cố định “%(title)s” lúc %(at)s."),
    "overlap": _l("Giờ %(when)s trùng với mục “%(title)s” lúc %(at)s."),
    "no_audio": _l("Tin “%(title)s” chưa có âm thanh để phát."),
    "not_yet_available": _l("Tin “%(title)s” chỉ được phát từ ngày %(day)s."),
    "expired": _l("Tin “%(title)s” đã hết hạn phát sau ngày %(day)s."),
    "not_reservation": _l("Mục “%(title)s” không phải chỗ đang chờ nội dung."),
    "wrong_series": _l("Tin “%(title)s” không thuộc chuyên mục “%(series)s”."),
    "duration_outside": _l("Tin “%(title)s” dài hoặc ngắn hơn thời lượng yêu cầu cho phép, nên sẽ không được tính."),
    "in_future": _l("Lúc %(at)s chưa tới: chỉ ghi nhận được những gì đã phát."),
    "not_airable_entries": _l("Mục này không có trong lịch phát của đài ngày này."),
    "not_started": _l("Mục này chưa tới giờ phát."),
}


def refusal(error: RadioError) -> str:
    """The refusal in the reader's language (a refusal without words of its own says so plainly)."""
    message = REFUSALS.get(error.code)
    if message is None:
        return _("Không thực hiện được thao tác này.")
    return str(message) % getattr(error, "values", {})
