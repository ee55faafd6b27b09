"""Alert sources and the alerts they send (verb-first, flush only; the caller commits).

An alert is read (document.py), matched to areas by <geocode> (the areas' official
administrative-unit codes) or else by <areaDesc> (their names), within the areas its source may
alert; voiced at once (its own audio when it carries some, else the text read offline by
espeak-ng); then issued as a bulletin when its source is trusted, held for an approver when it
is not, and held for an admin when it names no known area: never broadcast everywhere.
"""
from __future__ import annotations

import logging
import secrets
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
from flask import current_app
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from audio_library import NotAudioError
from schedules.marking import N_

from .. import audit, notices
from ..area_tree import subtree_ids
from ..auth.permissions import require
from ..auth.scope import users_who_may
from ..auth.tokens import hash_token
from ..bulletins.operations import BulletinRules, IssueResult, end_bulletin, issue_to
from ..errors import RadioError
from ..media.operations import check_audio, discard_new_files, ingest_audio
from ..models import Area, CapAlert, CapSource, Episode, Plan, Series, User
from ..notices import kinds
from ..scripts.voicing import make_engines, voice_text
from ..voices import voice_of
from .document import AUDIO_TYPES, Alert, InvalidAlert, Resource, read_alert

log = logging.getLogger(__name__)


class AlertError(RadioError):
    """An alert or a source refused, with a message that says why."""

    status, code = 422, "refused"
    messages = {
        "invalid": N_("Cảnh báo không đúng chuẩn CAP 1.2: %(problem)s"),
        "no_vietnamese": N_("Cảnh báo không có phần tiếng Việt (language vi hoặc vi-VN) để đọc."),
        "expired": N_("Cảnh báo đã hết hiệu lực lúc %(expires)s."),
        "not_open": N_("Cảnh báo này đã được xử lý."),
        "no_area": N_("Nguồn cảnh báo cần ít nhất một địa bàn."),
        "code_taken": N_("Đã có nguồn cảnh báo mã “%(code)s”."),
        "bad_feed": N_("Địa chỉ nguồn tin phải bắt đầu bằng http:// hoặc https://."),
        "revoked": N_("Nguồn cảnh báo “%(code)s” đã bị thu hồi."),
        "not_revoked": N_("Nguồn cảnh báo “%(code)s” đang dùng, không cần bật lại."),
        "fetch_failed": N_("Không tải được %(url)s."),
        "too_large": N_("%(url)s lớn hơn %(mb)s MB."),
        "too_slow": N_("%(url)s gửi quá chậm: chưa tải hết sau %(seconds)s giây."),
    }


@dataclass
class Received:
    """What a received alert became, and the devices to tell once committed."""

    alert: CapAlert
    duplicate: bool = False
    devices: tuple[str, ...] = ()
    audio_problem: str | None = None


def add_source(session: Session, actor: User, *, code: str, name: str, areas: list[Area], trusted: bool,
               feed_url: str | None, now: datetime) -> tuple[CapSource, str]:
    """A new source and its token (shown once: only its digest is kept)."""
    _check_areas(actor, areas)
    if session.scalar(select(CapSource).where(CapSource.code == code)) is not None:
        raise AlertError(f"there is a source {code!r} already", status=409, code="conflict", reason="code_taken",
                         values={"code": code})
    _check_feed(feed_url)
    token = secrets.token_urlsafe(32)
    source = CapSource(code=code, name=name, token_hash=hash_token(token), trusted=trusted, feed_url=feed_url or None,
                       areas=sorted(areas, key=lambda a: a.code), created_at=now)
    session.add(source)
    session.flush()
    audit.record(session, actor, "alert_source.add", "alert_source", code, at=now, area=source.areas[0],
                 after={"name": name, "trusted": trusted, "feed_url": feed_url,
                        "areas": [a.code for a in source.areas]})
    return source, token


def update_source(session: Session, actor: User, source: CapSource, *, name: str, areas: list[Area],
                  trusted: bool, feed_url: str | None, now: datetime) -> bool:
    """Change a source's name, trust, feed and areas (the admin must manage its areas, old and
    new); audits what changed. Returns whether anything did."""
    _check_areas(actor, [*source.areas, *areas])
    _check_feed(feed_url)
    was = _described(source)
    source.name, source.trusted, source.feed_url = name, trusted, feed_url or None
    source.areas = sorted(set(areas), key=lambda a: a.code)
    now_is = _described(source)
    changed = [field for field in now_is if now_is[field] != was[field]]
    if changed:
        audit.record(session, actor, "alert_source.update", "alert_source", source.code, at=now,
                     area=source.areas[0], before={f: was[f] for f in changed}, after={f: now_is[f] for f in changed})
    session.flush()
    return bool(changed)


