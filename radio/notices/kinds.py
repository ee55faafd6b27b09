"""The kinds of event people are told of, and what a notice of each kind says.

A notice keeps its kind and `values` (names, and ISO dates under keys ending in `_date`, instants
under keys ending in `_at`), never finished text: it is worded when read, in the reader's language
(the pages) or in Vietnamese (e-mail, webhooks), dates written the Vietnamese way (dd/mm/yyyy)
in the stations' time zone.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from schedules.marking import N_

SCRIPT_SUBMITTED = "script.submitted"
SCRIPT_APPROVED = "script.approved"
SCRIPT_REJECTED = "script.rejected"
RESERVATION_EMPTY = "reservation.empty"
DEVICE_OFFLINE = "device.offline"
DEVICE_BACK = "device.back"
BULLETIN_UNFETCHED = "bulletin.unfetched"
REPORT_DUE = "report.due"
CAP_WAITING = "cap.waiting"
CAP_HELD = "cap.held"


@dataclass(frozen=True)
class Wording:
    title: str  # also the kind's name on the preferences page
    text: str


# The placeholders each kind's callers fill (a missing one shows as "…", never an error).
WORDING: dict[str, Wording] = {
    SCRIPT_SUBMITTED: Wording(N_("Kịch bản chờ duyệt"),
                              N_("“%(script)s” (%(series)s, bản %(version)s) do %(writer)s gửi, đang chờ duyệt.")),
    SCRIPT_APPROVED: Wording(N_("Kịch bản đã được duyệt"),
                             N_("“%(script)s” (%(series)s, bản %(version)s) đã được %(approver)s duyệt.")),
    SCRIPT_REJECTED: Wording(N_("Kịch bản bị trả lại"),
                             N_("“%(script)s” (%(series)s, bản %(version)s) bị %(approver)s trả lại: %(reason)s")),
    RESERVATION_EMPTY: Wording(N_("Chỗ phát chưa có nội dung"),
                               N_("“%(series)s” ở %(station)s, phát lúc %(start_at)s, vẫn chưa có nội dung.")),
    DEVICE_OFFLINE: Wording(N_("Loa mất liên lạc"),
                            N_("“%(device)s” (%(village)s, %(station)s) không liên lạc từ %(since_at)s.")),
    DEVICE_BACK: Wording(N_("Loa liên lạc lại"),
                         N_("“%(device)s” (%(village)s, %(station)s) đã liên lạc lại lúc %(back_at)s.")),
    BULLETIN_UNFETCHED: Wording(N_("Bản tin khẩn chưa tới đủ các loa"),
                                N_("Bản tin khẩn “%(bulletin)s”, có hiệu lực từ %(valid_from_at)s, còn %(unfetched)s "
                                   "trong %(devices)s loa chưa nhận: %(villages)s.")),
    REPORT_DUE: Wording(N_("Sắp đến hạn báo cáo"),
                        N_("Báo cáo kế hoạch “%(plan)s” (%(area)s) đến hạn ngày %(due_date)s mà chưa chốt.")),
    CAP_WAITING: Wording(N_("Cảnh báo khẩn chờ duyệt"),
                         N_("Cảnh báo “%(alert)s” từ %(source)s (%(areas)s) đang chờ duyệt để phát.")),
    CAP_HELD: Wording(N_("Cảnh báo khẩn chưa rõ địa bàn"),
                      N_("Cảnh báo “%(alert)s” từ %(source)s nói tới “%(area_desc)s”, không khớp địa bàn nào: "
                         "chọn địa bàn để phát, hoặc bỏ qua.")),
}
KINDS = tuple(WORDING)

# E-mail unless the user says otherwise: what needs someone to act soon. The rest (a script's
# outcome, a loudspeaker back, a slot still empty days ahead) waits for the bell.
EMAIL_BY_DEFAULT = frozenset({DEVICE_OFFLINE, BULLETIN_UNFETCHED, REPORT_DUE, SCRIPT_SUBMITTED, CAP_WAITING, CAP_HELD})


class _Blank(dict):
    """Values for %-formatting where a placeholder the caller did not fill reads "…"."""

    def __missing__(self, key):
        return "…"


def readable(values: Mapping[str, object], tz: ZoneInfo) -> dict[str, object]:
    """`values` as people read them: `*_date` as dd/mm/yyyy, `*_at` as HH:MM dd/mm/yyyy in `tz`."""
    shown = {}
    for key, value in values.items():
        if key.endswith("_date") and isinstance(value, str):
            value = f"{date.fromisoformat(value[:10]):%d/%m/%Y}"
        elif key.endswith("_at") and isinstance(value, str):
            value = f"{datetime.fromisoformat(value).astimezone(tz):%H:%M %d/%m/%Y}"
        shown[key] = value
    return shown


def worded(kind: str, values: Mapping[str, object], tz: ZoneInfo,
           translate: Callable[[str], str]) -> tuple[str, str]:
    """(title, text) of a notice, `translate` choosing the language (gettext, or the identity)."""
    wording = WORDING[kind]
    return translate(wording.title), translate(wording.text) % _Blank(readable(values, tz))
