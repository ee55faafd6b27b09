"""Flask-WTF forms of the plan pages (CSRF on every one that changes something).

The plan forms check nothing of their own beyond lengths and dates: their values go through
the plan file's reader (edits.py), whose problems come back onto these fields by name. That is
why some fields carry the plan format's key as their HTML name (``from``, ``to``). Dates are
typed dd/mm/yyyy, as everywhere in the pages, and handed to the reader as the file writes them.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import FieldList, Form, FormField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from schedules.planfile import BLOCK_KINDS, LEVELS, PERIODS, PRIORITIES, WEEKDAYS

from ..ui.fields import Checkboxes, LocalDateField, choices, optional_text, parse_local_date
from ..ui.i18n import PERIOD_LABELS, VOICE_REGION_LABELS, WEEKDAY_NAMES

WEEKDAY_LABELS = dict(zip(WEEKDAYS, WEEKDAY_NAMES))
LEVEL_LABELS = {"province": _l("Tỉnh"), "district": _l("Huyện"), "commune": _l("Xã"), "village": _l("Thôn")}
PRIORITY_LABELS = {"normal": _l("Thông thường"), "priority": _l("Ưu tiên")}


class LocalDateLines(TextAreaField):
    """Dates one a line, each typed as LocalDateField reads it (dd/mm/yyyy), shown dd/mm/yyyy."""

    def process_formdata(self, valuelist):
        self.data = []  # kept when a line is refused
        self.data = [parse_local_date(line, self.label.text) for line in (valuelist[0] if valuelist else "").split()]

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "\n".join(f"{day:%d/%m/%Y}" for day in self.data or ())


class PlanForm(FlaskForm):
    """A plan's own header (the plan file's `plan:`); the code only when the plan is new."""

    code = optional_text(_l("Mã kế hoạch"), 64)
    title = optional_text(_l("Tên kế hoạch"), 500)
    document = optional_text(_l("Số văn bản (ví dụ 12/KH-UBND)"), 100)
    issued_by = SelectField(_l("Đơn vị ban hành"), validate_choice=False)
    report_due = LocalDateField(_l("Hạn báo cáo"))


class EndForm(FlaskForm):
    """The confirm step of ending a requirement or a series: its last day."""

    # InputRequired, not DataRequired: a typed date that is none keeps its own message.
    last_day = LocalDateField(_l("Ngày cuối cùng áp dụng"), validators=[InputRequired(_l("Chọn ngày cuối cùng."))])


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
    valid_from = LocalDateField(_l("Áp dụng từ ngày"), name="from")
    valid_to = LocalDateField(_l("đến ngày"), name="to")


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
    closed = LocalDateLines(_l("Ngày nghỉ (mỗi dòng một ngày, ngày/tháng/năm)"))
    blocks = FieldList(FormField(BlockForm), min_entries=1)
    # The plan file's voice keys (HTML names as the file's): blank, the area's.
    voice = SelectField(_l("Giọng đọc"), validate_choice=False, choices=choices(
        [("", _l("Theo địa bàn"))] + list(VOICE_REGION_LABELS.items())))
    voice_speed = optional_text(_l("Tốc độ đọc (từ mỗi phút, 80–450)"), 6)
    voice_pause = optional_text(_l("Nghỉ sau mỗi câu (mili giây, 0–3000; 0 là mặc định của giọng đọc)"), 6)


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
    stations = Checkboxes(_l("Các đài"))
    areas = Checkboxes(_l("Hoặc mọi đài trong các địa bàn"))
    levels = Checkboxes(_l("Chỉ các cấp"), choices=choices([(level, LEVEL_LABELS[level]) for level in LEVELS]))
    period = SelectField(_l("Chu kỳ"), choices=choices([("", "—")] + [(p, PERIOD_LABELS[p]) for p in PERIODS]),
                         validate_choice=False)
    airings = FormField(BoundsForm, _l("Số lần phát mỗi chu kỳ"))
    new_episodes = optional_text(_l("Số tin mới mỗi chu kỳ"), 6)
    days = Checkboxes(_l("Các ngày được phát"), choices=choices((d, WEEKDAY_LABELS[d]) for d in WEEKDAYS))
    windows = optional_text(_l("Các khung giờ (tên)"), 500)
    duration = FormField(BoundsForm, _l("Thời lượng mỗi lần phát (giây)"))
    min_gap_days = optional_text(_l("Khoảng cách tối thiểu (ngày)"), 6)
    date_from = LocalDateField(_l("Từ ngày"), name="from")
    date_to = LocalDateField(_l("Đến ngày"), name="to")
    priority = SelectField(_l("Mức ưu tiên"), choices=choices([(p, PRIORITY_LABELS[p]) for p in PRIORITIES]),
                           validate_choice=False)
    report_due = LocalDateField(_l("Hạn báo cáo"))


class RebuildForm(FlaskForm):
    start = LocalDateField(_l("Từ ngày"), validators=[DataRequired(_l("Chọn ngày bắt đầu."))])
    end = LocalDateField(_l("Đến ngày"), validators=[DataRequired(_l("Chọn ngày kết thúc."))])
    # Only these stations (codes, space-separated), when an edit offers to rebuild what it touched.
    stations = HiddenField()


class DraftUploadForm(FlaskForm):
    """An official plan document to draft a plan file from; the issuing area is the document's own
    when it names one of the person's areas, else the one chosen here."""

    document = FileField(_l("Văn bản kế hoạch (.docx, .pdf hoặc .txt)"), validators=[
        FileRequired(_l("Chọn một văn bản kế hoạch.")),
        FileAllowed(["docx", "pdf", "txt"], _l("Văn bản kế hoạch có đuôi .docx, .pdf hoặc .txt.")),
    ])
    issued_by = SelectField(_l("Đơn vị ban hành (khi văn bản không nêu đơn vị trong phạm vi của bạn)"),
                            validate_choice=False)