def revoke_source(session: Session, actor: User, source: CapSource, *, now: datetime) -> None:
    """The source's token is refused and its feed no longer pulled, until it is enabled again
    (a leaked token: issue a new one as well)."""
    _check_areas(actor, source.areas)
    if source.revoked_at is not None:
        raise AlertError(f"source {source.code} is revoked already", status=409, code="conflict", reason="revoked",
                         values={"code": source.code})
    source.revoked_at = now
    audit.record(session, actor, "alert_source.revoke", "alert_source", source.code, at=now, area=source.areas[0],
                 before={"revoked_at": None}, after={"revoked_at": now.isoformat()})
    session.flush()


def enable_source(session: Session, actor: User, source: CapSource, *, now: datetime) -> None:
    """A revoked source's token works again and its feed is pulled again."""
    _check_areas(actor, source.areas)
    if source.revoked_at is None:
        raise AlertError(f"source {source.code} is not revoked", status=409, code="conflict", reason="not_revoked",
                         values={"code": source.code})
    audit.record(session, actor, "alert_source.enable", "alert_source", source.code, at=now, area=source.areas[0],
                 before={"revoked_at": source.revoked_at.isoformat()}, after={"revoked_at": None})
    source.revoked_at = None
    session.flush()


def new_source_token(session: Session, actor: User, source: CapSource, *, now: datetime) -> str:
    """A new token for the source (shown once); the old one stops working at once."""
    _check_areas(actor, source.areas)
    token = secrets.token_urlsafe(32)
    source.token_hash = hash_token(token)
    audit.record(session, actor, "alert_source.token", "alert_source", source.code, at=now, area=source.areas[0])
    session.flush()
    return token


def _check_areas(actor: User, areas: list[Area]) -> None:
    if not areas:
        raise AlertError("a source needs at least one area it may alert", reason="no_area")
    for area in areas:
        require(actor, "alert.manage", area)


def _check_feed(feed_url: str | None) -> None:
    if feed_url and not feed_url.startswith(("http://", "https://")):
        raise AlertError("the feed URL must start with http:// or https://", reason="bad_feed")


def _described(source: CapSource) -> dict:
    return {"name": source.name, "trusted": source.trusted, "feed_url": source.feed_url,
            "areas": [a.code for a in sorted(source.areas, key=lambda a: a.code)]}


def source_by_token(session: Session, token: str) -> CapSource | None:
    """The source whose current token this is, unless it is revoked (refused like a wrong token)."""
    return session.scalar(select(CapSource).where(CapSource.token_hash == hash_token(token),
                                                  CapSource.revoked_at.is_(None)))


def receive_alert(session: Session, source: CapSource, raw: bytes, *, now: datetime, tz: ZoneInfo,
                  rules: BulletinRules) -> Received:
    """Take one CAP document from `source`: the same alert twice is one; Cancel and Update end
    the alerts they reference; an Alert or Update is voiced and issued, or held (module doc)."""
    try:
        message = read_alert(raw)
    except InvalidAlert as exc:
        raise AlertError(f"not a valid CAP 1.2 alert: {exc}", status=400, code="invalid_cap", reason="invalid",
                         values={"problem": str(exc)}) from None
    known = session.scalar(select(CapAlert).where(CapAlert.identifier == message.identifier,
                                                  CapAlert.sender == message.sender, CapAlert.sent == message.sent))
    if known is not None:
        return Received(known, duplicate=True)
    devices = _end_referenced(session, source, message, now) if message.msg_type in ("Update", "Cancel") else []
    acts = message.msg_type in ("Alert", "Update") and message.status == "Actual"
    if acts and message.language is None:
        raise AlertError("the alert has no <info> in Vietnamese (language vi or vi-VN)", reason="no_vietnamese")
    if acts and message.expires is not None and message.expires <= now:
        raise AlertError(f"the alert expired at {message.expires.isoformat()}", reason="expired",
                         values={"expires": message.expires})
    alert = CapAlert(source=source, identifier=message.identifier, sender=message.sender, sent=message.sent,
                     msg_type=message.msg_type, status="note", priority=message.priority,
                     headline=(message.headline or message.identifier)[:300], text=message.text,
                     area_desc="; ".join(a.description for a in message.areas), expires=message.expires,
                     xml=raw.decode("utf-8", "replace"), received_at=now)
    session.add(alert)
    session.flush()
    audit.record(session, None, "alert.receive", "alert", message.identifier, at=now, area=source.areas[0],
                 after={"source": source.code, "msg_type": message.msg_type, "status": message.status})
    if not acts:  # a Cancel, an Ack or Error, or a Test or Exercise: kept, never aired
        return Received(alert, devices=tuple(devices))
    targets = matched_areas(session, source, message)
    alert.episode, problem = _audio(session, source, alert, message, targets, now)
    if not targets:
        alert.status = "held"
        _tell(session, kinds.CAP_HELD, "alert.manage", source.areas, alert, now)
    elif source.trusted:
        result = _issue(session, None, alert, targets, now, tz, rules)
        devices += result.devices
    else:
        alert.status = "waiting"
        _tell(session, kinds.CAP_WAITING, "alert.approve", targets, alert, now)
    session.flush()
    return Received(alert, devices=tuple(dict.fromkeys(devices)), audio_problem=problem)


