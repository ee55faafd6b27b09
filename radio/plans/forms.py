"""Flask-WTF forms of the plan pages (CSRF on every one that changes something).

The plan forms check nothing of their own beyond lengths: their values go through the plan
file's reader (edits.py), whose problems come back onto these fields by name. That is
why some fields carry the plan format's key as their HTML name (``from``, ``to``).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import FieldList, Form, FormField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from schedules.planfile import BLOCK_KINDS, LEVELS, PERIODS, PRIORITIES, WEEKDAYS

from ..ui.fields import Checkboxes, LocalDateField, choices, optional_text
from ..ui.i18n import PERIOD_LABELS, WEEKDAY_NAMES

WEEKDAY_LABELS = dict(zip(WEEKDAYS, WEEKDAY_NAMES))


class PlanImportForm(FlaskForm):
    plan_file = FileField(_l("Tệp kế hoạch (YAML hoặc JSON)"), validators=[
        FileRequired(_l("Chọn một tệp kế hoạch.")),
        FileAllowed(["yaml", "yml", "json"], _l("Tệp kế hoạch có đuôi .yaml, .yml hoặc .json.")),
    ])


class WindowForm(Form):
    name = optional_text(_l("Tên khung giờ"), 64)
    title = optional_text(_l("Tên gọi trên trang và sổ nhật ký"), 200)
    days = Checkboxes(_l("Các ngày"), choices=choices((d, WEEKDAY_LABELS[d]) for d in WEEKDAYS))
    start = optional_text(_l("Bắt đầu"), 5)
    end = optional_text(_l("Kết thúc"), 5)
    valid_from = optional_text(_l("Áp dụng từ ngày"), 10, name="from")
    valid_to = optional_text(_l("đến ngày"), 10, name="to")


BLOCK_LABELS = {"relay": _l("Tiếp sóng"), "live": _l("Trực tiếp")}


class BlockForm(Form):
    window = optional_text(_l("Khung giờ"), 64)
    at = optional_text(_l("Lúc"), 5)
    kind = SelectField(_l("Loại"), choices=choices([("", "—")] + [(k, BLOCK_LABELS[k]) for k in BLOCK_KINDS]),
                       validate_choice=False)
    title = optional_text(_l("Tiêu đề"), 200)
    source = optional_text(_l("Nguồn phát"), 500)
    duration = optional_text(_l("Thời lượng (giây)"), 6)


class StationForm(FlaskForm):
    code = optional_text(_l("Mã đài"), 64)  # a new station's only
    area = SelectField(_l("Xã"), validate_choice=False)  # a new station's only
    name = optional_text(_l("Tên đài"), 200)
    windows = FieldList(FormField(WindowForm), min_entries=1)
    closed = TextAreaField(_l("Ngày nghỉ (mỗi dòng một ngày YYYY-MM-DD)"), validators=[Optional(), Length(max=5000)])
    blocks = FieldList(FormField(BlockForm), min_entries=1)


class VillageForm(FlaskForm):
    code = optional_text(_l("Mã thôn"), 64)
    name = optional_text(_l("Tên thôn"), 200)
    parent = SelectField(_l("Thuộc xã"), validate_choice=False)


class DeviceForm(FlaskForm):
    code = optional_text(_l("Mã thiết bị"), 64)
    area = SelectField(_l("Thôn"), validate_choice=False)
    station = SelectField(_l("Đài"), validate_choice=False)


class SeriesForm(FlaskForm):
    code = optional_text(_l("Mã chuyên mục"), 64)
    title = optional_text(_l("Tên chuyên mục"), 300)


class BoundsForm(Form):
    min = optional_text(_l("tối thiểu"), 6)
    max = optional_text(_l("tối đa"), 6)


class RequirementForm(FlaskForm):
    code = optional_text(_l("Mã yêu cầu"), 64)
    series = SelectField(_l("Chuyên mục"), validate_choice=False)
    stations = optional_text(_l("Các đài (mã, cách nhau bởi dấu cách)"), 2000)
    areas = optional_text(_l("Hoặc các địa bàn (mã)"), 2000)
    levels = Checkboxes(_l("Chỉ các cấp"), choices=choices([(level, level) for level in LEVELS]))
    period = SelectField(_l("Chu kỳ"), choices=choices([("", "—")] + [(p, PERIOD_LABELS[p]) for p in PERIODS]),
                         validate_choice=False)
    airings = FormField(BoundsForm, _l("Số lần phát mỗi chu kỳ"))
    new_episodes = optional_text(_l("Số tin mới mỗi chu kỳ"), 6)
    days = Checkboxes(_l("Các ngày được phát"), choices=choices((d, WEEKDAY_LABELS[d]) for d in WEEKDAYS))
    windows = optional_text(_l("Các khung giờ (tên)"), 500)
    duration = FormField(BoundsForm, _l("Thời lượng mỗi lần phát (giây)"))
    min_gap_days = optional_text(_l("Khoảng cách tối thiểu (ngày)"), 6)
    date_from = optional_text(_l("Từ ngày"), 10, name="from")
    date_to = optional_text(_l("Đến ngày"), 10, name="to")
    priority = SelectField(_l("Mức ưu tiên"), choices=choices([(p, p) for p in PRIORITIES]), validate_choice=False)
    report_due = optional_text(_l("Hạn báo cáo"), 10)


class RebuildForm(FlaskForm):
    start = LocalDateField(_l("Từ ngày"), validators=[DataRequired(_l("Chọn ngày bắt đầu."))])
    end = LocalDateField(_l("Đến ngày"), validators=[DataRequired(_l("Chọn ngày kết thúc."))])
