"""The schedule's refusals, shared by its operations and the free-time check."""
from __future__ import annotations

from schedules.marking import N_

from ..errors import RadioError


class ScheduleError(RadioError):
    """A schedule operation refused. `code` names the rule broken, and is also what its page
    says (`messages`, filled with `values`: times written dd/mm/yyyy HH:MM, titles); the message
    is the CLI's English."""

    messages = {
        "not_planned": N_("Mục “%(title)s” đã bị huỷ."),
        "started": N_("Mục “%(title)s” đã tới giờ phát: không dời, huỷ hay thay nội dung được nữa."),
        "in_past": N_("Giờ %(when)s đã qua: hãy chọn một giờ sắp tới."),
        "closed_day": N_("Đài nghỉ phát ngày %(day)s."),
        "outside_windows": N_("Giờ %(when)s nằm ngoài các buổi phát của đài trong ngày đó."),
        "on_block": N_("Giờ %(when)s trùng với mục cố định “%(title)s” lúc %(at)s."),
        "overlap": N_("Giờ %(when)s trùng với mục “%(title)s” lúc %(at)s."),
        "no_audio": N_("Tin “%(title)s” chưa có âm thanh để phát."),
        "not_yet_available": N_("Tin “%(title)s” chỉ được phát từ ngày %(day)s."),
        "expired": N_("Tin “%(title)s” đã hết hạn phát sau ngày %(day)s."),
        "not_reservation": N_("Mục “%(title)s” không phải chỗ đang chờ nội dung."),
        "wrong_series": N_("Tin “%(title)s” không thuộc chuyên mục “%(series)s”."),
        "duration_outside": N_("Tin “%(title)s” dài hoặc ngắn hơn thời lượng yêu cầu cho phép, nên sẽ không được tính."),
    }

    def __init__(self, message: str, *, code: str = "refused", **values: str):
        super().__init__(message, code=code, reason=code if code in self.messages else None, values=values)
