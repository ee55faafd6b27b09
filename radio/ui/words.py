"""What a page says of a thing that carries a Vietnamese message and its values: a refusal
(radio.errors.RadioError), a problem of a plan file, one of the planner's reasons, an audio file
refused.

Such a thing has `message_id`, the Vietnamese text (a msgid of the pages' catalog, marked `N_`
where it is written) or None, and `values`. Its English `message` is for the CLI and the API;
the page shows the message in the reader's language, with the values written for people: dates
dd/mm/yyyy, instants in the stations' time zone, lists joined by commas.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, time

from flask import Flask
from flask_babel import gettext, lazy_gettext as _l

from .i18n import format_dmy, format_dmy_hm

log = logging.getLogger(__name__)

# What an error of each HTTP status means, for its page (errors.py) and for a refusal that has no
# message of its own; any other status says REFUSED.
STATUS_MESSAGES = {
    400: _l("Yêu cầu này không hợp lệ. Vui lòng quay lại trang trước và thử lại."),
    403: _l("Trang này thuộc địa bàn hoặc vai trò ngoài phạm vi của bạn."),
    404: _l("Không có trang hoặc bản ghi này trong phạm vi của bạn."),
    405: _l("Trang này không nhận yêu cầu theo cách vừa gửi. Vui lòng mở lại trang từ menu."),
    409: _l("Việc này vướng với dữ liệu đã lưu. Vui lòng tải lại trang và thử lại."),
    413: _l("Dữ liệu gửi lên quá lớn."),
    429: _l("Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại."),
    500: _l("Hệ thống gặp sự cố khi xử lý yêu cầu này; không có gì được lưu dở dang. Lỗi đã được ghi lại để "
            "khắc phục. Vui lòng thử lại sau ít phút."),
    503: _l("Hệ thống tạm thời chưa phục vụ được. Vui lòng thử lại sau ít phút."),
}
REFUSED = _l("Không thực hiện được yêu cầu này.")


def for_people(value: object) -> object:
    """A value as a page writes it, in every language (a value with words of its own says them)."""
    if getattr(value, "message_id", None):
        return words(value)
    if isinstance(value, datetime):
        return format_dmy_hm(value)
    if isinstance(value, date):
        return format_dmy(value)
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(for_people(item)) for item in value)
    return value


def say(message_id: str, values: Mapping[str, object] | None = None) -> str:
    """`message_id` in the page's language, filled with `values`."""
    return gettext(message_id, **{name: for_people(value) for name, value in (values or {}).items()})


def words(thing) -> str:
    """What a page says of `thing`: its own message, or (a refusal without one) what its status
    means. Not found and not allowed say all there is to say (the lookups and the scope checks
    raise them); any other refusal without words goes to the log, so that its message is added."""
    if thing.message_id:
        return say(thing.message_id, thing.values)
    status = getattr(thing, "status", None)
    if status not in (403, 404):
        log.warning("shown without its own words: %s", getattr(thing, "message", thing))
    return str(STATUS_MESSAGES.get(status, REFUSED))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["words"] = words
