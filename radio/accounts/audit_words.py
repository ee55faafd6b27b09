"""The audit log in words: what each action code means, what each recorded field is called, and
how a recorded value is said (dates the Vietnamese way, codes of lists by their labels).

ACTIONS names every action code radio writes (`audit.record` and the plan import's rows; a test
reads the code for them); a code it lacks still reads as GENERIC_ACTION, never as itself.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from flask_babel import gettext as _, lazy_gettext as _l

from schedules.planfile.model import WEEKDAYS

from ..ui.i18n import PERIOD_LABELS, WEEKDAY_NAMES, format_dmy, format_duration, format_hm
from .forms import ROLE_LABELS

ACTIONS = {
    "user.add": _l("Thêm người dùng"),
    "user.grant": _l("Cấp vai trò"),
    "user.revoke": _l("Thu hồi vai trò"),
    "user.passwd": _l("Đặt lại mật khẩu"),
    "user.change_password": _l("Tự đổi mật khẩu"),
    "user.email": _l("Đặt thư điện tử nhận thông báo"),
    "webhook.add": _l("Thêm webhook"),
    "webhook.deactivate": _l("Tắt webhook"),
    "webhook.remove": _l("Xoá webhook"),
    "notice.retry": _l("Gửi lại thông báo"),
    "alert_source.add": _l("Thêm nguồn cảnh báo"),
    "alert_source.update": _l("Sửa nguồn cảnh báo"),
    "alert_source.revoke": _l("Thu hồi nguồn cảnh báo"),
    "alert_source.enable": _l("Bật lại nguồn cảnh báo"),
    "alert_source.token": _l("Cấp khoá mới cho nguồn cảnh báo"),
    "alert.receive": _l("Nhận cảnh báo CAP"),
    "alert.discard": _l("Bỏ cảnh báo CAP"),
    "alert.end": _l("Kết thúc cảnh báo CAP"),
    "area.create": _l("Thêm địa bàn"),
    "area.update": _l("Sửa địa bàn"),
    "area.delete": _l("Xóa địa bàn"),
    "plan.create": _l("Thêm kế hoạch"),
    "plan.update": _l("Sửa kế hoạch"),
    "plan_draft.create": _l("Đọc văn bản kế hoạch thành bản nháp"),
    "plan_draft.import": _l("Nhập bản nháp kế hoạch"),
    "plan_draft.discard": _l("Bỏ bản nháp kế hoạch"),
    "station.create": _l("Thêm đài"),
    "station.update": _l("Sửa thông tin đài"),
    "window.create": _l("Thêm khung giờ phát"),
    "window.update": _l("Sửa khung giờ phát"),
    "window.delete": _l("Bỏ khung giờ phát"),
    "closed_date.create": _l("Thêm ngày nghỉ phát"),
    "closed_date.delete": _l("Bỏ ngày nghỉ phát"),
    "block.create": _l("Thêm khối phát cố định"),
    "block.update": _l("Sửa khối phát cố định"),
    "block.delete": _l("Bỏ khối phát cố định"),
    "device.create": _l("Thêm thiết bị"),
    "device.update": _l("Sửa thiết bị"),
    "device.token": _l("Cấp mã kết nối cho thiết bị"),
    "device.revoke": _l("Thu hồi mã kết nối của thiết bị"),
    "device.retire": _l("Ngừng dùng thiết bị"),
    "device.delete": _l("Xóa thiết bị"),
    "series.create": _l("Thêm chuyên mục"),
    "series.update": _l("Sửa chuyên mục"),
    "series.delete": _l("Xóa chuyên mục"),
    "episode.create": _l("Thêm tin, bài"),
    "episode.update": _l("Sửa tin, bài"),
    "episode.delete": _l("Xóa tin, bài"),
    "episode.upload": _l("Tải lên âm thanh"),
    "episode.availability": _l("Đặt thời gian được phát"),
    "media.normalise": _l("Chuẩn hóa tệp âm thanh"),
    "requirement.create": _l("Thêm yêu cầu phát"),
    "requirement.update": _l("Sửa yêu cầu phát"),
    "requirement.delete": _l("Xóa yêu cầu phát"),
    "script.create": _l("Nhập kịch bản từ kế hoạch"),
    "script.update": _l("Cập nhật kịch bản từ kế hoạch"),
    "script.draft": _l("Lưu bản nháp kịch bản"),
    "script.submit": _l("Gửi duyệt kịch bản"),
    "script.approve": _l("Duyệt kịch bản"),
    "script.reject": _l("Từ chối kịch bản"),
    "script.voice": _l("Tạo bản đọc từ kịch bản"),
    "recording.add": _l("Ghi âm tin"),
    "recording.approve": _l("Duyệt bản ghi âm"),
    "recording.reject": _l("Từ chối bản ghi âm"),
    "glossary.set": _l("Đặt cách đọc từ viết tắt"),
    "glossary.remove": _l("Bỏ cách đọc từ viết tắt"),
    "schedule.build": _l("Lập lịch phát"),
    "schedule.pin": _l("Ghim mục trong lịch"),
    "schedule.unpin": _l("Bỏ ghim mục trong lịch"),
    "schedule.cancel": _l("Hủy mục trong lịch"),
    "schedule.move": _l("Dời giờ mục trong lịch"),
    "schedule.add": _l("Thêm mục vào lịch"),
    "schedule.fill": _l("Điền nội dung cho mục đang chờ"),
    "bulletin.issue": _l("Phát hành bản tin"),
    "bulletin.cancel": _l("Hủy bản tin"),
    "playlog.confirm": _l("Xác nhận đã phát"),
    "playlog.unconfirm": _l("Bỏ dấu đã phát"),
    "playlog.add": _l("Ghi nhận phát ngoài lịch"),
    "feed.issue": _l("Cấp đường dẫn lịch"),
    "feed.revoke": _l("Thu hồi đường dẫn lịch"),
    "compliance.freeze": _l("Chốt báo cáo thực hiện"),
    "compliance.makegood": _l("Xếp lịch phát bù"),
}
GENERIC_ACTION = _l("Thay đổi khác")

FIELDS = {
    "display_name": _l("Họ tên"), "role": _l("Vai trò"), "area": _l("Địa bàn"), "areas": _l("Địa bàn"),
    "must_change_password": _l("Phải đổi mật khẩu khi đăng nhập"), "term": _l("Từ viết tắt"),
    "reading": _l("Cách đọc"), "version": _l("Bản"), "status": _l("Trạng thái"), "title": _l("Tiêu đề"),
    "reason": _l("Lý do"), "engine": _l("Giọng đọc"), "episode": _l("Tin, bài"), "from": _l("Từ ngày"),
    "to": _l("Đến ngày"), "start_at": _l("Bắt đầu"), "end_at": _l("Kết thúc"), "is_pinned": _l("Ghim"),
    "origin": _l("Nguồn"), "priority": _l("Mức ưu tiên"), "valid_from": _l("Hiệu lực từ"),
    "valid_until": _l("Hiệu lực đến"), "valid_to": _l("Hiệu lực đến"), "cancelled_at": _l("Hủy lúc"),
    "date": _l("Ngày"), "at": _l("Lúc"), "by": _l("Người đánh dấu"),
    "entries": _l("Các mục"), "station": _l("Đài"), "stations": _l("Đài"), "device": _l("Thiết bị"),
    "duration_s": _l("Thời lượng"), "file": _l("Tệp"), "available_from": _l("Được phát từ"),
    "expires": _l("Hết hạn"), "plan": _l("Kế hoạch"), "rows": _l("Số dòng"), "requirement": _l("Yêu cầu phát"),
    "period": _l("Kỳ"), "code": _l("Mã"), "name": _l("Tên"), "level": _l("Cấp"), "levels": _l("Cấp"),
    "parent": _l("Thuộc"), "document": _l("Số văn bản"), "issued_by": _l("Đơn vị ban hành"),
    "report_due": _l("Hạn báo cáo"), "timezone": _l("Múi giờ"), "days": _l("Ngày trong tuần"),
    "start_time": _l("Giờ bắt đầu"), "end_time": _l("Giờ kết thúc"), "day": _l("Ngày"),
    "window": _l("Khung giờ"), "windows": _l("Khung giờ"), "kind": _l("Loại"), "source": _l("Nguồn phát"),
    "series": _l("Chuyên mục"), "min_airings": _l("Số lần phát tối thiểu"),
    "max_airings": _l("Số lần phát tối đa"), "new_episodes": _l("Số tin mới"),
    "duration_min": _l("Thời lượng tối thiểu"), "duration_max": _l("Thời lượng tối đa"),
    "min_gap_days": _l("Cách nhau tối thiểu (ngày)"), "date_from": _l("Từ ngày"), "date_to": _l("Đến ngày"),
    "created": _l("Mục mới"), "cancelled": _l("Mục đã hủy"), "filled": _l("Chỗ chờ đã có nội dung"),
    "swapped": _l("Mục đổi nội dung"), "confirmed_swaps": _l("Mục sắp phát được xác nhận đổi tập"),
    "for_requirements": _l("Xếp vào lượt phát theo yêu cầu"), "ended_on": _l("Ngừng từ ngày"),
    "retired_on": _l("Ngừng dùng từ ngày"),
    "email": _l("Thư điện tử"), "url": _l("Địa chỉ (URL)"), "kinds": _l("Loại thông báo"), "channel": _l("Kênh gửi"),
    "trusted": _l("Tin cậy"), "feed_url": _l("Nguồn tin CAP"), "revoked_at": _l("Thu hồi lúc"),
}
# Digests and identifiers say nothing to a person.
HIDDEN_FIELDS = {"sha256", "canonical", "log", "media_sha256"}

VALUES = {
    "role": ROLE_LABELS,
    "status": {"draft": _l("Bản nháp"), "submitted": _l("Chờ duyệt"), "approved": _l("Đã duyệt"),
               "rejected": _l("Bị từ chối"), "planned": _l("Trong lịch"), "cancelled": _l("Đã hủy")},
    "origin": {"planner": _l("Tự động xếp"), "manual": _l("Sửa tay"), "make-good": _l("Phát bù"),
               "bulletin": _l("Bản tin")},
    "priority": {"normal": _l("Thường"), "priority": _l("Ưu tiên"), "emergency": _l("Khẩn cấp")},
    "level": {"province": _l("Tỉnh"), "district": _l("Huyện"), "commune": _l("Xã"), "village": _l("Thôn")},
    "period": PERIOD_LABELS,
    "days": dict(zip(WEEKDAYS, WEEKDAY_NAMES)),
    "kind": {"relay": _l("Tiếp sóng"), "live": _l("Phát trực tiếp")},
}
VALUES["levels"] = VALUES["level"]
# Fields whose values are codes of records, said by the records' names (audit_lines.Names); a
# series code is its plan's (the row's key starts with the plan's code).
NAMED_VALUES = {"area": "area", "areas": "area", "parent": "area", "issued_by": "area", "station": "station",
                "stations": "station", "plan": "plan", "device": "device", "series": "series"}
DURATIONS = {"duration_s", "duration_min", "duration_max"}

_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}(:\d{2})?")


def action_phrase(code: str) -> str:
    return str(ACTIONS.get(code, GENERIC_ACTION))


def field_label(field: str) -> str:
    return str(FIELDS.get(field, field.replace("_", " ")))


def say(field: str, value, name_of: Callable[[str, str], str] | None = None) -> str:
    """A recorded value as a person reads it; `name_of(kind, code)` names the records NAMED_VALUES lists."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if field == "entries" and isinstance(value, list):
        return _("%(n)s mục", n=len(value))
    if isinstance(value, list):
        return ", ".join(say(field, item, name_of) for item in value)
    if field in DURATIONS and isinstance(value, (int, float)):
        return format_duration(value)
    if field in VALUES and value in VALUES[field]:
        return str(VALUES[field][value])
    if field in NAMED_VALUES and name_of is not None:
        return name_of(NAMED_VALUES[field], str(value))
    return _said_as_time(value) if isinstance(value, str) else str(value)


def _said_as_time(text: str) -> str:
    """ISO instants, days and times written the Vietnamese way; any other text as it is."""
    try:
        if _INSTANT.match(text):
            instant = datetime.fromisoformat(text)
            return f"{format_dmy(instant)} {format_hm(instant)}" if instant.tzinfo else f"{instant:%d/%m/%Y %H:%M}"
        if _DAY.fullmatch(text):
            return format_dmy(date.fromisoformat(text))
    except ValueError:
        return text
    return text[:5] if _TIME.fullmatch(text) else text