def matched_areas(session: Session, source: CapSource, message: Alert) -> list[Area]:
    """The areas in use the alert names, within the source's: by <geocode>, else by <areaDesc>."""
    allowed = subtree_ids(session, [a.id for a in source.areas])
    in_use = select(Area).where(Area.id.in_(allowed), Area.ended_on.is_(None)).order_by(Area.code)
    codes = {code for area in message.areas for code in area.geocodes}
    found = list(session.scalars(in_use.where(Area.admin_code.in_(codes)))) if codes else []
    if not found:
        names = {_name_key(area.description) for area in message.areas}
        found = [area for area in session.scalars(in_use) if _name_key(area.name) in names]
    return found


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def issue_alert(session: Session, actor: User, alert: CapAlert, areas: list[Area] | None, *, now: datetime,
                tz: ZoneInfo, rules: BulletinRules) -> IssueResult:
    """An approver issues a waiting alert to the areas it named; an admin a held one to `areas`."""
    if alert.status not in ("held", "waiting"):
        raise AlertError(f"alert {alert.identifier} is {alert.status}, not waiting", status=409, code="conflict",
                         reason="not_open")
    if alert.status == "waiting":
        targets = matched_areas(session, alert.source, read_alert(alert.xml.encode()))
        action = "alert.approve"
    else:
        targets = sorted(areas or [], key=lambda a: a.code)
        action = "alert.manage"
    for area in targets:
        require(actor, action, area)
    return _issue(session, actor, alert, targets, now, tz, rules)


def discard_alert(session: Session, actor: User, alert: CapAlert, *, now: datetime) -> None:
    """An alert held or waiting is not to be aired (kept, marked discarded)."""
    if alert.status not in ("held", "waiting"):
        raise AlertError(f"alert {alert.identifier} is {alert.status}, not waiting", status=409, code="conflict",
                         reason="not_open")
    for area in alert.source.areas:
        require(actor, "alert.manage" if alert.status == "held" else "alert.approve", area)
    before = alert.status
    alert.status = "discarded"
    audit.record(session, actor, "alert.discard", "alert", alert.identifier, at=now, area=alert.source.areas[0],
                 before={"status": before}, after={"status": "discarded"})
    session.flush()


def _issue(session: Session, actor: User | None, alert: CapAlert, targets: list[Area], now: datetime,
           tz: ZoneInfo, rules: BulletinRules) -> IssueResult:
    end = min(alert.expires, now + rules.max_validity) if alert.expires else None
    result = issue_to(session, actor, targets, alert.episode, priority=alert.priority, now=now, tz=tz,
                      valid_until=end, title=alert.headline, text=alert.text, rules=rules)
    alert.bulletin, alert.status = result.bulletin, "issued"
    session.flush()
    return result


def _end_referenced(session: Session, source: CapSource, message: Alert, now: datetime) -> list[str]:
    """End the source's alerts a Cancel or Update names; returns the devices to tell."""
    if not message.references:
        return []
    named = session.scalars(select(CapAlert).where(
        CapAlert.source_id == source.id,
        tuple_(CapAlert.sender, CapAlert.identifier, CapAlert.sent).in_(message.references))).all()
    devices = []
    for old in named:
        if old.bulletin is not None and old.bulletin.cancelled_at is None:
            devices += end_bulletin(session, None, old.bulletin, now)
        if old.status in ("held", "waiting", "issued"):
            audit.record(session, None, "alert.end", "alert", old.identifier, at=now, area=source.areas[0],
                         before={"status": old.status}, after={"status": "ended", "by": message.identifier})
            old.status = "ended"
    return devices


