"""Forms of sign-in and of the users' pages (Flask-WTF: CSRF on every one that changes something)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..auth.operations import MIN_PASSWORD_LENGTH
from ..models import ROLES
from ..ui.fields import LocalDateField, choices, optional_text


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Nhập tên đăng nhập.")), Length(max=64)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Nhập mật khẩu."))])


ROLE_LABELS = {"admin": _l("Quản trị"), "oversight": _l("Phòng Văn hóa (giám sát)"), "approver": _l("Người duyệt"),
               "operator": _l("Người vận hành đài")}


def _long_enough() -> Length:
    """The rule of radio/auth (hash_password), said before the operation would refuse it."""
    return Length(min=MIN_PASSWORD_LENGTH, message=_l("Mật khẩu phải có ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH))


class AddUserForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Nhập tên đăng nhập.")), Length(max=64)])
    display_name = optional_text(_l("Họ tên"), 200)
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

    user = optional_text(_l("Người dùng"), 64)
    area = SelectField(_l("Địa bàn"), validate_choice=False)
    date_from = LocalDateField(_l("Từ ngày"), validators=[Optional()])
    date_to = LocalDateField(_l("Đến ngày"), validators=[Optional()])
