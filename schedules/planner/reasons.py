"""What the planner tells people, in two forms: the English text of the CLI, the API and the
explanations (unchanged), and a code with its values for the web pages.

The messages are Vietnamese and serve as msgids of the pages' catalog (marked with `N_` for
pybabel, as in schedules/compliance/notes.py; nothing here translates). Values are plain:
numbers, dates (tuples of dates), titles and window names; the page writes them for people.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

from ..marking import N_

MESSAGES: Mapping[str, str] = {
    # why a period is short (Shortfall, severity "error")
    "max_reached": N_("đã đạt mức tối đa %(max)s lần"),
    "no_allowed_day": N_("trong kỳ không còn ngày nào được phép phát"),
    "window_full": N_("khung giờ %(window)s đã kín vào %(dates)s"),
    "window_full_more": N_("khung giờ %(window)s đã kín vào %(dates)s và %(more)s ngày khác"),
    "would_pass_max": N_("phát thêm sẽ vượt mức tối đa của %(requirements)s"),
    "windows_taken": N_("mọi khung giờ được phép còn lại trong kỳ đều đã có một lần phát chuyên mục này"),
    # met, but worth a look (severity "warning")
    "over_max": N_("%(planned)s lần phát, nhiều hơn mức tối đa %(max)s"),
    "reservations": N_("%(held)s trong %(planned)s lần phát là chỗ đặt trước, chưa có tin"),
    # why no episode fills a reserved slot
    "no_episode": N_("chuyên mục %(series)s chưa có tin nào"),
    "none_short_enough": N_("không có tin nào đủ ngắn (tối đa %(seconds)s giây)"),
    "none_long_enough": N_("không có tin nào đủ dài (tối thiểu %(seconds)s giây)"),
    "all_aired": N_("mọi tin của %(series)s đã phát ở đài này"),
    "no_audio": N_("tin “%(episode)s” chưa có âm thanh"),
    "available_later": N_("tin “%(episode)s” chỉ được phát từ %(date)s"),
    "expired": N_("tin “%(episode)s” đã hết hạn ngày %(date)s"),
    "too_long": N_("tin “%(episode)s” quá dài (%(seconds)s giây)"),
    "too_short": N_("tin “%(episode)s” quá ngắn (%(seconds)s giây)"),
    "first_airs_later": N_("tin “%(episode)s” phát lần đầu ở đài này vào %(date)s"),
    "too_close": N_("tin “%(episode)s” phát ở đài này ngày %(date)s, cách chưa tới %(days)s ngày"),
    "aired_new_due": N_("tin “%(episode)s” đã phát ở đài này, mà kỳ này cần tin mới"),
    "more_episodes": N_("và %(count)s tin khác"),
    "replays_reserved": N_("phát lại tin dành chỗ từ ngày %(date)s"),
    # content someone must supply (Need)
    "new_episode_needed": N_("cần một tin mới của %(series)s, chậm nhất ngày %(date)s"),
}


class Reason(NamedTuple):
    """One thing said: ``text`` in English, and ``code`` (a key of MESSAGES) with its values."""

    text: str
    code: str
    values: Mapping[str, object]

    @property
    def message_id(self) -> str:
        return MESSAGES[self.code]


def english(reasons: Sequence[Reason]) -> str:
    """The English of several reasons, as one line."""
    return "; ".join(reason.text for reason in reasons)


def dates_listed(days: Sequence[date], limit: int = 3) -> dict[str, object]:
    """The values of a listing of a few dates (``wording.listing``): the first ones, and how many more."""
    return {"dates": tuple(days[:limit]), "more": max(len(days) - limit, 0)}
