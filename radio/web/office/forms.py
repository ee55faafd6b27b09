"""Flask-WTF forms of the office pages (CSRF on every one that changes something).

The plan forms check nothing of their own beyond lengths: their values go through the plan
file's reader (plan_edits.py), whose problems come back onto these fields by name. That is
why some fields carry the plan format's key as their HTML name (``from``, ``to``).
"""
from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    FieldList, Form, FormField, PasswordField, RadioField, SelectField,
    SelectMultipleField, StringField, TextAreaField, widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from schedules.planfile import BLOCK_KINDS, LEVELS, PERIODS, PRIORITIES, WEEKDAYS

from ...auth.operations import MIN_PASSWORD_LENGTH
from ...models import BULLETIN_PRIORITIES, ROLES
from ..fields import DMY, LocalDateField
from ..i18n import WEEKDAY_NAMES

WEEKDAY_LABELS = dict(zip(WEEKDAYS, WEEKDAY_NAMES))


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms' choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def offered(field) -> bool:
    """True when a select's value is one of those it offered (lists built from the user's scope)."""
    return field.data in {choice.value for choice in field.choices}


class Checkboxes(SelectMultipleField):
    """A choice of several, shown as checkboxes (weekdays, levels)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        """Values outside the choices are left for the plan reader to name."""


def _text(label: str, max_length: int = 500, **kwargs) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=max_length)], **kwargs)


class PlanImportForm(FlaskForm):
    plan_file = FileField(_l("Tệp kế hoạch (YAML hoặc JSON)"), validators=[
        FileRequired(_l("Chọn một tệp kế hoạch.")),
        FileAllowed(["yaml", "yml", "json"], _l("Tệp kế hoạch có đuôi .yaml, .yml hoặc .json.")),
    ])


class WindowForm(Form):
    name = _text(_l("Tên khung giờ"), 64)
    days = Checkboxes(_l("Các ngày"), choices=choices((d, WEEKDAY_LABELS[d]) for d in WEEKDAYS))
    start = _text(_l("Bắt đầu"), 5)
    end = _text(_l("Kết thúc"), 5)
    valid_from = _text(_l("Áp dụng từ ngày"), 10, name="from")
    valid_to = _text(_l("đến ngày"), 10, name="to")


BLOCK_LABELS = {"relay": _l("Tiếp sóng"), "live": _l("Trực tiếp")}


class BlockForm(Form):
    window = _text(_l("Khung giờ"), 64)
    at = _text(_l("Lúc"), 5)
    kind = SelectField(_l("Loại"), choices=choices([("", "—")] + [(k, BLOCK_LABELS[k]) for k in BLOCK_KINDS]),
                       validate_choice=False)
    title = _text(_l("Tiêu đề"), 200)
    source = _text(_l("Nguồn phát"), 500)
    duration = _text(_l("Thời lượng (giây)"), 6)


class StationForm(FlaskForm):
    code = _text(_l("Mã đài"), 64)  # a new station's only
    area = SelectField(_l("Xã"), validate_choice=False)  # a new station's only
    name = _text(_l("Tên đài"), 200)
    windows = FieldList(FormField(WindowForm), min_entries=1)
    closed = TextAreaField(_l("Ngày nghỉ (mỗi dòng một ngày YYYY-MM-DD)"), validators=[Optional(), Length(max=5000)])
    blocks = FieldList(FormField(BlockForm), min_entries=1)


class VillageForm(FlaskForm):
    code = _text(_l("Mã thôn"), 64)
    name = _text(_l("Tên thôn"), 200)
    parent = SelectField(_l("Thuộc xã"), validate_choice=False)


class DeviceForm(FlaskForm):
    code = _text(_l("Mã thiết bị"), 64)
    area = SelectField(_l("Thôn"), validate_choice=False)
    station = SelectField(_l("Đài"), validate_choice=False)


class SeriesForm(FlaskForm):
    code = _text(_l("Mã chuyên mục"), 64)
    title = _text(_l("Tên chuyên mục"), 300)


class BoundsForm(Form):
    min = _text(_l("tối thiểu"), 6)
    max = _text(_l("tối đa"), 6)


PERIOD_LABELS = {"day": _l("ngày"), "week": _l("tuần"), "month": _l("tháng"), "quarter": _l("quý"),
                 "year": _l("năm"), "campaign": _l("đợt")}


class RequirementForm(FlaskForm):
    code = _text(_l("Mã yêu cầu"), 64)
    series = SelectField(_l("Chuyên mục"), validate_choice=False)
    stations = _text(_l("Các đài (mã, cách nhau bởi dấu cách)"), 2000)
    areas = _text(_l("Hoặc các địa bàn (mã)"), 2000)
    levels = Checkboxes(_l("Chỉ các cấp"), choices=choices([(level, level) for level in LEVELS]))
    period = SelectField(_l("Chu kỳ"), choices=choices([("", "—")] + [(p, PERIOD_LABELS[p]) for p in PERIODS]),
                         validate_choice=False)
    airings = FormField(BoundsForm, _l("Số lần phát mỗi chu kỳ"))
    new_episodes = _text(_l("Số tin mới mỗi chu kỳ"), 6)
    days = Checkboxes(_l("Các ngày được phát"), choices=choices((d, WEEKDAY_LABELS[d]) for d in WEEKDAYS))
    windows = _text(_l("Các khung giờ (tên)"), 500)
    duration = FormField(BoundsForm, _l("Thời lượng mỗi lần phát (giây)"))
    min_gap_days = _text(_l("Khoảng cách tối thiểu (ngày)"), 6)
    date_from = _text(_l("Từ ngày"), 10, name="from")
    date_to = _text(_l("Đến ngày"), 10, name="to")
    priority = SelectField(_l("Mức ưu tiên"), choices=choices([(p, p) for p in PRIORITIES]), validate_choice=False)
    report_due = _text(_l("Hạn báo cáo"), 10)


class RebuildForm(FlaskForm):
    start = LocalDateField(_l("Từ ngày"), validators=[DataRequired(_l("Chọn ngày bắt đầu."))])
    end = LocalDateField(_l("Đến ngày"), validators=[DataRequired(_l("Chọn ngày kết thúc."))])


PRIORITY_LABELS = {"normal": _l("Thông thường"), "priority": _l("Ưu tiên"), "emergency": _l("Khẩn cấp")}


class LocalDateTimeField(StringField):
    """A local date and time typed as the pages write them, "07:30 31/12/2026" (either order,
    or ISO "2026-12-31T07:30"): a text box, like the foundation's LocalDateField, because the
    browser's picker writes in the browser's language."""

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not raw:
            return
        parts = raw.replace("T", " ").split()
        clock = [p for p in parts if ":" in p]
        day = [p for p in parts if ":" not in p]
        try:
            hour, minute = (int(n) for n in clock[0].split(":")) if len(clock) == 1 else (None, None)
            match = DMY.fullmatch(day[0]) if len(day) == 1 else None
            when = date(int(match[3]), int(match[2]), int(match[1])) if match else date.fromisoformat(day[0])
            self.data = datetime.combine(when, time(hour, minute))
        except (ValueError, TypeError, IndexError):
            raise ValueError(_l("Viết ngày giờ theo dạng giờ:phút ngày/tháng/năm, ví dụ 07:30 31/12/2026.")) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:%H:%M %d/%m/%Y}" if self.data else ""


class BulletinForm(FlaskForm):
    episode = SelectField(_l("Bản tin (tin đã duyệt, có âm thanh)"), validators=[DataRequired(_l("Chọn một bản tin."))])
    areas = SelectMultipleField(_l("Gửi tới các địa bàn"), validators=[DataRequired(_l("Chọn ít nhất một địa bàn."))])
    priority = RadioField(_l("Mức độ"), choices=choices((p, PRIORITY_LABELS[p]) for p in BULLETIN_PRIORITIES),
                          default="normal", validators=[DataRequired(_l("Chọn mức độ."))])
    title = _text(_l("Tiêu đề (để trống: tên bản tin)"), 300)
    valid_from = LocalDateTimeField(_l("Hiệu lực từ (để trống: ngay bây giờ)"), validators=[Optional()])
    valid_until = LocalDateTimeField(_l("Hiệu lực đến (để trống: mặc định)"), validators=[Optional()])


class CancelForm(FlaskForm):
    """Only the CSRF token: a button that changes something."""


ROLE_LABELS = {"admin": _l("Quản trị"), "oversight": _l("Phòng Văn hóa (giám sát)"), "approver": _l("Người duyệt"),
               "operator": _l("Người vận hành đài")}


def _long_enough() -> Length:
    """The rule of radio/auth (hash_password), said before the operation would refuse it."""
    return Length(min=MIN_PASSWORD_LENGTH, message=_l("Mật khẩu phải có ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH))


class AddUserForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Nhập tên đăng nhập.")), Length(max=64)])
    display_name = _text(_l("Họ tên"), 200)
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Nhập mật khẩu.")), _long_enough()])
    role = SelectField(_l("Vai trò"), choices=choices((r, ROLE_LABELS[r]) for r in ROLES))
    area = SelectField(_l("Địa bàn"), validators=[DataRequired(_l("Chọn địa bàn."))])


class GrantForm(FlaskForm):
    role = SelectField(_l("Vai trò"), choices=choices((r, ROLE_LABELS[r]) for r in ROLES))
    area = SelectField(_l("Địa bàn"), validators=[DataRequired(_l("Chọn địa bàn."))])


class PasswordForm(FlaskForm):
    password = PasswordField(_l("Mật khẩu mới"), validators=[DataRequired(_l("Nhập mật khẩu mới.")), _long_enough()])


class AuditFilterForm(FlaskForm):
    """A GET filter: nothing changes, so no CSRF token (and bookmarkable links)."""

    class Meta:
        csrf = False

    user = _text(_l("Người dùng"), 64)
    area = SelectField(_l("Địa bàn"), validate_choice=False)
    date_from = LocalDateField(_l("Từ ngày"), validators=[Optional()])
    date_to = LocalDateField(_l("Đến ngày"), validators=[Optional()])


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