def _tell(session: Session, kind: str, permission: str, areas: list[Area], alert: CapAlert, now: datetime) -> None:
    """Tell whoever may act on the alert in `areas` (its areas, or for a held one its source's)."""
    people = {user.id: user for area in areas for user in users_who_may(session, permission, area.id)}
    notices.emit(session, kind, people.values(), about=f"{kind}:{alert.id}",
                 values={"alert": alert.headline, "source": alert.source.name, "area_desc": alert.area_desc,
                         "areas": ", ".join(a.name for a in areas)},
                 link=notices.page("cap.alert_list"), now=now)


def _audio(session: Session, source: CapSource, alert: CapAlert, message: Alert, targets: list[Area],
           now: datetime) -> tuple[Episode, str | None]:
    """The alert's episode: its own audio when it carries some that passes the upload checks,
    else its text voiced offline in the voice of its first area (then the problem, for the sender)."""
    episode = Episode(series=_series(session, source), code=f"cap-{alert.id}", title=alert.headline, created_at=now)
    session.add(episode)
    problem = None
    if message.audio is not None:
        try:
            episode.media = _resource_audio(session, message.audio, now)
            return episode, None
        except (NotAudioError, AlertError) as exc:
            problem = str(exc)
            log.warning("alert %s: its audio was not used: %s", alert.identifier, problem)
    area = (targets or source.areas)[0]
    voice = voice_of(area, current_app.config)
    episode.media_sha256, episode.tts_engine = voice_text(session, alert.text, area, voice,
                                                          make_engines(["espeak-ng"], voice),
                                                          f"cap-{alert.id}.mp3", now=now)
    return episode, problem


def _resource_audio(session: Session, resource: Resource, now: datetime):
    limit = current_app.config["CAP_MAX_MB"] * 1024 * 1024
    data = resource.data if resource.data is not None else fetch(resource.uri, limit)
    name = f"alert.{AUDIO_TYPES[resource.mime_type]}"
    created: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        info = check_audio(path, name)
        try:
            return ingest_audio(session, path, info, created, name, now=now)
        except BaseException:
            discard_new_files(created)
            raise


def fetch(url: str, limit: int) -> bytes:
    """GET an http(s) URL, refusing anything larger than `limit` bytes (feeds, alerts, audio), or
    not all there within CAP_FETCH_TOTAL_S: the timeout bounds each wait for bytes, so a server
    sending one byte at a time would otherwise hold the pull (and the worker's other checks) for
    as long as it likes. The bound is measured on the monotonic timer, which tells no date."""
    if not url.startswith(("http://", "https://")):
        raise AlertError(f"{url!r}: only http and https addresses are fetched", reason="bad_feed")
    total_s = current_app.config["CAP_FETCH_TOTAL_S"]
    try:
        with requests.get(url, timeout=current_app.config["CAP_FETCH_TIMEOUT_S"], stream=True) as answer:
            deadline = time.monotonic() + total_s
            answer.raise_for_status()
            data = bytearray()
            while chunk := answer.raw.read1(64 * 1024, decode_content=True):  # what has come, not a full 64 KiB
                data += chunk
                if len(data) > limit:
                    raise AlertError(f"{url}: larger than {limit // (1024 * 1024)} MB", reason="too_large",
                                     values={"url": url, "mb": limit // (1024 * 1024)})
                if time.monotonic() > deadline:
                    raise AlertError(f"{url}: not all there within {total_s} s", reason="too_slow",
                                     values={"url": url, "seconds": total_s})
            return bytes(data)
    except (requests.RequestException, ValueError) as exc:  # urllib3 refuses some hosts with a ValueError
        raise AlertError(f"{url}: {exc}", reason="fetch_failed", values={"url": url}) from None


def _series(session: Session, source: CapSource) -> Series:
    """The series a source's alerts are episodes of, in a plan of its own (created on first use)."""
    code = f"cap-{source.code}"
    plan = session.scalar(select(Plan).where(Plan.code == code))
    if plan is None:
        plan = Plan(code=code, title=f"Cảnh báo khẩn: {source.name}", issued_by=source.areas[0])
        session.add(plan)
    series = session.scalar(select(Series).where(Series.plan == plan, Series.code == "alerts")) if plan.id else None
    if series is None:
        series = Series(plan=plan, code="alerts", title="Cảnh báo khẩn")
        session.add(series)
        session.flush()
    return series
