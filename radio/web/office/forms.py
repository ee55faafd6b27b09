"""Flask-WTF forms of the office pages (CSRF on every one that changes something).

The plan forms check nothing of their own beyond lengths: their values go through the plan
file's reader (plan_edits.py), whose problems come back onto these fields by name. That is
why some fields carry the plan format's key as their HTML name (``from``, ``to``).
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField, DateTimeLocalField, FieldList, Form, FormField, PasswordField, RadioField, SelectField,
    SelectMultipleField, StringField, TextAreaField, widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from schedules.planfile import BLOCK_KINDS, LEVELS, PERIODS, PRIORITIES, WEEKDAYS

from ...models import BULLETIN_PRIORITIES, ROLES

WEEKDAY_LABELS = {"MO": "Thứ 2", "TU": "Thứ 3", "WE": "Thứ 4", "TH": "Thứ 5", "FR": "Thứ 6",
                  "SA": "Thứ 7", "SU": "Chủ nhật"}


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
    plan_file = FileField("Tệp kế hoạch (YAML hoặc JSON)", validators=[
        FileRequired("Chọn một tệp kế hoạch."),
        FileAllowed(["yaml", "yml", "json"], "Tệp kế hoạch có đuôi .yaml, .yml hoặc .json."),
    ])


class WindowForm(Form):
    name = _text("Tên khung giờ", 64)
    days = Checkboxes("Các ngày", choices=choices((d, WEEKDAY_LABELS[d]) for d in WEEKDAYS))
    start = _text("Bắt đầu", 5)
    end = _text("Kết thúc", 5)
    valid_from = _text("Áp dụng từ ngày", 10, name="from")
    valid_to = _text("đến ngày", 10, name="to")


BLOCK_LABELS = {"relay": "Tiếp sóng", "live": "Trực tiếp"}


class BlockForm(Form):
    window = _text("Khung giờ", 64)
    at = _text("Lúc", 5)
    kind = SelectField("Loại", choices=choices([("", "—")] + [(k, BLOCK_LABELS[k]) for k in BLOCK_KINDS]),
                       validate_choice=False)
    title = _text("Tiêu đề", 200)
    source = _text("Nguồn phát", 500)
    duration = _text("Thời lượng (giây)", 6)


class StationForm(FlaskForm):
    name = _text("Tên đài", 200)
    windows = FieldList(FormField(WindowForm), min_entries=1)
    closed = TextAreaField("Ngày nghỉ (mỗi dòng một ngày YYYY-MM-DD)", validators=[Optional(), Length(max=5000)])
    blocks = FieldList(FormField(BlockForm), min_entries=1)


class VillageForm(FlaskForm):
    code = _text("Mã thôn", 64)
    name = _text("Tên thôn", 200)
    parent = SelectField("Thuộc xã", validate_choice=False)


class DeviceForm(FlaskForm):
    code = _text("Mã thiết bị", 64)
    area = SelectField("Thôn", validate_choice=False)
    station = SelectField("Đài", validate_choice=False)


class SeriesForm(FlaskForm):
    code = _text("Mã chuyên mục", 64)
    title = _text("Tên chuyên mục", 300)


class BoundsForm(Form):
    min = _text("tối thiểu", 6)
    max = _text("tối đa", 6)


class RequirementForm(FlaskForm):
    code = _text("Mã yêu cầu", 64)
    series = SelectField("Chuyên mục", validate_choice=False)
    stations = _text("Các đài (mã, cách nhau bởi dấu cách)", 2000)
    areas = _text("Hoặc các địa bàn (mã)", 2000)
    levels = Checkboxes("Chỉ các cấp", choices=choices([(level, level) for level in LEVELS]))
    period = SelectField("Chu kỳ", choices=choices([("", "—")] + [(p, p) for p in PERIODS]), validate_choice=False)
    airings = FormField(BoundsForm, "Số lần phát mỗi chu kỳ")
    new_episodes = _text("Số tin mới mỗi chu kỳ", 6)
    days = Checkboxes("Các ngày được phát", choices=choices((d, WEEKDAY_LABELS[d]) for d in WEEKDAYS))
    windows = _text("Các khung giờ (tên)", 500)
    duration = FormField(BoundsForm, "Thời lượng mỗi lần phát (giây)")
    min_gap_days = _text("Khoảng cách tối thiểu (ngày)", 6)
    date_from = _text("Từ ngày", 10, name="from")
    date_to = _text("Đến ngày", 10, name="to")
    priority = SelectField("Mức ưu tiên", choices=choices([(p, p) for p in PRIORITIES]), validate_choice=False)
    report_due = _text("Hạn báo cáo", 10)


class RebuildForm(FlaskForm):
    start = DateField("Từ ngày", validators=[DataRequired("Chọn ngày bắt đầu.")])
    end = DateField("Đến ngày", validators=[DataRequired("Chọn ngày kết thúc.")])


PRIORITY_LABELS = {"normal": "Thông thường", "priority": "Ưu tiên", "emergency": "Khẩn cấp"}


class BulletinForm(FlaskForm):
    episode = SelectField("Bản tin (tin đã duyệt, có âm thanh)", validators=[DataRequired("Chọn một bản tin.")])
    areas = SelectMultipleField("Gửi tới các địa bàn", validators=[DataRequired("Chọn ít nhất một địa bàn.")])
    priority = RadioField("Mức độ", choices=choices((p, PRIORITY_LABELS[p]) for p in BULLETIN_PRIORITIES),
                          default="normal", validators=[DataRequired("Chọn mức độ.")])
    title = _text("Tiêu đề (để trống: tên bản tin)", 300)
    valid_from = DateTimeLocalField("Hiệu lực từ (để trống: ngay bây giờ)", validators=[Optional()])
    valid_until = DateTimeLocalField("Hiệu lực đến (để trống: mặc định)", validators=[Optional()])


class CancelForm(FlaskForm):
    """Only the CSRF token: a button that changes something."""


ROLE_LABELS = {"admin": "Quản trị", "oversight": "Phòng Văn hóa (giám sát)", "approver": "Người duyệt",
               "operator": "Người vận hành đài"}


class AddUserForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Nhập tên đăng nhập."), Length(max=64)])
    display_name = _text("Họ tên", 200)
    password = PasswordField("Mật khẩu", validators=[DataRequired("Nhập mật khẩu.")])
    role = SelectField("Vai trò", choices=choices((r, ROLE_LABELS[r]) for r in ROLES))
    area = SelectField("Địa bàn", validators=[DataRequired("Chọn địa bàn.")])


class GrantForm(FlaskForm):
    role = SelectField("Vai trò", choices=choices((r, ROLE_LABELS[r]) for r in ROLES))
    area = SelectField("Địa bàn", validators=[DataRequired("Chọn địa bàn.")])


class PasswordForm(FlaskForm):
    password = PasswordField("Mật khẩu mới", validators=[DataRequired("Nhập mật khẩu mới.")])


class AuditFilterForm(FlaskForm):
    """A GET filter: nothing changes, so no CSRF token (and bookmarkable links)."""

    class Meta:
        csrf = False

    user = _text("Người dùng", 64)
    area = SelectField("Địa bàn", validate_choice=False)
    date_from = DateField("Từ ngày", validators=[Optional()])
    date_to = DateField("Đến ngày", validators=[Optional()])
