"""Forms of sign-in and of the users' pages (Flask-WTF: CSRF on every one that changes something)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..auth.operations import MIN_PASSWORD_LENGTH
from ..ui.fields import LocalDateField, at_most, choices, optional_text

MAX_PASSWORD_LENGTH = 256  # a pass phrase fits; a megabyte of "password" is not hashed


def _short_enough() -> Length:
    return Length(max=MAX_PASSWORD_LENGTH, message=_l("Mật khẩu dài tối đa %(n)s ký tự.", n=MAX_PASSWORD_LENGTH))


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Nhập tên đăng nhập.")), at_most(64)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Nhập mật khẩu.")), _short_enough()])


# Least powerful first, the order the forms offer them in.
ROLE_LABELS = {"operator": _l("Người vận hành đài"), "approver": _l("Người duyệt"),
               "oversight": _l("Phòng Văn hóa (giám sát)"), "admin": _l("Quản trị")}


def _long_enough() -> Length:
    """The rule of radio/auth (hash_password), said before the operation would refuse it."""
    return Length(min=MIN_PASSWORD_LENGTH, message=_l("Mật khẩu phải có ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH))


NOT_OFFERED = _l("Chọn một mục trong danh sách.")
NO_AREA = ("", _l("— chọn địa bàn —"))


def _role_field() -> SelectField:
    """No role chosen at first: giving a role, admin above all, is a choice the admin makes."""
    return SelectField(_l("Vai trò"), choices=choices([("", _l("— chọn vai trò —")), *ROLE_LABELS.items()]),
                       validators=[DataRequired(_l("Chọn vai trò."))], invalid_choice_message=NOT_OFFERED)


def _area_field() -> SelectField:
    """Its choices (NO_AREA, then the admin's areas) are set by the page."""
    return SelectField(_l("Địa bàn"), validators=[DataRequired(_l("Chọn địa bàn."))],
                       invalid_choice_message=NOT_OFFERED)


class AddUserForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Nhập tên đăng nhập.")), at_most(64)])
    display_name = optional_text(_l("Họ tên"), 200)
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Nhập mật khẩu.")), _long_enough(),
                                                         _short_enough()])
    role = _role_field()
    area = _area_field()


class GrantForm(FlaskForm):
    role = _role_field()
    area = _area_field()


class PasswordForm(FlaskForm):
    password = PasswordField(_l("Mật khẩu mới"), validators=[DataRequired(_l("Nhập mật khẩu mới.")), _long_enough(),
                                                             _short_enough()])


class EmailForm(FlaskForm):
    """Where the user's notices are mailed (empty: none)."""

    email = StringField(_l("Địa chỉ thư điện tử"), validators=[
        Optional(), at_most(254), Email(_l("Địa chỉ thư không hợp lệ."), check_deliverability=False)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Nhập mật khẩu hiện tại."))])
    password = PasswordField(_l("Mật khẩu mới"), validators=[DataRequired(_l("Nhập mật khẩu mới.")), _long_enough(),
                                                             _short_enough()])
    again = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[
        DataRequired(_l("Nhập lại mật khẩu mới.")), EqualTo("password", _l("Hai lần nhập mật khẩu mới không khớp."))])


class AuditFilterForm(FlaskForm):
    """A GET filter: nothing changes, so no CSRF token (and bookmarkable links)."""

    class Meta:
        csrf = False

    user = optional_text(_l("Người dùng"), 64)
    area = SelectField(_l("Địa bàn"), validate_choice=False)
    date_from = LocalDateField(_l("Từ ngày"), validators=[Optional()])
    date_to = LocalDateField(_l("Đến ngày"), validators=[Optional()])
