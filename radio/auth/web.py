"""The web's wiring of sign-in: Flask-Login, CSRF and the login rate limiter, added to an app with
its pages (a command's app has none, and skips these imports)."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _, lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from flask_wtf.csrf import CSRFError

from .. import db
from ..models import User

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
login_manager.localize_callback = str  # the lazy message, translated when flashed
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = db.session().get(User, int(user_id))
    return user if user is not None and user.is_active else None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
    app.register_error_handler(CSRFError, _csrf_refused)


def _csrf_refused(error):
    """A stale or missing form token: say so in Vietnamese rather than Flask-WTF's English page."""
    return render_template("error.html", title=_("Phiên làm việc đã hết hạn"),
                           message=_("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.")), 400
