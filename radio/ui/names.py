"""How pages name records and the stored codes of their states (never the codes themselves).

A requirement has no name of its own: people know it by its series and how often it airs
("Chuyên mục Chuyển đổi số, 2 lần mỗi tuần").
"""
from __future__ import annotations

from flask import Flask
from flask_babel import gettext, lazy_gettext as _l

from ..models import Requirement
from .i18n import PERIOD_LABELS

# Who put an entry in the schedule (ScheduleEntry.origin).
ORIGIN_LABELS = {"planner": _l("Tự động xếp"), "manual": _l("Sửa tay"), "make-good": _l("Phát bù"),
                 "bulletin": _l("Bản tin")}
# What an entry is (ScheduleEntry.kind).
KIND_LABELS = {"episode": _l("Tin bài"), "reservation": _l("Chờ nội dung"), "relay": _l("Tiếp sóng"),
               "live": _l("Phát trực tiếp"), "bulletin": _l("Thông báo")}
# What a play log says happened (PlayLog.status).
PLAY_LABELS = {"played": _l("đã phát"), "failed": _l("phát lỗi"), "skipped": _l("bỏ qua")}


def how_often(requirement: Requirement) -> str:
    """"2 lần mỗi tuần", "1–2 lần mỗi ngày"."""
    count = str(requirement.min_airings) if requirement.max_airings in (None, requirement.min_airings) \
        else f"{requirement.min_airings}–{requirement.max_airings}"
    return gettext("%(min)s lần mỗi %(period)s", min=count, period=PERIOD_LABELS[requirement.period])


def requirement_name(requirement: Requirement) -> str:
    return gettext("%(series)s, %(often)s", series=requirement.series.title, often=how_often(requirement))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(requirement_name=requirement_name, how_often=how_often)
    app.jinja_env.globals.update(ORIGIN_LABELS=ORIGIN_LABELS, PLAY_LABELS=PLAY_LABELS)
