"""Issuing and cancelling bulletins (verb-first, flush only; the caller commits).

Circular 39/2020/TT-BTTTT levels: a normal or priority bulletin is put into the schedule
(placing.py); an emergency one is not scheduled at all: every device of its areas gets it on
its next poll (delivery.py) and plays it at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from schedules.marking import N_

from .. import audit, lookups
from ..area_tree import subtree_ids
from ..auth.permissions import require
from ..errors import RadioError
from ..lookups import episode_key
from ..models import BULLETIN_PRIORITIES, Area, Bulletin, Device, Episode, ScheduleEntry, User
from .placing import Placement, place_bulletin, unplace_bulletin


class BulletinError(RadioError):
    """A bulletin operation refused, with a message that says why (the API answers 422 unless said)."""

    status, code = 422, "refused"
    messages = {
        "cancelled_already": N_("Bản tin này đã được huỷ trước đó."),
        "no_audio": N_("Tin “%(episode)s” chưa có âm thanh."),
        "not_approved": N_("Tin “%(episode)s” không được đọc từ bản kịch bản đã duyệt."),
        "no_area": N_("Chọn ít nhất một địa bàn."),
        "unknown_area": N_("Không có địa bàn mã “%(code)s”."),
        "end_not_after_start": N_("Lúc hết hiệu lực %(end)s phải sau lúc bắt đầu %(start)s."),
        "end_past": N_("Lúc hết hiệu lực %(end)s đã qua."),
        "too_far_ahead": N_("Lúc bắt đầu %(start)s xa quá %(days)s ngày kể từ bây giờ."),
        "too_long": N_("Một bản tin chỉ có hiệu lực tối đa %(days)s ngày."),
        "expired": N_("Tin “%(episode)s” đã hết hạn phát ngày %(date)s."),
        "not_yet": N_("Tin “%(episode)s” chỉ được phát từ ngày %(date)s."),
    }


@dataclass(frozen=True)
class BulletinRules:
    """Settings an issue needs: how far ahead a scheduled bulletin may start, default validity."""

    lead_s: int = 300
    valid_hours: dict = field(default_factory=lambda: {"normal": 24, "priority": 24, "emergency": 2})
    # A bulletin is news: it is issued at most a year ahead and valid at most a month.
    max_ahead: timedelta = timedelta(days=366)
    max_validity: timedelta = timedelta(days=31)

    @classmethod
    def from_config(cls, config) -> BulletinRules:
        return cls(lead_s=config["BULLETIN_LEAD_SECONDS"], valid_hours=config["BULLETIN_VALID_HOURS"])


@dataclass
class IssueResult:
    bulletin: Bulletin
    placement: Placement
    devices: list[str]


def issue_bulletin(session: Session, actor: User | None, *, episode: str, areas: list[str], priority: str,
                   now: datetime, tz: ZoneInfo, valid_from: datetime | None = None,
                   valid_until: datetime | None = None, title: str | None = None,
                   rules: BulletinRules = BulletinRules()) -> IssueResult:
    """Issue an approved episode as a bulletin to `areas`; returns where it was placed and the
    devices to tell (the caller notifies them once the transaction is committed)."""
    if actor is None:
        raise BulletinError("issuing a bulletin needs --as USERNAME (it is audited)")
    targets = _areas(session, actor, areas)
    return issue_to(session, actor, targets, lookups.episode(session, episode), priority=priority, now=now, tz=tz,
                    valid_from=valid_from, valid_until=valid_until, title=title, rules=rules)


def issue_to(session: Session, actor: User | None, targets: list[Area], episode: Episode, *, priority: str,
             now: datetime, tz: ZoneInfo, valid_from: datetime | None = None, valid_until: datetime | None = None,
             title: str | None = None, text: str | None = None, rules: BulletinRules = BulletinRules()
             ) -> IssueResult:
    """Issue `episode` to areas already checked: by a person (issue_bulletin, whose rights on
    them are checked), or by the system (`actor` None) for an alert a trusted source sent."""
    if priority not in BULLETIN_PRIORITIES:
        raise BulletinError(f"priority {priority!r} is not one of {', '.join(BULLETIN_PRIORITIES)}")
    if not targets:
        raise BulletinError("a bulletin needs at least one area", reason="no_area")
    item = airable_episode(episode)
    start = valid_from or now
    end = valid_until or start + timedelta(hours=rules.valid_hours[priority])
    _check_window(item, start, end, now, tz, rules)
    bulletin = Bulletin(title=title or item.title, text=text, priority=priority, episode=item, valid_from=start,
                        valid_until=end, issued_by_id=actor.id if actor else None, areas=targets, created_at=now)
    session.add(bulletin)
    session.flush()
    audit.record(session, actor, "bulletin.issue", "bulletin", str(bulletin.uuid), at=now, area=targets[0],
                 after=describe(bulletin))
    placement = Placement() if priority == "emergency" else place_bulletin(session, bulletin, now, tz, rules.lead_s)
    session.flush()
    return IssueResult(bulletin, placement, devices_of(session, bulletin))


def cancel_bulletin(session: Session, actor: User | None, bulletin: Bulletin, now: datetime) -> list[str]:
    """Stop a bulletin: devices drop an emergency one on their next poll, and its schedule
    entries still to come are cancelled (kept, marked cancelled). Returns the devices to tell."""
    if actor is None:
        raise BulletinError("cancelling a bulletin needs --as USERNAME (it is audited)")
    for area in bulletin.areas:
        require(actor, "bulletin.issue", area)
    return end_bulletin(session, actor, bulletin, now)


def end_bulletin(session: Session, actor: User | None, bulletin: Bulletin, now: datetime) -> list[str]:
    """cancel_bulletin once the rights are checked; `actor` None: the system (an alert's source
    cancelled or updated it)."""
    if bulletin.cancelled_at is not None:
        raise BulletinError(f"bulletin {bulletin.uuid} was cancelled already", status=409, code="conflict",
                            reason="cancelled_already")
    before = describe(bulletin)
    bulletin.cancelled_at = now
    unplace_bulletin(session, bulletin, now)
    audit.record(session, actor, "bulletin.cancel", "bulletin", str(bulletin.uuid), at=now,
                 area=bulletin.areas[0],
                 before=before, after=describe(bulletin))
    session.flush()
    return devices_of(session, bulletin)


def describe(bulletin: Bulletin) -> dict:
    """The audited view of a bulletin."""
    return {"title": bulletin.title, "priority": bulletin.priority,
            "episode": bulletin.episode.code if bulletin.episode else None,
            "areas": [a.code for a in bulletin.areas], "valid_from": bulletin.valid_from.isoformat(),
            "valid_until": bulletin.valid_until.isoformat(),
            "cancelled_at": bulletin.cancelled_at.isoformat() if bulletin.cancelled_at else None}


def airable_episode(episode: Episode) -> Episode:
    """Only audio that may be aired: it must exist, and if it was voiced from a script, from an
    approved version of it."""
    if episode.media is None:
        raise BulletinError(f"episode {episode_key(episode)} has no audio yet", reason="no_audio",
                            values={"episode": episode.title})
    if episode.script_id is not None:
        version = episode.script.approved_version if episode.script else None
        if version is None or episode.script_version_id != version.id:
            raise BulletinError(f"episode {episode_key(episode)} is not voiced from an approved script version",
                                reason="not_approved", values={"episode": episode.title})
    return episode


def _areas(session: Session, actor: User, codes: list[str]) -> list[Area]:
    if not codes:
        raise BulletinError("a bulletin needs at least one area", reason="no_area")
    found = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(codes)))}
    missing = [code for code in codes if code not in found]
    if missing:
        raise BulletinError(f"no area with code {missing[0]!r}", reason="unknown_area", values={"code": missing[0]})
    for area in found.values():
        require(actor, "bulletin.issue", area)
    return sorted(found.values(), key=lambda a: a.code)


def _check_window(episode: Episode, start: datetime, end: datetime, now: datetime, tz: ZoneInfo,
                  rules: BulletinRules) -> None:
    if end <= start:
        raise BulletinError(f"valid until {end.astimezone(tz):%d/%m/%Y %H:%M} is not after "
                            f"valid from {start.astimezone(tz):%d/%m/%Y %H:%M}", reason="end_not_after_start",
                            values={"start": start, "end": end})
    if end <= now:
        raise BulletinError(f"valid until {end.astimezone(tz):%d/%m/%Y %H:%M} is already past", reason="end_past",
                            values={"end": end})
    if start > now + rules.max_ahead:
        raise BulletinError(f"valid from {start.astimezone(tz):%d/%m/%Y} is more than {rules.max_ahead.days} days ahead",
                            reason="too_far_ahead", values={"start": start, "days": rules.max_ahead.days})
    if end - start > rules.max_validity:
        raise BulletinError(f"a bulletin may be valid for at most {rules.max_validity.days} days", reason="too_long",
                            values={"days": rules.max_validity.days})
    if episode.expires is not None and episode.expires < start.astimezone(tz).date():
        raise BulletinError(f"episode {episode_key(episode)} expired on {episode.expires:%d/%m/%Y}", reason="expired",
                            values={"episode": episode.title, "date": episode.expires})
    if episode.available_from is not None and episode.available_from > end.astimezone(tz).date():
        raise BulletinError(f"episode {episode_key(episode)} is only available from {episode.available_from:%d/%m/%Y}",
                            reason="not_yet", values={"episode": episode.title, "date": episode.available_from})


def devices_of(session: Session, bulletin: Bulletin) -> list[str]:
    """Codes of every device in the bulletin's areas or below them."""
    return _devices_in(session, bulletin.areas)


def devices_reached(session: Session, actor: User, areas: list[str]) -> list[str]:
    """Codes of the devices a bulletin to `areas` would reach (what issuing one asks to confirm)."""
    return _devices_in(session, _areas(session, actor, areas))


def _devices_in(session: Session, areas: list[Area]) -> list[str]:
    ids = subtree_ids(session, [a.id for a in areas])
    return list(session.scalars(select(Device.code).where(Device.area_id.in_(ids)).order_by(Device.code)))


def bulletin_entries(session: Session, bulletin: Bulletin) -> list[ScheduleEntry]:
    return list(session.scalars(select(ScheduleEntry).where(ScheduleEntry.bulletin_id == bulletin.id)
                                .order_by(ScheduleEntry.start_at, ScheduleEntry.id)))
