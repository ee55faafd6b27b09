"""The periodic pull of the sources' CAP feeds (Atom or RSS): each entry's alert, inline or
behind its link, is received as if POSTed by the source; one already received is skipped."""
from __future__ import annotations

import logging

from flask import current_app
from lxml import etree
from sqlalchemy import select

from .. import clock, db, jobs, notices
from ..bulletins.operations import BulletinRules
from ..errors import RadioError
from ..models import CapSource
from ..notify import poll_now
from .document import NS
from .operations import fetch, receive_alert

log = logging.getLogger(__name__)
ATOM = "{http://www.w3.org/2005/Atom}"


def alerts_in_feed(data: bytes, limit: int) -> list[bytes | etree._Element]:
    """The alerts of an Atom or RSS feed: inline <alert> elements, else each entry's link fetched."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    inline = root.findall(f".//{{{NS}}}alert")
    if inline:
        return inline
    links = [link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
    links += [item.findtext("link") for item in root.iter("item") if item.findtext("link")]
    return [fetch(link.strip(), limit) for link in links if link]


def pull_cap_feeds() -> None:
    """Periodic: receive the new alerts of every source with a feed (a revoked source's is not
    pulled); a feed that fails is logged and tried again next time, without stopping the others."""
    session, now, tz = db.session(), clock.now(), clock.station_tz()
    rules, limit = BulletinRules.from_config(current_app.config), current_app.config["CAP_MAX_MB"] * 1024 * 1024
    devices: list[str] = []
    feeds = session.execute(select(CapSource.id, CapSource.feed_url)
                            .where(CapSource.feed_url.is_not(None), CapSource.revoked_at.is_(None))
                            .order_by(CapSource.code)).all()
    session.commit()  # no transaction held open while the feeds are fetched
    for source_id, url in feeds:
        try:
            alerts = alerts_in_feed(fetch(url, limit), limit)
        except (RadioError, etree.XMLSyntaxError) as exc:
            log.warning("CAP feed %s not read: %s", url, exc)
            continue
        for alert in alerts:
            raw = alert if isinstance(alert, bytes) else etree.tostring(alert, encoding="UTF-8")
            try:
                received = receive_alert(session, session.get(CapSource, source_id), raw, now=now, tz=tz,
                                         rules=rules)
                session.commit()
                devices += received.devices
            except RadioError as exc:
                session.rollback()
                log.warning("an alert of the CAP feed %s was refused: %s", url, exc)
    notices.dispatch()
    if devices:
        jobs.enqueue(poll_now, sorted(set(devices)), "bulletin")
