"""Bulletins out as CAP 1.2: each one an alert (a cancelled one a Cancel referencing it) in an
Atom feed per area, so provincial information systems, notice boards and apps can take them.

Priorities go out as the urgency/severity/certainty that read back as the same priority in the
table of document.py; the loudspeakers' acknowledgements (fetched, played) are summarised in
<note> and in parameters. The feed carries the alerts inline as application/cap+xml content.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from lxml import etree
from lxml.builder import ElementMaker
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..area_tree import subtree_ids
from ..bulletins.operations import devices_of
from ..models import Area, Bulletin, BulletinDelivery, bulletin_areas
from .document import NS

ATOM = "http://www.w3.org/2005/Atom"
CAP = ElementMaker(namespace=NS, nsmap={None: NS})
A = ElementMaker(namespace=ATOM, nsmap={None: ATOM})
FEED_SIZE = 100
# priority → (urgency, severity, certainty), each read back as the same priority
OUT = {"emergency": ("Immediate", "Severe", "Observed"), "priority": ("Expected", "Moderate", "Likely"),
       "normal": ("Future", "Minor", "Possible")}


def cap_time(moment: datetime, tz: ZoneInfo) -> str:
    """CAP's dateTime: seconds, with the offset written out (CAP 1.2 allows no "Z")."""
    return moment.astimezone(tz).replace(microsecond=0).isoformat()


def bulletins_for(session: Session, area: Area) -> list[Bulletin]:
    """The latest bulletins heard in the area: issued to it, to an area above it or below it."""
    ids = subtree_ids(session, [area.id]) | {a.id for a in area.ancestors_and_self()}
    reaching = select(bulletin_areas.c.bulletin_id).where(bulletin_areas.c.area_id.in_(ids))
    return list(session.scalars(select(Bulletin).where(Bulletin.id.in_(reaching))
                                .order_by(Bulletin.created_at.desc(), Bulletin.id.desc()).limit(FEED_SIZE)))


def acknowledgements(session: Session, bulletin: Bulletin) -> tuple[int, int, int]:
    """(devices reached, how many fetched it, how many reported playing it)."""
    fetched, played = session.execute(select(func.count(BulletinDelivery.fetched_at),
                                             func.count(BulletinDelivery.played_at))
                                      .where(BulletinDelivery.bulletin_id == bulletin.id)).one()
    return len(devices_of(session, bulletin)), fetched, played


def alert_of(bulletin: Bulletin, acks: tuple[int, int, int], sender: str, sender_name: str,
             tz: ZoneInfo) -> etree._Element:
    """The bulletin as a CAP 1.2 <alert>; a cancelled one as the Cancel of it."""
    reached, fetched, played = acks
    sent = cap_time(bulletin.created_at, tz)
    identifier = str(bulletin.uuid)
    head = [CAP.identifier(identifier), CAP.sender(sender), CAP.sent(sent), CAP.status("Actual"),
            CAP.msgType("Alert"), CAP.scope("Public"),
            CAP.note(f"Đã nhận: {fetched}/{reached} loa; đã phát: {played}/{reached} loa.")]
    if bulletin.cancelled_at is not None:
        head[:5] = [CAP.identifier(f"{identifier}.cancel"), CAP.sender(sender),
                    CAP.sent(cap_time(bulletin.cancelled_at, tz)), CAP.status("Actual"), CAP.msgType("Cancel")]
        head.append(CAP.references(f"{sender},{identifier},{sent}"))
    urgency, severity, certainty = OUT[bulletin.priority]
    info = CAP.info(
        CAP.language("vi-VN"), CAP.category("Safety"), CAP.event(bulletin.title), CAP.urgency(urgency),
        CAP.severity(severity), CAP.certainty(certainty),
        CAP.effective(cap_time(bulletin.valid_from, tz)), CAP.expires(cap_time(bulletin.valid_until, tz)),
        CAP.senderName(sender_name), CAP.headline(bulletin.title),
        *([CAP.description(bulletin.text)] if bulletin.text else []),
        *(CAP.parameter(CAP.valueName(name), CAP.value(str(value)))
          for name, value in (("devices", reached), ("fetched", fetched), ("played", played))),
        *(CAP.area(CAP.areaDesc(area.name),
                   *([CAP.geocode(CAP.valueName("admin_code"), CAP.value(area.admin_code))]
                     if area.admin_code else []))
          for area in bulletin.areas))
    return CAP.alert(*head, info)


def feed_of(session: Session, area: Area, self_url: str, sender: str, sender_name: str, now: datetime,
            tz: ZoneInfo) -> bytes:
    """The Atom feed of the area's bulletins as CAP 1.2, newest first."""
    entries, latest = [], None
    for bulletin in bulletins_for(session, area):
        alert = alert_of(bulletin, acknowledgements(session, bulletin), sender, sender_name, tz)
        changed = bulletin.cancelled_at or bulletin.created_at
        latest = max(latest or changed, changed)
        entries.append(A.entry(A.id(f"urn:uuid:{bulletin.uuid}"), A.title(bulletin.title),
                               A.updated(cap_time(changed, tz)), A.author(A.name(sender_name)),
                               A.content(alert, type="application/cap+xml")))
    feed = A.feed(A.id(self_url), A.title(f"Bản tin: {area.name}"), A.updated(cap_time(latest or now, tz)),
                  A.link(rel="self", href=self_url), *entries)
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8")
