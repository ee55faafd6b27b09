"""The event kinds notices are about (stand-in: the constants only; the real module adds wording)."""
from __future__ import annotations

SCRIPT_SUBMITTED = "script.submitted"
SCRIPT_APPROVED = "script.approved"
SCRIPT_REJECTED = "script.rejected"
RESERVATION_EMPTY = "reservation.empty"
DEVICE_OFFLINE = "device.offline"
DEVICE_BACK = "device.back"
BULLETIN_UNFETCHED = "bulletin.unfetched"
REPORT_DUE = "report.due"
