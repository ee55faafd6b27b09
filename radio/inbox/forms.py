"""Forms of the notices' pages (Flask-WTF: CSRF on each)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Email, Optional

from ..notices.kinds import KINDS, WORDING
from ..ui.fields import Checkboxes, at_most, choices


def kind_choices():
    return choices([(kind, _l(WORDING[kind].title)) for kind in KINDS])


class PreferencesForm(FlaskForm):
    email = StringField(_l("Địa chỉ thư điện tử"), validators=[
        Optional(), at_most(254), Email(_l("Địa chỉ thư không hợp lệ."), check_deliverability=False)])
    by_email = Checkboxes(_l("Nhận qua thư điện tử"), choices=kind_choices())


class WebhookForm(FlaskForm):
    name = StringField(_l("Tên"), validators=[DataRequired(_l("Nhập tên.")), at_most(200)])
    url = StringField(_l("Địa chỉ (URL)"), validators=[DataRequired(_l("Nhập địa chỉ.")), at_most(500)])
    kinds = Checkboxes(_l("Loại thông báo"), choices=kind_choices())
    area = SelectField(_l("Địa bàn"), validators=[DataRequired(_l("Chọn địa bàn."))],
                       invalid_choice_message=_l("Chọn một mục trong danh sách."))
