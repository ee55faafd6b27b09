"""All models, importable from one place (Alembic and the shell need the full metadata)."""
from .areas import LEVELS, Area
from .audit import AuditLog
from .base import Base
from .compliance import FrozenReport
from .cap import CAP_STATUSES, CapAlert, CapSource, cap_source_areas
from .bulletins import BULLETIN_PRIORITIES, Bulletin, BulletinDelivery, bulletin_areas
from .content import Episode, GlossaryEntry, MediaFile, Series, TtsCacheEntry
from .devices import Device, OfflinePeriod
from .drafts import PlanDraft
from .feeds import FeedToken
from .playlogs import PLAY_STATUSES, PlayLog, uuid_key
from .notices import CHANNELS, DELIVERY_STATUSES, Delivery, Notice, NoticePreference, Webhook
from .plans import Plan
from .recordings import RECORDING_STATUSES, Recording
from .requirements import Requirement, requirement_areas, requirement_stations
from .schedule import ENTRY_KINDS, ENTRY_ORIGINS, ENTRY_STATUSES, ScheduleEntry
from .scripts import SCRIPT_STATUSES, Script, ScriptVersion
from .stations import BroadcastWindow, ClosedDate, FixedBlock, Station
from .users import ROLES, RoleGrant, User
from . import versions  # noqa: F401,E402  (registers the schedule-version hook)

__all__ = [
    "LEVELS", "Area", "AuditLog", "Base", "BULLETIN_PRIORITIES", "Bulletin", "BulletinDelivery", "bulletin_areas",
    "CAP_STATUSES", "CapAlert", "CapSource", "cap_source_areas", "FrozenReport", "CHANNELS", "DELIVERY_STATUSES", "Delivery", "Notice", "NoticePreference", "Webhook", "Episode", "GlossaryEntry", "MediaFile", "Series", "TtsCacheEntry", "Device", "FeedToken", "OfflinePeriod", "PlanDraft", "PLAY_STATUSES", "PlayLog", "uuid_key", "Plan", "RECORDING_STATUSES", "Recording", "Requirement",
    "requirement_areas", "requirement_stations", "ENTRY_KINDS", "ENTRY_ORIGINS", "ENTRY_STATUSES",
    "ScheduleEntry", "SCRIPT_STATUSES", "Script", "ScriptVersion", "BroadcastWindow", "ClosedDate",
    "FixedBlock", "Station", "ROLES", "RoleGrant", "User",
]
